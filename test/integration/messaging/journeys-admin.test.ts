import type { Emulator } from '../../../emulator/emulator';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';
import { addMember, advance, calls, emit, messagingEmulator, runsOf, seedJourneys } from './support';
import type { Sdk } from '../../support/sdk';

/** S16 / S21 through the emulator's clock: staff read per-step journey figures and switch journeys off and on. */
let emu: Emulator;
let db: Sdk['db'];
const JOURNEY = 'unpaid-order-reminder';
const ADMIN = 'o_demo_admin';

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator());
  await seedJourneys(db, [JOURNEY, 'menu-click-follow-up']);
  await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
});
afterAll(() => emu.close());

const auditOf = async (where: Record<string, unknown>) =>
  (await db.collection('audit_log').where(where).limit(100).get()).data as Record<string, unknown>[];
const journeyDoc = async () => (await db.collection('journeys').doc(JOURNEY).get()).data;

async function buyer() {
  const m = await addMember(db);
  await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { order_unpaid_reminder: 'accept' } });
  return m;
}

async function listed() {
  const r = await as(emu, ADMIN).ok('messaging', 'journeys.list', {});
  const j = r.items.find((i) => i.id === JOURNEY)!;
  return { r, j, step: (id: string) => j.steps.find((s) => s.id === id)! };
}

test('S16 journeys.list: entered, waiting, sent and converted per step, from the runs and the outbox', async () => {
  const [a, b, c] = [await buyer(), await buyer(), await buyer()];
  await emit(emu, db, 'order.created', a.memberId, { orderId: 'o-a' });
  await emit(emu, db, 'order.created', b.memberId, { orderId: 'o-b' });
  await advance(emu, '10m');
  await emit(emu, db, 'order.paid', b.memberId, { orderId: 'o-b' }); // paid in time: no reminder
  await advance(emu, '30m');
  expect(await calls(emu, 'subscribeMessage.send', a.openid)).toHaveLength(1);
  await emit(emu, db, 'order.created', c.memberId, { orderId: 'o-c' });
  await advance(emu, '10m');
  await emit(emu, db, 'order.paid', a.memberId, { orderId: 'o-a' }); // after the reminder: a conversion
  await advance(emu, '10m');

  // the existing per-journey figures (messaging.metrics, counted one by one) say the same
  expect(await as(emu, ADMIN).ok('messaging', 'metrics', { journeyId: JOURNEY })).toMatchObject({
    entered: 3,
    sent: 1,
    converted: 1,
  });
  const { r, j, step } = await listed();
  expect(r).toMatchObject({ page: 0, pageSize: 20, hasMore: false });
  expect(r.items.map((i) => i.id)).toEqual([JOURNEY, 'menu-click-follow-up'].sort());
  expect(j).toMatchObject({
    name: '未付款订单提醒',
    enabled: true,
    trigger: 'order.created',
    totals: { entered: 3, active: 1, completed: 1, exited: 1, sent: 1, converted: 1 },
  });
  expect(step('wait-30m')).toEqual({
    id: 'wait-30m',
    type: 'wait',
    detail: '30m',
    reached: 3,
    waiting: 1,
    sent: 0,
    converted: 0,
  });
  expect(step('remind')).toEqual({
    id: 'remind',
    type: 'send',
    detail: 'subscribe:order_unpaid_reminder',
    reached: 1,
    waiting: 0,
    sent: 1,
    converted: 1,
  });
  // the figures agree with the documents they summarise
  const runs = (await db.collection('journey_runs').where({ journeyId: JOURNEY }).get()).data as { status: string }[];
  expect(runs.map((x) => x.status).sort()).toEqual(['active', 'completed', 'exited']);
});

test('S16 disabling a journey admits no new runs and ends the waiting ones without a message; enabling admits runs again; both audited', async () => {
  const waiting = (await db.collection('journey_runs').where({ journeyId: JOURNEY, status: 'active' }).get()).data as {
    memberId: string;
  }[];
  expect(waiting).toHaveLength(1);
  const off = await as(emu, ADMIN).ok('messaging', 'journeys.setEnabled', { journeyId: JOURNEY, enabled: false });
  expect(off).toEqual({ id: JOURNEY, enabled: false, changed: true, activeRuns: 1 });
  expect(
    await as(emu, ADMIN).ok('messaging', 'journeys.setEnabled', { journeyId: JOURNEY, enabled: false }),
  ).toMatchObject({ changed: false });
  expect(await journeyDoc()).toMatchObject({ enabled: false });

  const d = await buyer();
  await emit(emu, db, 'order.created', d.memberId, { orderId: 'o-d' });
  await advance(emu, '40m');
  expect(await runsOf(db, d.memberId)).toHaveLength(0);
  expect(await calls(emu, 'subscribeMessage.send', d.openid)).toHaveLength(0);
  const [ended] = await runsOf(db, waiting[0]!.memberId);
  expect(ended).toMatchObject({ status: 'exited', exitReason: 'journey_disabled' });
  expect((await listed()).j).toMatchObject({ enabled: false, totals: { active: 0, exited: 2 } });

  expect(
    await as(emu, ADMIN).ok('messaging', 'journeys.setEnabled', { journeyId: JOURNEY, enabled: true }),
  ).toMatchObject({ changed: true, enabled: true, activeRuns: 0 });
  const e = await buyer();
  await emit(emu, db, 'order.created', e.memberId, { orderId: 'o-e' });
  await advance(emu, '40m');
  expect(await runsOf(db, e.memberId)).toEqual([expect.objectContaining({ status: 'completed' })]);
  expect(await calls(emu, 'subscribeMessage.send', e.openid)).toHaveLength(1);

  const trail = (await auditOf({ action: 'journeys.setEnabled', target: `journeys/${JOURNEY}` })).sort((x, y) =>
    String(x.when).localeCompare(String(y.when)),
  );
  expect(trail.map((t) => [t.who, t.role, t.before, t.after])).toEqual([
    ['staff_admin', 'brand_admin', { enabled: true }, { enabled: false }],
    ['staff_admin', 'brand_admin', { enabled: false }, { enabled: true }],
  ]);
});

test('S21 journeys: only brand admins; bad input → INVALID_INPUT; a refusal or a bad call changes nothing', async () => {
  const before = await journeyDoc();
  const auditCount = async () =>
    (await db.collection('audit_log').where({ action: 'journeys.setEnabled' }).count()).total as number;
  const rows = await auditCount();
  for (const [openid, code, who, role] of [
    ['o_demo_manager', 'FORBIDDEN', 'staff_manager_sh', 'store_manager'],
    ['o_demo_advisor', 'FORBIDDEN', 'staff_advisor_sh', 'advisor'],
    ['o_shopper', 'NOT_STAFF', 'o_shopper', 'none'],
  ] as const) {
    expect(
      await as(emu, openid).call('messaging', 'journeys.setEnabled', { journeyId: JOURNEY, enabled: false }),
    ).toMatchObject({ ok: false, error: { code } });
    expect(await as(emu, openid).call('messaging', 'journeys.list', {})).toMatchObject({ ok: false, error: { code } });
    expect(await auditOf({ who, action: 'refused:messaging.journeys.setEnabled' })).toEqual([
      expect.objectContaining({ role, refused: { code } }),
    ]);
  }
  const admin = as(emu, ADMIN);
  for (const input of [
    { journeyId: 'Not An Id', enabled: false },
    { journeyId: JOURNEY, enabled: 'no' },
    { journeyId: JOURNEY },
    { journeyId: JOURNEY, enabled: false, role: 'brand_admin' },
  ]) {
    expect(await admin.call('messaging', 'journeys.setEnabled', input as never)).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  }
  expect(
    await admin.call('messaging', 'journeys.setEnabled', { journeyId: 'no-such-journey', enabled: false }),
  ).toMatchObject({ ok: false, error: { code: 'JOURNEY_NOT_FOUND' } });
  expect(await journeyDoc()).toEqual(before);
  expect(await auditCount()).toBe(rows);
});
