import { couponTemplate, templateDocuments } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';
import { clearFaults, clock, faultEmulator, post, type Suite } from './support';
import { journeyInput } from '../messaging/support';

/**
 * A journey's coupon and points steps take effect through the dispatcher: the member's wallet and
 * points show them once, whether the timer runs again, its commit's answer is lost, or its
 * instance is killed mid-way; a template out of stock or paused leaves a failed row with the reason.
 */
let s: Suite;
const ADMIN = 'o_demo_admin';
const GIFT = 'tpl_journey_gift';
const POINTS = 200;

const journey = journeyInput('join-gift', '入会礼包', 'member.joined', [
  { id: 'wait', type: 'wait', duration: '10m' },
  { id: 'gift', type: 'grantCoupon', templateId: GIFT },
  { id: 'bonus', type: 'points', amount: POINTS },
]);

beforeAll(async () => {
  s = await faultEmulator();
  // the brand's set-up: a gift voucher for rule grants, with little stock
  const { coupon_templates: templates, coupon_stock: shards } = templateDocuments([
    couponTemplate(GIFT, {
      name: { zh: '旅程礼券', en: 'Journey gift' },
      benefit: { kind: 'amountOff', amountFen: 1000 },
      totalStock: 3,
      perMemberLimit: 1,
    }),
  ]);
  await s.db.collection('coupon_templates').add({ data: templates });
  await s.db.collection('coupon_stock').add({ data: shards });
  const admin = as(s.emu, ADMIN);
  await admin.ok('messaging', 'journeys.create', { journey } as never);
  await admin.ok('messaging', 'journeys.publish', { journeyId: journey.id });
});
afterAll(() => s.emu.close());

async function join(openid: string): Promise<void> {
  const me = as(s.emu, openid);
  await me.ok('member', 'login', {} as never);
  const consents = { privacyVersion: '2026-01', marketingOptIn: true };
  await me.ok('member', 'claimCard', { name: '会员', birthday: '1990-05-04', language: 'zh', consents } as never);
}

/** Journeys advance (the run reaches its steps), without the dispatcher. */
async function advanceJourneys(): Promise<void> {
  const fired = await clock(s.emu, { advance: '15m', only: ['messaging:journeys'] });
  expect(fired.every((f) => f.ok)).toBe(true);
}

const dispatch = (by = '1m') => clock(s.emu, { advance: by, only: ['messaging:dispatch'] });

async function pendingFaults(): Promise<unknown[]> {
  return ((await (await fetch(`${s.emu.url}/functions/faults`)).json()) as { faults: unknown[] }).faults;
}

async function rowsOf(openids: string[]): Promise<Record<string, unknown>[]> {
  const _ = s.db.command;
  const found = await s.db
    .collection('identities')
    .where({ value: _.in(openids) })
    .get();
  const ids = found.data as { memberId: string }[];
  const where = { journeyId: journey.id, memberId: _.in(ids.map((x) => x.memberId)) };
  return (await s.db.collection('outbox').where(where).limit(100).get()).data as Record<string, unknown>[];
}

/** The dispatcher runs each minute (and a second of real time passes) until the members' rows are done or failed. */
async function settled(openids: string[]): Promise<Record<string, unknown>[]> {
  for (let i = 0; i < 30; i++) {
    await dispatch();
    const rows = await rowsOf(openids);
    if (rows.every((r) => r['state'] === 'done' || r['state'] === 'failed')) return rows;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return rowsOf(openids);
}

async function expectRewardedOnce(openid: string): Promise<void> {
  const me = as(s.emu, openid);
  const wallet = await me.ok('coupons', 'list', {});
  expect(wallet.items.filter((c) => c.templateId === GIFT)).toHaveLength(1);
  const history = await me.ok('points', 'history', {});
  const journeyRows = history.items.filter((i) => i.reason === `journey:${journey.id}`);
  expect(journeyRows.map((i) => i.amount)).toEqual([POINTS]);
  const summary = await me.ok('points', 'summary', {});
  const others = history.items.filter((i) => i.reason !== `journey:${journey.id}`).reduce((n, i) => n + i.amount, 0);
  expect(summary.balance).toBe(others + POINTS);
}

test('S17 new-member journey gift: granted once, the timer run again and a commit answer lost', async () => {
  await join('o_fx_a');
  await advanceJourneys();
  const handoff = await rowsOf(['o_fx_a']);
  const kinds = handoff.map((r) => [r['kind'], r['state']]).sort();
  expect(kinds).toEqual([
    ['grantCoupon', 'handoff'],
    ['points', 'handoff'],
  ]);

  // the first grant commits, then its answer is lost: the dispatcher cannot know it happened
  await post(s.emu, '/functions/faults', { kind: 'lostAnswer', action: 'database.commitTransaction', fn: 'messaging' });
  await dispatch();
  expect(await pendingFaults()).toEqual([]);
  expect((await rowsOf(['o_fx_a'])).map((r) => r['state'])).toEqual(['done', 'done']);
  await dispatch('5m'); // past the claim's lease: the timer runs several times more
  const rows = await rowsOf(['o_fx_a']);
  expect(rows.map((r) => r['state'])).toEqual(['done', 'done']);
  await expectRewardedOnce('o_fx_a');
});

test('S17 new-member journey gift: a killed instance leaves nothing undone and nothing twice', async () => {
  const who = ['o_fx_b', 'o_fx_c'];
  for (const o of who) await join(o);
  await advanceJourneys();
  await post(s.emu, '/functions/faults', { kind: 'kill', fn: 'messaging', afterMs: 40 });
  const killed = await dispatch();
  expect(killed.map((f) => f.ok)).toEqual([false]);
  // killed soon after its start (in practice: the slice claimed, nothing applied yet); the claim holds the rows
  // until its lease ends, then the next run applies them
  const left = await rowsOf(who);
  expect(left.filter((r) => r['state'] === 'done').length).toBeLessThan(4);
  await clearFaults(s.emu);
  // the platform aborts the killed instance's open transaction once idle; until then its documents are busy
  const rows = await settled(who);
  expect(rows).toHaveLength(4);
  expect(rows.every((r) => r['state'] === 'done')).toBe(true);
  await dispatch('3m');
  for (const o of who) await expectRewardedOnce(o);
});

test('S17 new-member journey gift out of stock: the row fails with its reason, points arrive', async () => {
  await join('o_fx_d'); // the stock (3) went to the three members before
  await advanceJourneys();
  const rows = await settled(['o_fx_d']);
  const coupon = rows.find((r) => r['kind'] === 'grantCoupon');
  expect(coupon).toMatchObject({ state: 'failed', reason: 'COUPON_OUT_OF_STOCK' });
  expect(rows.find((r) => r['kind'] === 'points')).toMatchObject({ state: 'done' });
  const me = as(s.emu, 'o_fx_d');
  expect((await me.ok('coupons', 'list', {})).items.filter((c) => c.templateId === GIFT)).toHaveLength(0);
  const history = await me.ok('points', 'history', {});
  expect(history.items.filter((i) => i.reason === `journey:${journey.id}`).map((i) => i.amount)).toEqual([POINTS]);
  const metrics = await as(s.emu, ADMIN).ok('messaging', 'metrics', { journeyId: journey.id });
  expect(metrics.failed).toBeGreaterThanOrEqual(1);
});

test('S17 new-member journey gift of a paused template: the row fails with COUPON_PAUSED', async () => {
  await as(s.emu, ADMIN).ok('coupons', 'templates.pause', { templateId: GIFT, paused: true });
  await join('o_fx_e');
  await advanceJourneys();
  const rows = await settled(['o_fx_e']);
  expect(rows.find((r) => r['kind'] === 'grantCoupon')).toMatchObject({ state: 'failed', reason: 'COUPON_PAUSED' });
  expect(rows.find((r) => r['kind'] === 'points')).toMatchObject({ state: 'done' });
});
