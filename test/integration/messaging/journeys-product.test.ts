import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';
import { emulatorNow, oaEventXml, oaQuery, seedDemo, setClock } from '../member/helpers';
import { order, syncOrders } from '../orders/support';
import { claim, joined, visit } from '../referral/fixtures';
import { calls, type Call } from './support';
import { product, syncProducts } from '../behaviour/support';

/**
 * The seed journeys of seed 003 (S12, S13) and seed 002 (S18) driven by the product itself, not by
 * hand-written events: the Official Account callback, the referral timer, signed order sync from the
 * POS, and the journeys timer on the emulator clock (the per-minute dispatch and birthday timers
 * stay off; the journeys timer dispatches what it enqueues).
 */
let emu: Emulator;
let db: Sdk['db'];
const H = 3_600_000;

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: ['referral', 'messaging:journeys'] });
  // Monday 08:30 in Shanghai
  await setClock(emu, { set: '2026-05-04T00:30:00Z' });
  seedDemo(emu);
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
}, 60_000);
afterAll(() => emu.close());

async function oaEvent(
  oaOpenid: string,
  event: string,
  opts: { unionid?: string; key?: string; hoursAgo?: number } = {},
) {
  const at = Math.floor(((await emulatorNow(emu)).getTime() - (opts.hoursAgo ?? 0) * H) / 1000);
  const res = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({
      from: oaOpenid,
      event,
      at,
      ...(opts.unionid ? { unionid: opts.unionid } : {}),
      ...(opts.key ? { key: opts.key } : {}),
    }),
  });
  expect(res.status).toBe(200);
}

async function paid(orderNo: string, openid: string, category: string) {
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const r = await syncOrders(emu, 'shop', [
    order({
      source: 'shop',
      orderNo,
      customer: [{ type: 'openid', value: openid }],
      category,
      createdAt: at,
      paidAt: at,
    }),
  ]);
  expect(r.json.data.accepted).toBe(1);
}

const templateIds = async (api: string, to: string) =>
  (await calls(emu, api, to)).map((c: Call) => String(c.params['template_id'] ?? c.params['templateId'] ?? ''));
const articles = async (oaOpenid: string) =>
  (await calls(emu, 'cgi-bin/message/custom/send', oaOpenid)).map(
    (c) => String((c.params['text'] as { content: string }).content).split('\n')[0],
  );
const runs = async (memberId: string, journeyId: string) =>
  (await db.collection('journey_runs').where({ memberId, journeyId }).limit(10).get()).data as Record<
    string,
    unknown
  >[];

test('S12 follower-only friend in "Hi-Po": a personal welcome by 10:00 brand time, within 24 hours of following', async () => {
  const nancy = await joined(emu, 'o_nancy_j', '南希', { scene: 's=store_sh_xintiandi' });
  const token = (await nancy.c.ok('referral', 'shareToken', {})).token;
  const fan = await visit(emu, 'o_fan_j', { unionid: 'u_fan_j' });
  await fan.c.ok('referral', 'open', { token });
  await oaEvent('oa_fan_j', 'subscribe', { unionid: 'u_fan_j' });
  const followedAt = await emulatorNow(emu);

  await setClock(emu, { advance: '2h' }); // the referral timer tags her into Hi-Po; the journey waits for 10:00
  // following also starts seed 002's survey at once; then the personal welcome at 10:00 Shanghai time
  expect(await articles('oa_fan_j')).toEqual(['欢迎关注', '专属欢迎']);
  const welcome = (await calls(emu, 'cgi-bin/message/custom/send', 'oa_fan_j'))[1]!;
  expect(Date.parse(welcome.at) - followedAt.getTime()).toBeLessThan(24 * H);
  expect(new Date(Date.parse(welcome.at) + 8 * H).toISOString().slice(11, 13)).toBe('10');
  // the story after it would be a third marketing message today: the daily cap (2) holds it back
  const story = (await db.collection('outbox').where({ memberId: fan.memberId, template: 'qipao_story' }).get()).data;
  expect(story).toEqual([expect.objectContaining({ state: 'skipped', reason: 'capped_day' })]);
  const [run] = await runs(fan.memberId, 'hi-po-follower-welcome');
  expect(run).toMatchObject({ status: 'completed' });
  const tags = ((await db.collection('members').doc(fan.memberId).get()).data.tags as { tagId: string }[]).map(
    (t) => t.tagId,
  );
  expect(tags).toEqual(expect.arrayContaining(['referred', 'welcomed-follower']));

  // Nancy joined (not follower-only): never welcomed by this journey
  expect(await runs(nancy.memberId, 'hi-po-follower-welcome')).toEqual([]);
}, 120_000);

test('S13 S18 first purchase: a thank-you once; a room buyer gets the upsell of products recommended for them, by language and the 48-hour window', async () => {
  // Emma: English, follows the Official Account (the same person through her UnionID), buys a room
  const emma = await visit(emu, 'o_emma_j', { unionid: 'u_emma_j' });
  await emma.c.ok('member', 'claimCard', { ...claim('Emma'), language: 'en' });
  await emma.c.ok('messaging', 'recordConsent', { results: { first_purchase_thanks: 'accept' } });
  await oaEvent('oa_emma_j', 'subscribe', { unionid: 'u_emma_j' });
  // Zhou: Chinese, last spoke to the Official Account three days ago, buys a room
  const zhou = await visit(emu, 'o_zhou_j', { unionid: 'u_zhou_j' });
  await zhou.c.ok('member', 'claimCard', { ...claim('周先生'), language: 'zh' });
  await oaEvent('oa_zhou_j', 'subscribe', { unionid: 'u_zhou_j', hoursAgo: 72 });
  // Li: buys a qipao, not a room
  const li = await visit(emu, 'o_li_j', { unionid: 'u_li_j' });
  await li.c.ok('member', 'claimCard', claim('李女士'));
  await oaEvent('oa_li_j', 'subscribe', { unionid: 'u_li_j' });

  // the brand's catalogue: what the upsell recommends to room buyers comes from it
  await syncProducts(emu, [product('BF-2', { category: 'room', name: '双人早餐', priceFen: 16_800 })]);
  await paid('J-1', 'o_emma_j', 'room');
  await paid('J-2', 'o_zhou_j', 'room');
  await paid('J-3', 'o_li_j', 'qipao');
  const paidEvent = (await db.collection('events').doc('order:shop:J-1:paid').get()).data;
  expect(paidEvent).toMatchObject({ memberId: emma.memberId, data: { categories: ['room'], firstPaid: true } });

  await setClock(emu, { advance: '10m' });
  expect(await templateIds('subscribeMessage.send', 'o_emma_j')).toEqual(['first_purchase_thanks']);

  await setClock(emu, { advance: '1h' });
  // active within 48 h (she just followed: the survey went out then) and English → the customer-service article in English
  expect(await articles('oa_emma_j')).toEqual(['Welcome', 'Picked for you']);
  const emmaArticle = (await calls(emu, 'cgi-bin/message/custom/send', 'oa_emma_j'))[1]!;
  expect(JSON.stringify(emmaArticle.params)).toContain('双人早餐 ¥168');
  // quiet for 72 h, Chinese → the template message in Chinese (a customer-service message is not allowed)
  const zhouTemplates = await calls(emu, 'cgi-bin/message/template/send', 'oa_zhou_j');
  expect(zhouTemplates).toHaveLength(1);
  expect(JSON.stringify(zhouTemplates[0]!.params)).toContain('双人早餐');
  expect(await articles('oa_zhou_j')).toEqual([]);
  // no room → no upsell
  expect(await calls(emu, 'cgi-bin/message/template/send', 'oa_li_j')).toEqual([]);
  expect(await articles('oa_li_j')).toEqual(['欢迎关注']); // the follow survey only
  expect((await runs(li.memberId, 'post-purchase-upsell'))[0]).toMatchObject({ status: 'completed' });

  // a second purchase is not a first: no second thank-you, whatever consent she gives
  await emma.c.ok('messaging', 'recordConsent', { results: { first_purchase_thanks: 'accept' } });
  await paid('J-4', 'o_emma_j', 'qipao');
  expect((await db.collection('events').doc('order:shop:J-4:paid').get()).data.data).toMatchObject({
    firstPaid: false,
  });
  await setClock(emu, { advance: '10m' });
  expect(await templateIds('subscribeMessage.send', 'o_emma_j')).toEqual(['first_purchase_thanks']);
}, 120_000);
