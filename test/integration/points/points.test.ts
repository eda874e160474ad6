import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { mergeMembers } from '../../../server/identity/merge';
import {
  STAFF,
  earn,
  fireTimer,
  ledgerOf,
  seedBrand,
  seedMembers,
  seedTemplate,
  setClock,
  valueEmulator,
} from './value-fixtures';

let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await valueEmulator();
  await setClock(emu, { set: '2026-03-01T02:00:00Z' });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedBrand(emu);
});
afterAll(() => emu?.close());

test('S8 points: the same order earned twice, and 20 times at once, is credited once', async () => {
  const [m] = await seedMembers(emu, ['o_dup']);
  const first = await earn(emu, m!, 'ord_dup_1', 12_345);
  expect(first).toMatchObject({ points: 123, balance: 123, replayed: false });
  const again = await earn(emu, m!, 'ord_dup_1', 12_345);
  expect(again).toMatchObject({ points: 123, balance: 123, replayed: true });

  const burst = await Promise.all(Array.from({ length: 20 }, () => earn(emu, m!, 'ord_dup_2', 50_000)));
  expect(burst.filter((r) => !r.replayed)).toHaveLength(1);
  const { rows, balance, problems } = await ledgerOf(db, m!);
  expect(rows.map((r) => r.idempotencyKey).sort()).toEqual(['earn:ord_dup_1', 'earn:ord_dup_2']);
  expect(balance).toBe(623);
  expect(problems).toEqual([]);
});

test('S8 points: spending takes the oldest lot first; expiry takes each lot once, through the nightly timer and clock jumps of a year', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_fifo_60',
    name: { zh: '60 积分兑换券' },
    benefit: { kind: 'amountOff', amountFen: 600 },
    validity: { kind: 'daysAfterClaim', days: 30 },
    perMemberLimit: null,
    channels: ['pointsMall'],
    pointsCost: 60,
  });
  const [m] = await seedMembers(emu, ['o_fifo']);
  const member = as(emu, 'o_fifo');
  await setClock(emu, { set: '2026-03-01T04:00:00Z' });
  await earn(emu, m!, 'ord_fifo_a', 10_000); // 100 points, valid through 2027 (end of the following year)
  await setClock(emu, { set: '2027-02-01T04:00:00Z' });
  await earn(emu, m!, 'ord_fifo_b', 20_000); // 200 points, valid through 2028
  const bought = await member.ok('coupons', 'exchange', { templateId: 'tpl_fifo_60', requestId: 'fifo-exchange-1' });
  expect(bought).toMatchObject({ pointsSpent: 60, balance: 240 });

  let { lots } = await ledgerOf(db, m!);
  expect(Object.fromEntries(lots.map((l) => [l.lotId, l.remaining]))).toEqual({
    'lot:earn:ord_fifo_a': 40,
    'lot:earn:ord_fifo_b': 200,
  });

  // December: the 40 points left of the first lot are "expiring soon"
  await setClock(emu, { set: '2027-12-10T04:00:00Z' });
  const summary = await member.ok('points', 'summary', {});
  expect(summary.expiringSoon).toMatchObject({ total: 40, earliest: '2027-12-31T16:00:00.000Z' });

  // the first night of 2028 (Shanghai) expires the first lot's 40 points, nothing of the second
  const night = await setClock(emu, { set: '2028-01-02T00:00:00Z' });
  expect(night.fired.every((f) => f.ok)).toBe(true);
  let state = await ledgerOf(db, m!);
  expect(state.rows.filter((r) => r.kind === 'expire').map((r) => [r.idempotencyKey, r.amount])).toEqual([
    ['expire:lot:earn:ord_fifo_a', -40],
  ]);
  expect(state.balance).toBe(200);

  // running the job again by hand changes nothing
  await fireTimer(emu, 'points', 'expirePoints');
  await fireTimer(emu, 'points', 'expirePoints');
  expect((await ledgerOf(db, m!)).rows).toHaveLength(state.rows.length);

  // a jump of more than a year: the second lot expires once, whatever the number of nights fired
  await setClock(emu, { advance: '400d' });
  state = await ledgerOf(db, m!);
  expect(state.rows.filter((r) => r.kind === 'expire').map((r) => r.amount)).toEqual([-40, -200]);
  expect(state.balance).toBe(0);
  expect(state.problems).toEqual([]);
  ({ lots } = state);
  expect(lots.map((l) => [l.remaining, l.expired])).toEqual(
    expect.arrayContaining([
      [0, 40],
      [0, 200],
    ]),
  );

  // one reminder per lot's expiry day, however many nights looked
  const reminders = (await db.collection('events').where({ memberId: m, type: 'points.expiring_soon' }).get()).data;
  expect(
    reminders.map((e: { data: { points: number } }) => e.data.points).sort((a: number, b: number) => a - b),
  ).toEqual([40, 200]);
}, 300_000);

test('S8 points: after a merge the survivor holds both ledgers: balance, spending across both lots, invariants', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_merge_120',
    name: { zh: '120 积分兑换券' },
    benefit: { kind: 'amountOff', amountFen: 1200 },
    validity: { kind: 'daysAfterClaim', days: 30 },
    perMemberLimit: null,
    channels: ['pointsMall'],
    pointsCost: 120,
  });
  const [survivor] = await seedMembers(emu, ['o_merge_old'], new Date('2026-01-01T00:00:00Z'));
  const [loser] = await seedMembers(emu, ['o_merge_new'], new Date('2026-02-01T00:00:00Z'));
  await earn(emu, survivor!, 'ord_merge_s', 5_000); // 50
  await earn(emu, loser!, 'ord_merge_l', 10_000); // 100
  expect(await mergeMembers(db, new Date(), loser!, survivor!, 'same person')).toMatchObject({ survivorId: survivor });

  expect((await as(emu, 'o_merge_old').ok('points', 'summary', {})).balance).toBe(150);
  // the loser's WeChat identity now leads to the survivor, and its lot is spendable there
  const bought = await as(emu, 'o_merge_new').ok('coupons', 'exchange', {
    templateId: 'tpl_merge_120',
    requestId: 'merge-buy-01',
  });
  expect(bought.balance).toBe(30);
  const state = await ledgerOf(db, survivor!);
  expect(state.problems).toEqual([]);
  expect(state.rows.map((r) => r.amount).sort((a, b) => a - b)).toEqual([-120, 50, 100]);
});

test('S8 points: refunds take back points in proportion, once per refund id; staff adjustments are audited; history pages by 20', async () => {
  const [m] = await seedMembers(emu, ['o_refund']);
  await earn(emu, m!, 'ord_refund', 40_000); // 400
  const manager = as(emu, STAFF.manager);
  const half = await manager.ok('points', 'refundOrder', {
    memberId: m!,
    orderId: 'ord_refund',
    refundId: 'rf1',
    refundFen: 20_000,
  });
  expect(half).toMatchObject({ charged: 200, balance: 200, replayed: false });
  expect(
    await manager.ok('points', 'refundOrder', {
      memberId: m!,
      orderId: 'ord_refund',
      refundId: 'rf1',
      refundFen: 20_000,
    }),
  ).toMatchObject({ charged: 200, replayed: true, balance: 200 });

  expect(
    await as(emu, 'o_refund').call('points', 'adjust', {
      memberId: m!,
      delta: 1000,
      reason: '自己加分',
      requestId: 'self-adjust-1',
    }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(
    await as(emu, STAFF.advisor).call('points', 'adjust', {
      memberId: m!,
      delta: 1000,
      reason: '顾问加分',
      requestId: 'advisor-adjust-1',
    }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(
    await manager.call('points', 'adjust', { memberId: m!, delta: -500, reason: '扣多了', requestId: 'too-much-0001' }),
  ).toMatchObject({ ok: false, error: { code: 'POINTS_INSUFFICIENT' } });
  for (let i = 0; i < 23; i++)
    await manager.ok('points', 'adjust', { memberId: m!, delta: 1, reason: '活动补偿', requestId: `bonus-point-${i}` });
  expect(
    await manager.ok('points', 'adjust', { memberId: m!, delta: 1, reason: '活动补偿', requestId: 'bonus-point-0' }),
  ).toMatchObject({ replayed: true, balance: 223 });
  const audits = (await db.collection('audit_log').where({ action: 'points.adjust', target: m }).limit(100).get()).data;
  expect(audits).toHaveLength(23);
  expect(audits.find((a: { before: { points: number } }) => a.before.points === 200)).toMatchObject({
    who: 'staff_manager_sh',
    role: 'store_manager',
    before: { points: 200 },
    after: { points: 201, delta: 1, reason: '活动补偿' },
  });

  const me = as(emu, 'o_refund');
  const p0 = await me.ok('points', 'history', {});
  const p1 = await me.ok('points', 'history', { page: 1 });
  expect([p0.items.length, p0.hasMore, p1.items.length, p1.hasMore]).toEqual([20, true, 5, false]);
  expect(p1.items.at(-1)).toMatchObject({ kind: 'earn', amount: 400, orderId: 'ord_refund' });
  expect(p0.items[0]!.balanceAfter).toBe(223);
  expect((await ledgerOf(db, m!)).problems).toEqual([]);
});

test('S9 tiers: an order that crosses a threshold upgrades at once; the summary shows the next tier and what is missing', async () => {
  const [m] = await seedMembers(emu, ['o_tier']);
  const r = await earn(emu, m!, 'ord_tier_1', 120_000); // 1,200 points: silver from 1,000
  expect(r.tierId).toBe('silver');
  const s = await as(emu, 'o_tier').ok('points', 'summary', {});
  expect(s).toMatchObject({
    tier: { id: 'silver' },
    nextTier: { id: 'gold' },
    progress: { basis: 'points', value: 1200, missing: 3800 },
  });
  const changes = (await db.collection('events').where({ memberId: m, type: 'tier.changed' }).get()).data.map(
    (e: { data: { to: string } }) => e.data.to,
  );
  expect(changes).toEqual(['silver']);
});
