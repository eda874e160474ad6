import { memberMergePatch } from '../../../core/members/merge-member';
import { needsMemberCheck, toMongoQuery } from '../../../core/segments/query';
import { spendReachOf, windowTotals } from '../../../core/segments/window';

const at = (iso: string) => new Date(iso);
const order = (paidAt: string, paidFen: number, refundedFen = 0) => ({ paidAt: at(paidAt), paidFen, refundedFen });
const NOW = at('2025-03-10T04:00:00Z');

describe('spend reach: when the spend counted back from the newest order reached each ladder amount', () => {
  it('counts each order net of its refunds, newest first, and leaves amounts never reached null', () => {
    const reach = spendReachOf([
      order('2025-01-01T00:00:00Z', 40_000),
      order('2025-03-01T00:00:00Z', 15_000, 10_000), // 50 yuan counts
      order('2025-02-01T00:00:00Z', 20_000),
      order('2025-03-05T00:00:00Z', 8_000, 8_000), // fully refunded: nothing
    ]);
    expect(reach).toEqual({
      y100: at('2025-02-01T00:00:00Z'), // 50 + 200
      y200: at('2025-02-01T00:00:00Z'),
      y300: at('2025-01-01T00:00:00Z'), // 250 + 400
      y500: at('2025-01-01T00:00:00Z'),
      y1000: null,
      y2000: null,
      y5000: null,
    });
  });

  it('writes every key, null for a member without orders (a merged update would keep a stale time)', () => {
    expect(Object.values(spendReachOf(null))).toEqual(Array(7).fill(null));
    expect(Object.keys(spendReachOf([]))).toEqual(['y100', 'y200', 'y300', 'y500', 'y1000', 'y2000', 'y5000']);
  });

  it('orders paid at one time reach an amount together, whichever comes first', () => {
    const tie = [order('2025-03-01T00:00:00Z', 6_000), order('2025-03-01T00:00:00Z', 6_000)];
    expect(spendReachOf(tie).y100).toEqual(at('2025-03-01T00:00:00Z'));
    expect(spendReachOf([...tie].reverse())).toEqual(spendReachOf(tie));
  });

  it('agrees with the sum in every window: reached on or after the cut-off exactly when the window holds X', () => {
    const orders = [
      order('2025-03-09T15:00:00Z', 12_000),
      order('2025-02-20T00:00:00Z', 30_000, 5_000),
      order('2024-12-01T00:00:00Z', 90_000),
    ];
    const reach = spendReachOf(orders);
    for (let days = 0; days <= 120; days++) {
      const { spendFen } = windowTotals(orders, days, NOW);
      const cutoff = toMongoQuery({ field: 'recencyDays', op: 'within', days }, NOW)['lifecycle.paidOrders.paidAt'] as {
        $gte: Date;
      };
      for (const [key, fen] of [
        ['y100', 10_000],
        ['y300', 30_000],
        ['y1000', 100_000],
      ] as const) {
        const t = reach[key] ?? null;
        expect(t !== null && t >= cutoff.$gte).toBe(spendFen >= fen);
      }
    }
  });

  it('a merge of two members derives it again from the paid orders of both', () => {
    const survivor = { lifecycle: { paidOrders: [{ key: 'a', ...order('2025-03-01T00:00:00Z', 8_000) }] } };
    const loser = { lifecycle: { paidOrders: [{ key: 'b', ...order('2025-02-01T00:00:00Z', 4_000) }] } };
    const merged = memberMergePatch(survivor, loser) as { lifecycle: { spendReach: Record<string, Date | null> } };
    expect(merged.lifecycle.spendReach.y100).toEqual(at('2025-02-01T00:00:00Z'));
    expect(merged.lifecycle.spendReach.y200).toBeNull();
  });

  it('a ladder amount is one range on the kept time; other amounts narrow to the nearest step and are checked', () => {
    const rule = { field: 'spendInWindow', days: 90, op: 'gte', value: 20_000 } as const;
    expect(needsMemberCheck(rule)).toBe(false);
    expect(needsMemberCheck({ ...rule, op: 'gt', value: 19_999 })).toBe(false);
    expect(needsMemberCheck({ not: { ...rule, op: 'lt' } })).toBe(false);
    expect(needsMemberCheck({ ...rule, value: 25_000 })).toBe(true);
    expect(Object.keys(toMongoQuery({ ...rule, value: 25_000 }, NOW))).toEqual(['lifecycle.spendReach.y200']);
    expect(toMongoQuery({ not: { ...rule, value: 25_000 } }, NOW)).toEqual({
      $nor: [{ 'lifecycle.spendReach.y300': { $gte: expect.any(Date) } }],
    });
  });
});
