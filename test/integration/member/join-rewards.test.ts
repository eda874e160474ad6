import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { seedDemo, setClock, signedPost } from './helpers';
import { calls } from '../messaging/support';

/**
 * S4 join rewards of the demo brand (config/brand.demo.json `joinRewards`: 100 points, and
 * 入会礼 9 折券 for a store, advisor or referral attribution, none without one), from a login with
 * a store scene and the card claim through the real SDK; the wallet and the points page read
 * through the product's own actions. Fixtures: the demo brand's stores, staff and templates.
 */
let emu: Emulator;

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: ['messaging:journeys'] });
  seedDemo(emu);
  // 10:00 in Shanghai, outside quiet hours
  await setClock(emu, { set: '2026-05-04T02:00:00Z' });
}, 60_000);
afterAll(() => emu.close());

const consents = { privacyVersion: '2026-01', marketingOptIn: true };
const profile = (name: string) => ({ name, birthday: '1991-04-12', language: 'zh' as const, consents });
const client = (openid: string, unionid?: string) => as(emu, openid, unionid ? { unionid } : {});
type WalletItem = { templateId: string; name: { zh: string }; status: string };
type HistoryRow = { kind: string; amount: number; source: string };
const isUsableWelcome = (c: WalletItem) => c.templateId === 'tpl_welcome_10off' && c.status === 'available';

async function storeScene(): Promise<string> {
  return (await as(emu, 'o_demo_manager').ok('member', 'createStoreCode', { storeId: 'store_sh_xintiandi' })).scene;
}

async function wallet(openid: string, unionid?: string): Promise<WalletItem[]> {
  return (await client(openid, unionid).ok('coupons', 'list', {})).items;
}

async function history(openid: string, unionid?: string): Promise<HistoryRow[]> {
  return (await client(openid, unionid).ok('points', 'history', {})).items;
}

test('S4 join: a visitor from a store QR claims the card → welcome coupon and bonus at once', async () => {
  const nancy = as(emu, 'o_nancy_join');
  await nancy.ok('member', 'login', { scene: await storeScene() });
  const claimed = await nancy.ok('member', 'claimCard', profile('Nancy'));
  expect(claimed.card.points).toBe(100);

  const coupons = await wallet('o_nancy_join');
  const name = expect.objectContaining({ zh: '入会礼 9 折券' });
  const welcome = { templateId: 'tpl_welcome_10off', name, status: 'available' };
  expect(coupons).toEqual([expect.objectContaining(welcome)]);
  const bonus = { kind: 'earn', amount: 100, source: 'signup' };
  expect(await history('o_nancy_join')).toEqual([expect.objectContaining(bonus)]);
  const summary = await nancy.ok('points', 'summary', {});
  expect(summary).toMatchObject({ balance: 100, spendable: 100 });
  const home = await nancy.ok('member', 'login', {});
  expect(home.card).toMatchObject({ points: 100 });
});

test('S4 join: claiming twice at once gives one card and the rewards once', async () => {
  const c = as(emu, 'o_twice_join');
  await c.ok('member', 'login', { scene: await storeScene() });
  const [a, b] = await Promise.all([1, 2].map(() => c.ok('member', 'claimCard', profile('Twice'))));
  expect(a!.card.cardNo).toBe(b!.card.cardNo);
  expect(await wallet('o_twice_join')).toHaveLength(1);
  expect(await history('o_twice_join')).toEqual([expect.objectContaining({ amount: 100, source: 'signup' })]);
  expect((await c.ok('points', 'summary', {})).balance).toBe(100);
});

test('S4 join: without a store, advisor or referral the brand gives the points and no coupon', async () => {
  const c = as(emu, 'o_walkin_join');
  await c.ok('member', 'login', {});
  expect((await c.ok('member', 'claimCard', profile('Walk-in'))).card.points).toBe(100);
  expect(await wallet('o_walkin_join')).toEqual([]);
  expect(await history('o_walkin_join')).toEqual([expect.objectContaining({ amount: 100, source: 'signup' })]);
});

test('S4 join: two cards of one person merged by a POS link → one welcome coupon and one bonus remain', async () => {
  const scene = await storeScene();
  const first = as(emu, 'o_lin_phone_a', { unionid: 'u_lin_a' });
  const second = as(emu, 'o_lin_phone_b', { unionid: 'u_lin_b' });
  await first.ok('member', 'login', { scene });
  await first.ok('member', 'claimCard', profile('林一'));
  await second.ok('member', 'login', { scene });
  await second.ok('member', 'claimCard', profile('林二'));

  const identities = [
    { type: 'unionid', value: 'u_lin_a' },
    { type: 'unionid', value: 'u_lin_b' },
  ];
  const sameCustomer = { source: 'pos', externalId: 'C-LIN', identities };
  const link = await signedPost(emu, '/http/member/link', sameCustomer);
  expect(link).toMatchObject({ status: 200, json: { ok: true } });
  expect(link.json!.data!.merged).toHaveLength(1);

  for (const [openid, unionid] of [
    ['o_lin_phone_a', 'u_lin_a'],
    ['o_lin_phone_b', 'u_lin_b'],
  ] as const) {
    const usable = (await wallet(openid, unionid)).filter(isUsableWelcome);
    expect(usable).toHaveLength(1);
    expect((await as(emu, openid, { unionid }).ok('points', 'summary', {})).balance).toBe(100);
  }
  const rows = await history('o_lin_phone_a', 'u_lin_a');
  expect(rows.filter((r) => r.source === 'signup').map((r) => r.amount)).toEqual([100, 100]);
  expect(rows.filter((r) => r.source === 'merge').map((r) => [r.kind, r.amount])).toEqual([['adjust', -100]]);

  // the same link delivered again changes nothing
  await signedPost(emu, '/http/member/link', sameCustomer);
  expect((await as(emu, 'o_lin_phone_a', { unionid: 'u_lin_a' }).ok('points', 'summary', {})).balance).toBe(100);
});

test('S4 join: the welcome message announces the coupon and the points', async () => {
  const c = as(emu, 'o_welcome_join');
  await c.ok('member', 'login', { scene: await storeScene() });
  await c.ok('messaging', 'recordConsent', { results: { nurture_welcome: 'accept' } });
  await c.ok('member', 'claimCard', profile('Welcome'));
  await setClock(emu, { advance: '10m' });
  const sent = await calls(emu, 'subscribeMessage.send', 'o_welcome_join');
  expect(sent).toHaveLength(1);
  expect((sent[0]!.params['data'] as { thing2: { value: string } }).thing2.value).toBe('已赠入会礼 9 折券和 100 积分');
});

test('S4 join: a paused welcome coupon does not stop the claim: the card and the bonus, no coupon', async () => {
  await as(emu, 'o_demo_admin').ok('coupons', 'templates.pause', { templateId: 'tpl_welcome_10off', paused: true });
  const c = as(emu, 'o_paused_join');
  await c.ok('member', 'login', { scene: await storeScene() });
  const claimed = await c.ok('member', 'claimCard', profile('Paused'));
  expect(claimed).toMatchObject({ alreadyClaimed: false, card: { points: 100 } });
  expect(await wallet('o_paused_join')).toEqual([]);
  expect(await history('o_paused_join')).toEqual([expect.objectContaining({ amount: 100, source: 'signup' })]);
  await as(emu, 'o_demo_admin').ok('coupons', 'templates.pause', { templateId: 'tpl_welcome_10off', paused: false });
});
