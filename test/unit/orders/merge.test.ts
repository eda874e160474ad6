import { isDomainError } from '../../../core/errors';
import {
  incomingOrderSchema,
  mergeOrderUpdate,
  parseIncomingOrder,
  type IncomingOrder,
  type IncomingOrderInput,
  type OrderMergeResult,
  type StoredOrder,
} from '../../../core/orders';

const t = (iso: string) => new Date(iso);
const base: IncomingOrderInput = {
  source: 'pos',
  orderNo: 'P-1001',
  customer: [{ type: 'phone', value: '13800000000' }],
  amounts: { totalFen: 12_800 },
  items: [{ sku: 'QP-01', category: 'qipao', qty: 1, priceFen: 12_800 }],
  status: 'created',
  createdAt: '2025-03-01T10:00:00+08:00',
  updatedAt: '2025-03-01T10:00:00+08:00',
};
const upd = (patch: Partial<IncomingOrderInput>): IncomingOrder => incomingOrderSchema.parse({ ...base, ...patch });
const paidUpd = upd({ status: 'paid', paidAt: '2025-03-01T10:05:00+08:00', updatedAt: '2025-03-01T10:05:00+08:00' });

function fold(updates: IncomingOrder[]): { order: StoredOrder | null; steps: OrderMergeResult['transitions'][] } {
  let order: StoredOrder | null = null;
  const steps: OrderMergeResult['transitions'][] = [];
  for (const u of updates) {
    const r = mergeOrderUpdate(order, u);
    order = r.order;
    steps.push(r.transitions);
  }
  return { order, steps };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isDomainError(e) ? e.code : `not a DomainError: ${String(e)}`;
  }
  return undefined;
}

describe('S5 order merge', () => {
  it('S5 a new order emits order.created; the same update again emits nothing and changes nothing', () => {
    const first = mergeOrderUpdate(null, upd({}));
    expect(first.transitions.map((x) => x.type)).toEqual(['order.created']);
    expect(first.order.status).toBe('created');
    const again = mergeOrderUpdate(first.order, upd({}));
    expect(again.transitions).toEqual([]);
    expect(again.order).toEqual(first.order);
  });

  it('S5 S18 created then paid: order.paid carries the paid amount, instant and the categories bought', () => {
    const { order, steps } = fold([upd({}), paidUpd, paidUpd]);
    expect(steps[1]).toEqual([
      {
        type: 'order.paid',
        source: 'pos',
        orderNo: 'P-1001',
        paidFen: 12_800,
        paidAt: t('2025-03-01T02:05:00Z'),
        categories: ['qipao'],
      },
    ]);
    expect(steps[2]).toEqual([]);
    expect(order?.status).toBe('paid');
    expect(order?.paidFen).toBe(12_800);
  });

  it('S5 a full refund seen before paid ends refunded; created, paid and refunded are each emitted once', () => {
    const refunded = upd({
      status: 'refunded',
      paidAt: '2025-03-01T10:05:00+08:00',
      updatedAt: '2025-03-02T09:00:00+08:00',
    });
    const { order, steps } = fold([refunded, paidUpd, upd({}), refunded]);
    expect(steps[0]?.map((x) => x.type)).toEqual(['order.created', 'order.paid', 'order.refunded']);
    expect(steps.slice(1).flat()).toEqual([]);
    const refund = steps[0]?.[2];
    expect(refund).toMatchObject({ type: 'order.refunded', amountFen: 12_800, deltaFen: 12_800, paidFen: 12_800 });
    expect(order).toMatchObject({ status: 'refunded', refundedFen: 12_800, paidAt: t('2025-03-01T02:05:00Z') });
  });

  it('S5 partial refunds are counted once each by refund number and a later full refund emits only the rest', () => {
    const r1 = { refundNo: 'R1', amountFen: 3_000, at: '2025-03-03T10:00:00+08:00' };
    const partial = upd({
      status: 'partially_refunded',
      paidAt: '2025-03-01T10:05:00+08:00',
      refunds: [r1],
      updatedAt: '2025-03-03T10:00:00+08:00',
    });
    const full = upd({
      status: 'refunded',
      paidAt: '2025-03-01T10:05:00+08:00',
      refunds: [r1],
      updatedAt: '2025-03-04T10:00:00+08:00',
    });
    const { order, steps } = fold([upd({}), paidUpd, partial, partial, full]);
    expect(steps[2]).toEqual([expect.objectContaining({ type: 'order.refunded', refundNo: 'R1', deltaFen: 3_000 })]);
    expect(steps[3]).toEqual([]);
    expect(steps[4]).toEqual([expect.objectContaining({ type: 'order.refunded', deltaFen: 9_800 })]);
    expect(order).toMatchObject({ status: 'refunded', refundedFen: 12_800, refundedAt: t('2025-03-03T02:00:00Z') });
  });

  it('S5 refunds never exceed the paid amount: deltas add up to the paid amount', () => {
    const over = upd({
      status: 'partially_refunded',
      refunds: [
        { refundNo: 'A', amountFen: 10_000 },
        { refundNo: 'B', amountFen: 10_000 },
      ],
      updatedAt: '2025-03-05T00:00:00+08:00',
    });
    const { order, steps } = fold([paidUpd, over]);
    const deltas = steps.flat().flatMap((x) => (x.type === 'order.refunded' ? [x.deltaFen] : []));
    expect(deltas.reduce((a, b) => a + b, 0)).toBe(12_800);
    expect(order?.status).toBe('refunded');
  });

  it('S5 completed before shipped still ends completed, and the body comes from the furthest update', () => {
    const shipped = upd({
      status: 'shipped',
      shippedAt: '2025-03-02T10:00:00+08:00',
      updatedAt: '2025-03-02T10:00:00+08:00',
    });
    const completed = upd({
      status: 'completed',
      completedAt: '2025-03-05T10:00:00+08:00',
      updatedAt: '2025-03-05T10:00:00+08:00',
      customer: [{ type: 'openid', value: 'o-1' }],
    });
    const { order } = fold([completed, shipped, upd({ amounts: { totalFen: 1 } })]);
    expect(order).toMatchObject({
      status: 'completed',
      shipped: true,
      totalFen: 12_800,
      shippedAt: t('2025-03-02T02:00:00Z'),
    });
    expect(order?.customer).toEqual([
      { type: 'openid', value: 'o-1' },
      { type: 'phone', value: '13800000000' },
    ]);
  });

  it('S5 bad orders are rejected with distinct codes', () => {
    expect(codeOf(() => parseIncomingOrder({ ...base, currency: 'USD' }))).toBe('ORDER_UNKNOWN_CURRENCY');
    expect(codeOf(() => parseIncomingOrder({ ...base, amounts: { totalFen: -1 } }))).toBe('ORDER_NEGATIVE_AMOUNT');
    expect(
      codeOf(() => parseIncomingOrder({ ...base, items: [{ sku: 'x', category: 'c', qty: 1, priceFen: -5 }] })),
    ).toBe('ORDER_NEGATIVE_AMOUNT');
    expect(
      codeOf(() =>
        parseIncomingOrder({ ...base, status: 'partially_refunded', refunds: [{ refundNo: 'R', amountFen: -1 }] }),
      ),
    ).toBe('ORDER_NEGATIVE_AMOUNT');
    expect(codeOf(() => parseIncomingOrder({ ...base, amounts: { totalFen: 1.5 } }))).toBe('ORDER_MALFORMED');
    expect(codeOf(() => parseIncomingOrder({ ...base, source: 'Fax!' }))).toBe('ORDER_MALFORMED');
    expect(codeOf(() => parseIncomingOrder({ ...base, status: 'partially_refunded' }))).toBe('ORDER_MALFORMED');
    expect(codeOf(() => mergeOrderUpdate(null, upd({ currency: 'EUR' })))).toBe('ORDER_UNKNOWN_CURRENCY');
    const stored = mergeOrderUpdate(null, upd({})).order;
    expect(codeOf(() => mergeOrderUpdate(stored, upd({ orderNo: 'other' })))).toBe('ORDER_MISMATCH');
    expect(parseIncomingOrder(base).createdAt).toEqual(t('2025-03-01T02:00:00Z'));
  });
});
