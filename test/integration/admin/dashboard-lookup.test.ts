import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { seedMember, seedMemberDocs, seedStaffAndStores, STAFF, STORE, type Db } from './support';

/** S7 staff side: member lookup with the portrait, and the dashboard from pre-aggregated daily rows. */
let emu: Emulator;
let db: Db;

const day = (date: string, followers: number, paidFollowers: number, extra: Record<string, unknown> = {}) => ({
  _id: date,
  date,
  followers,
  members: followers + 5,
  paidCustomers: paidFollowers + 1,
  paidFollowers,
  paidAmongFollowers: followers ? paidFollowers / followers : 0,
  newMembers: 2,
  stages: { window: followers - paidFollowers, repeat: paidFollowers },
  ...extra,
});

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [], startAt: new Date('2026-04-02T02:00:00Z') });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedStaffAndStores(db);
  await seedMember(db, { id: 'm_wu', openid: 'o_wu', phone: '13900000002', cardNo: 'SU0000002', name: '吴女士' });
  await seedMember(db, { id: 'm_wu2', openid: 'o_wu2', phone: '13900000003', cardNo: 'SU0000003', name: '吴女士' });
  const gone = { _id: 'm_gone', state: 'member', phone: '13900000009', cardNo: 'SU0000009', name: '吴女士' };
  await seedMemberDocs(db, [{ ...gone, mergedInto: 'm_wu' }], new Date());
  await db.collection('orders').add({
    data: [1, 2, 3, 4, 5, 6, 7].map((i) => ({
      _id: `pos:NO${i}`,
      memberId: 'm_wu',
      source: 'pos',
      orderNo: `NO${i}`,
      status: 'completed',
      paidFen: i * 10_000,
      totalFen: i * 10_000,
      createdAt: new Date(`2026-03-0${i}T04:00:00Z`),
    })),
  });
  await db.collection('appointments').add({
    data: [
      { _id: 'ap_1', memberId: 'm_wu', storeId: STORE, status: 'confirmed', start: new Date('2026-04-05T02:00:00Z') },
    ],
  });
  await db.collection('daily_stats').add({
    data: [
      day('2026-03-28', 100, 10),
      day('2026-03-29', 120, 18, {
        couponsIssued: 40,
        couponsRedeemed: 10,
        appointmentSlots: 20,
        appointmentsBooked: 15,
      }),
      day('2026-03-30', 150, 30),
      day('2026-04-01', 200, 50),
    ],
  });
});
afterAll(() => emu?.close());

test('S7 lookup by phone, card number and name: stage, tags, tier, points, LTV, the latest orders and appointments', async () => {
  const advisor = as(emu, STAFF.advisor);
  const byPhone = await advisor.ok('admin', 'members.lookup', { query: '13900000002' });
  expect(byPhone.members).toHaveLength(1);
  const p = byPhone.members[0]!;
  expect(p).toMatchObject({
    memberId: 'm_wu',
    stage: 'repeat',
    tier: 'silver',
    points: 1200,
    ltvFen: 268_000,
    cardNo: 'SU0000002',
    tags: [{ tagId: 'vip-silk', source: 'rule' }],
  });
  expect(p.orders.map((o) => o.orderId)).toEqual(['pos:NO7', 'pos:NO6', 'pos:NO5', 'pos:NO4', 'pos:NO3']);
  expect(p.orders[0]).toMatchObject({ amountFen: 70_000, status: 'completed', at: '2026-03-07T04:00:00.000Z' });
  expect(p.appointments).toEqual([
    { appointmentId: 'ap_1', storeId: STORE, status: 'confirmed', start: '2026-04-05T02:00:00.000Z' },
  ]);

  expect((await advisor.ok('admin', 'members.lookup', { query: 'SU0000003' })).members.map((m) => m.memberId)).toEqual([
    'm_wu2',
  ]);
  // a name may match several people; a merged-away record is not one of them
  expect(
    (await advisor.ok('admin', 'members.lookup', { query: '吴女士' })).members.map((m) => m.memberId).sort(),
  ).toEqual(['m_wu', 'm_wu2']);
  expect((await advisor.ok('admin', 'members.lookup', { query: '13900000009' })).members).toEqual([]);
  expect((await advisor.ok('admin', 'members.lookup', { query: '13800000000' })).members).toEqual([]);
});

test('S7 dashboard: the range of daily rows in at most 2 database calls, with the paid-among-followers trend and derivable rates', async () => {
  const manager = as(emu, STAFF.store_manager);
  const d = await manager.ok('admin', 'dashboard.summary', { from: '2026-03-29', to: '2026-04-01' });
  const inv = emu.runtime.invocations(1, 'admin')[0]!;
  expect(inv.ok).toBe(true);
  expect(inv.dbCalls).toBeLessThanOrEqual(2);

  expect(d.days.map((x) => [x.date, x.followers, x.paidAmongFollowers])).toEqual([
    ['2026-03-29', 120, 0.15],
    ['2026-03-30', 150, 0.2],
    ['2026-04-01', 200, 0.25],
  ]);
  expect(d.days[0]).toMatchObject({
    couponRedemptionRate: 0.25,
    appointmentFillRate: 0.75,
    newMembers: 2,
    stages: { window: 102, repeat: 18 },
  });
  expect(d.days[1]).toMatchObject({ couponRedemptionRate: null, appointmentFillRate: null });
  expect(d.latest).toMatchObject({ date: '2026-04-01', members: 205, paidCustomers: 51 });

  expect(await manager.call('admin', 'dashboard.summary', { from: '2025-01-01', to: '2026-04-01' })).toMatchObject({
    ok: false,
    error: { code: 'RANGE_TOO_LONG' },
  });
  expect(await manager.call('admin', 'dashboard.summary', { from: '2026-04-01', to: '2026-03-01' })).toMatchObject({
    ok: false,
    error: { code: 'RANGE_TOO_LONG' },
  });
  expect((await manager.ok('admin', 'dashboard.summary', { from: '2026-01-01', to: '2026-01-31' })).days).toEqual([]);
});
