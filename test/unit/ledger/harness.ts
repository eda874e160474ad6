/** A tiny in-memory stand-in for the server: applies the core plans the way a transaction would. */
import {
  applyConsumption,
  computeExpiry,
  openLot,
  planAdjust,
  planEarn,
  planExpire,
  planReverse,
  reverseInputOf,
  type OrderPoints,
  planSpend,
  type LedgerRow,
  type Lot,
  type PointsRules,
} from '../../../core/ledger';

export interface OrderState extends OrderPoints {
  orderId: string;
}

export interface Book {
  lots: Lot[];
  rows: LedgerRow[];
  balance: number;
  orders: OrderState[];
  seq: number;
}

export const emptyBook = (): Book => ({ lots: [], rows: [], balance: 0, orders: [], seq: 0 });

const key = (b: Book, kind: string) => `${kind}:${++b.seq}`;

export function earn(
  b: Book,
  amountFen: number,
  multiplier: number,
  rules: PointsRules,
  now: Date,
  tz?: string,
): OrderState {
  const plan = planEarn(amountFen, multiplier, rules, now, tz);
  const orderId = `o${b.orders.length + 1}`;
  const order: OrderState = {
    orderId,
    lotId: null,
    earned: plan.points,
    amountFen,
    refundedFen: 0,
    charged: 0,
    forgiven: 0,
  };
  b.orders.push(order);
  if (plan.points === 0) return order;
  const { lot, settledDebt } = openLot(
    { lotId: `L${b.seq + 1}`, points: plan.points, earnedAt: now, expiresAt: plan.expiresAt },
    b.balance,
  );
  order.lotId = lot.lotId;
  b.lots.push(lot);
  b.rows.push({
    kind: 'earn',
    amount: plan.points,
    at: now,
    idempotencyKey: key(b, 'earn'),
    source: 'order',
    orderId,
    lotId: lot.lotId,
    settledDebt,
  });
  b.balance += plan.points;
  return order;
}

export function spend(b: Book, amount: number, now: Date) {
  const plan = planSpend(b.lots, amount, now);
  b.lots = applyConsumption(b.lots, plan.consumed);
  b.rows.push({
    kind: 'spend',
    amount: -amount,
    at: now,
    idempotencyKey: key(b, 'spend'),
    source: 'coupon',
    consumed: plan.consumed,
  });
  b.balance -= amount;
  return plan;
}

export function expire(b: Book, now: Date) {
  const plan = planExpire(b.lots, now);
  b.lots = applyConsumption(b.lots, plan.expired, { expiry: true });
  for (const c of plan.expired) {
    b.rows.push({
      kind: 'expire',
      amount: -c.amount,
      at: now,
      idempotencyKey: `expire:${c.lotId}`,
      source: 'job',
      consumed: [c],
    });
  }
  b.balance -= plan.total;
  return plan;
}

export function reverse(b: Book, order: OrderState, refundFen: number, now: Date) {
  const plan = planReverse(reverseInputOf(order, refundFen, b.lots, b.balance));
  order.refundedFen = Math.min(order.amountFen, order.refundedFen + refundFen);
  order.charged += plan.charged;
  order.forgiven += plan.forgiven;
  b.lots = applyConsumption(b.lots, plan.consumed);
  if (plan.due > 0) {
    b.rows.push({
      kind: 'reverse',
      amount: -plan.charged,
      at: now,
      idempotencyKey: key(b, 'reverse'),
      source: 'order',
      orderId: order.orderId,
      consumed: plan.consumed,
      forgiven: plan.forgiven,
    });
  }
  b.balance = plan.balanceAfter;
  return plan;
}

export function adjust(b: Book, delta: number, rules: PointsRules, now: Date) {
  const plan = planAdjust(b.lots, b.balance, delta, {
    lotId: `L${b.seq + 1}`,
    now,
    expiresAt: computeExpiry(now, rules.expiry),
  });
  const row: LedgerRow = {
    kind: 'adjust',
    amount: delta,
    at: now,
    idempotencyKey: key(b, 'adjust'),
    source: 'staff',
    reason: 'test',
  };
  if (plan.direction === 'credit') {
    b.lots.push(plan.lot);
    b.rows.push({ ...row, lotId: plan.lot.lotId, settledDebt: plan.settledDebt });
  } else {
    b.lots = applyConsumption(b.lots, plan.consumed);
    b.rows.push({ ...row, consumed: plan.consumed });
  }
  b.balance += delta;
  return plan;
}
