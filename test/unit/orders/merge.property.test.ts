import fc from 'fast-check';
import {
  incomingOrderSchema,
  mergeOrderUpdate,
  type IncomingOrder,
  type OrderTransition,
  type StoredOrder,
} from '../../../core/orders';

/**
 * A true order history (created → paid → maybe shipped/completed → partial refunds → maybe a full
 * refund) and the snapshots a source would send after each step, each listing everything so far.
 */
const historyArb: fc.Arbitrary<History> = fc.record({
  paidFen: fc.integer({ min: 1, max: 500_000 }),
  paid: fc.boolean(),
  shipped: fc.boolean(),
  completed: fc.boolean(),
  refundShares: fc.array(fc.integer({ min: 1, max: 30 }), { maxLength: 3 }),
  fullRefund: fc.boolean(),
});
type History = {
  paidFen: number;
  paid: boolean;
  shipped: boolean;
  completed: boolean;
  refundShares: number[];
  fullRefund: boolean;
};

const T0 = Date.parse('2025-06-01T00:00:00Z');
const at = (step: number) => new Date(T0 + step * 3_600_000).toISOString();

function snapshots(h: History): IncomingOrder[] {
  const out: IncomingOrder[] = [];
  const common = {
    source: 'ecommerce',
    orderNo: 'E-77',
    customer: [{ type: 'externalId', value: 'c-1' }],
    amounts: { totalFen: h.paidFen },
    items: [{ sku: 's', category: 'c', qty: 1, priceFen: h.paidFen }],
    createdAt: at(0),
  };
  let step = 0;
  const push = (status: string, extra: Record<string, unknown> = {}) =>
    out.push(incomingOrderSchema.parse({ ...common, status, updatedAt: at(step++), ...extra }));
  push('created');
  if (!h.paid) return out;
  const paid = { paidAt: at(1) };
  push('paid', paid);
  const progress: Record<string, unknown> = { ...paid };
  if (h.shipped) {
    progress.shippedAt = at(step);
    push('shipped', progress);
  }
  if (h.completed) {
    progress.completedAt = at(step);
    push('completed', progress);
  }
  // Partial refunds: each a share (in 1/100) of the paid amount, together below it.
  const refunds: { refundNo: string; amountFen: number; at: string }[] = [];
  let left = h.paidFen - 1;
  h.refundShares.forEach((share, i) => {
    const amountFen = Math.min(left, Math.floor((h.paidFen * share) / 100));
    if (amountFen <= 0) return;
    left -= amountFen;
    refunds.push({ refundNo: `R${i}`, amountFen, at: at(step) });
    push('partially_refunded', { ...progress, refunds: [...refunds] });
  });
  if (h.fullRefund) push('refunded', { ...progress, refunds: [...refunds] });
  return out;
}

function run(updates: IncomingOrder[]): { order: StoredOrder; transitions: OrderTransition[] } {
  let order: StoredOrder | null = null;
  const transitions: OrderTransition[] = [];
  for (const u of updates) {
    const r = mergeOrderUpdate(order, u);
    order = r.order;
    transitions.push(...r.transitions);
  }
  if (!order) throw new Error('no updates');
  return { order, transitions };
}

const multiset = (ts: OrderTransition[]) => ts.map((x) => JSON.stringify(x)).sort();

/** The sequence in history order, then each update at least once, shuffled, with repeats. */
const scenarioArb = historyArb.chain((h) => {
  const snaps = snapshots(h);
  return fc
    .record({
      extra: fc.array(fc.nat(snaps.length - 1), { maxLength: 8 }),
      keys: fc.array(fc.double({ noNaN: true }), { minLength: snaps.length + 8, maxLength: snaps.length + 8 }),
    })
    .map(({ extra, keys }) => {
      const idx = [...snaps.keys(), ...extra];
      const shuffled = idx
        .map((i, k) => ({ i, key: keys[k] ?? 0 }))
        .sort((a, b) => a.key - b.key)
        .map(({ i }) => snaps[i] as IncomingOrder);
      return { h, snaps, shuffled };
    });
});

describe('S5 order convergence (property)', () => {
  it('S5 any permutation with duplicates gives the same final order and the same multiset of transitions', () => {
    fc.assert(
      fc.property(scenarioArb, ({ h, snaps, shuffled }) => {
        const inOrder = run(snaps);
        const scrambled = run(shuffled);
        expect(scrambled.order).toEqual(inOrder.order);
        expect(multiset(scrambled.transitions)).toEqual(multiset(inOrder.transitions));

        // And the result is the true one, judged from the history itself.
        const types = inOrder.transitions.map((x) => x.type);
        expect(types.filter((x) => x === 'order.created')).toHaveLength(1);
        expect(types.filter((x) => x === 'order.paid')).toHaveLength(h.paid ? 1 : 0);
        const refunded = inOrder.transitions.flatMap((x) => (x.type === 'order.refunded' ? [x] : []));
        expect(new Set(refunded.map((r) => r.refundNo)).size).toBe(refunded.length);
        const refundedTotal = refunded.reduce((s, r) => s + r.deltaFen, 0);
        expect(refundedTotal).toBe(inOrder.order.refundedFen);
        const last = snaps[snaps.length - 1] as IncomingOrder;
        expect(inOrder.order.status).toBe(last.status);
        if (h.paid && h.fullRefund) expect(refundedTotal).toBe(h.paidFen);
        if (!h.fullRefund) expect(refundedTotal).toBe(last.refunds.reduce((s, r) => s + r.amountFen, 0));
      }),
      { numRuns: 300 },
    );
  });
});
