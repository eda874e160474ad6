import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, advance, advanceTo, calls, emit, messagingEmulator, outboxOf, seedJourneys } from './support';
import type { Sdk } from '../../support/sdk';

/**
 * Seed 002 and 003 / S17 on one emulator clock moved through 47 hours: menu click → article now and a
 * second one at hour 47 unless an order came in; new follower survey asked again unless completed;
 * 72-hour nurture for new members. This copy of config.json keeps only the 5-minute journeys
 * timer (it dispatches too): 47 hours of per-minute dispatch timers would take minutes of real time.
 */
let emu: Emulator;
let db: Sdk['db'];
const follower = (n: string) => ({ oaOpenid: `oa_${n}`, oaFollowing: true, state: 'follower' });
let clicker: { memberId: string; openid: string };
let orderer: { memberId: string; openid: string };
let surveyed: { memberId: string; openid: string };
let skipper: { memberId: string; openid: string };
let newbie: { memberId: string; openid: string };
let buyer: { memberId: string; openid: string };

const custom = (oa: string) => calls(emu, 'cgi-bin/message/custom/send', oa);
const texts = async (oa: string) =>
  (await custom(oa)).map((c) => String((c.params['text'] as { content: string }).content).split('\n')[0]);

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['journeys'] } }));
  await seedJourneys(db, ['menu-click-follow-up', 'follower-survey', 'new-member-nurture-72h']);
  [clicker, orderer, surveyed, skipper] = await Promise.all([
    addMember(db, follower('clicker')),
    addMember(db, follower('orderer')),
    addMember(db, follower('surveyed')),
    addMember(db, follower('skipper')),
  ]);
  [newbie, buyer] = await Promise.all([addMember(db), addMember(db)]);
  for (const m of [newbie, buyer]) {
    await as(emu, m.openid).ok('messaging', 'recordConsent', {
      results: { nurture_welcome: 'accept', nurture_story: 'accept', nurture_first_purchase_offer: 'accept' },
    });
  }
});
afterAll(() => emu.close());

test('S17 menu click and follow: the article and the survey go out at once; new members get the welcome', async () => {
  await emit(emu, db, 'oa.menu_clicked', clicker.memberId, { menu: 'rooms' });
  await emit(emu, db, 'oa.menu_clicked', orderer.memberId, { menu: 'rooms' });
  await emit(emu, db, 'oa.subscribed', surveyed.memberId);
  await emit(emu, db, 'oa.subscribed', skipper.memberId);
  await emit(emu, db, 'member.joined', newbie.memberId);
  await emit(emu, db, 'member.joined', buyer.memberId);
  await advance(emu, '10m');
  expect(await texts('oa_clicker')).toEqual(['为您推荐']);
  expect(await texts('oa_orderer')).toEqual(['为您推荐']);
  expect(await texts('oa_surveyed')).toEqual(['欢迎关注']);
  expect(await texts('oa_skipper')).toEqual(['欢迎关注']);
  for (const m of [newbie, buyer])
    expect((await calls(emu, 'subscribeMessage.send', m.openid)).map((c) => c.params['template_id'])).toEqual([
      'nurture_welcome',
    ]);
});

test('S17 survey: completed → no retry; not completed → asked again at 24 hours', async () => {
  await advance(emu, '2h');
  await emit(emu, db, 'survey.completed', surveyed.memberId, { surveyId: 'welcome' });
  await emit(emu, db, 'order.paid', buyer.memberId, { orderId: 'o-9', amountFen: 9900 });
  await advance(emu, '22h');
  expect(await texts('oa_skipper')).toEqual(['欢迎关注', '问卷还差一步']);
  expect(await texts('oa_surveyed')).toEqual(['欢迎关注']);
  const [run] = (await db.collection('journey_runs').where({ memberId: surveyed.memberId }).get()).data;
  expect(run).toMatchObject({ journeyId: 'follower-survey', status: 'exited', exitReason: 'event:survey.completed' });
});

test('S17 menu click: a second message at hour 47, none when an order came in at 46h59m', async () => {
  const clickAt = Date.parse(
    String((await db.collection('events').where({ memberId: clicker.memberId }).get()).data[0].at),
  );
  await advanceTo(emu, new Date(clickAt + 46 * 3_600_000 + 59 * 60_000));
  expect(await texts('oa_clicker')).toEqual(['为您推荐']);
  await emit(emu, db, 'order.created', orderer.memberId, { orderId: 'o-47' });
  await advance(emu, '12m');
  expect(await texts('oa_clicker')).toEqual(['为您推荐', '还在考虑吗？']);
  expect(await texts('oa_orderer')).toEqual(['为您推荐']);
  const second = (await custom('oa_clicker'))[1]!;
  expect(Date.parse(second.at) - clickAt).toBeGreaterThanOrEqual(47 * 3_600_000);
  expect(Date.parse(second.at) - clickAt).toBeLessThan(48 * 3_600_000); // inside the Official Account's 48-hour window
  const rows = await outboxOf(db, { memberId: orderer.memberId });
  expect(rows.map((r) => r['stepId'])).toEqual(['article']);
});

test('S17 nurture: three messages in the first 72 hours; a purchase ends it', async () => {
  await advance(emu, '1h');
  expect((await calls(emu, 'subscribeMessage.send', newbie.openid)).map((c) => c.params['template_id'])).toEqual([
    'nurture_welcome',
    'nurture_story',
    'nurture_first_purchase_offer',
  ]);
  expect((await calls(emu, 'subscribeMessage.send', buyer.openid)).map((c) => c.params['template_id'])).toEqual([
    'nurture_welcome',
  ]);
  const [run] = (await db.collection('journey_runs').where({ memberId: buyer.memberId }).get()).data;
  expect(run).toMatchObject({ status: 'exited', exitReason: 'event:order.paid' });
});
