import { DomainError, ErrorCodes } from '../errors';
import {
  ORDER_STATUSES,
  type IdentityRef,
  type IncomingOrder,
  type OrderStatus,
  type OrderTransition,
  type Refund,
  type StoredOrder,
} from './schema';
import { assertOrderValid } from './validate';

/**
 * Convergence: every update is first turned into a StoredOrder of its own, and two stored orders
 * are combined by `joinOrders`, which is commutative, associative and idempotent (flags OR,
 * timestamps min, refunds union by refundNo, body from the highest version). So the stored order
 * does not depend on the order or repetition of updates, and transitions are the difference
 * between the state before and after: each appears the first time its fact is known, never again.
 */

const FULL_REFUND_NO = '*';
const rankOf = (s: OrderStatus): number => ORDER_STATUSES.indexOf(s);
const PAID_RANK = rankOf('paid');

/** A 53-bit string hash (cyrb53): only breaks ties between different bodies with the same rank and updatedAt. */
function digestOf(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36).padStart(11, '0');
}

const minDate = (a?: Date, b?: Date): Date | undefined => (!a ? b : !b ? a : a.getTime() <= b.getTime() ? a : b);
const refKey = (r: IdentityRef): string => `${r.type}\u0000${r.value}`;

function unionRefs(a: IdentityRef[], b: IdentityRef[]): IdentityRef[] {
  const byKey = new Map<string, IdentityRef>();
  for (const r of [...a, ...b]) byKey.set(refKey(r), { type: r.type, value: r.value });
  return [...byKey.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, r]) => r);
}

/** Same refundNo seen twice with different data: keep the larger amount and the earliest instant (both commutative). */
function unionRefunds(a: Refund[], b: Refund[]): Refund[] {
  const byNo = new Map<string, Refund>();
  for (const r of [...a, ...b]) {
    const prev = byNo.get(r.refundNo);
    const at = minDate(prev?.at, r.at);
    const merged: Refund = { refundNo: r.refundNo, amountFen: Math.max(prev?.amountFen ?? 0, r.amountFen) };
    if (at) merged.at = at;
    byNo.set(r.refundNo, merged);
  }
  return [...byNo.values()].sort((x, y) => (x.refundNo < y.refundNo ? -1 : x.refundNo > y.refundNo ? 1 : 0));
}

const compareVersions = (a: StoredOrder['version'], b: StoredOrder['version']): number =>
  a.rank - b.rank ||
  a.updatedAt.getTime() - b.updatedAt.getTime() ||
  (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0);

/** Fields computed from the merged facts, never merged themselves. */
function derive(o: Omit<StoredOrder, 'status' | 'refundedFen' | 'refundedAt'>): StoredOrder {
  const refundSum = o.refunds.reduce((s, r) => s + r.amountFen, 0);
  const refundedFen = Math.min(o.paidFen, refundSum);
  const refundedAt = o.refunds.reduce<Date | undefined>((m, r) => minDate(m, r.at), undefined);
  const fully = o.paid && (o.fullRefundDeclared || (o.paidFen > 0 && refundedFen >= o.paidFen));
  const status: OrderStatus = fully
    ? 'refunded'
    : refundedFen > 0
      ? 'partially_refunded'
      : o.completed
        ? 'completed'
        : o.shipped
          ? 'shipped'
          : o.paid
            ? 'paid'
            : 'created';
  const out: StoredOrder = { ...o, status, refundedFen };
  if (refundedAt) out.refundedAt = refundedAt;
  return out;
}

function withOptionalDates(
  o: StoredOrder,
  dates: Pick<StoredOrder, 'paidAt' | 'shippedAt' | 'completedAt'>,
): StoredOrder {
  const out = { ...o };
  delete out.paidAt;
  delete out.shippedAt;
  delete out.completedAt;
  if (dates.paidAt) out.paidAt = dates.paidAt;
  if (dates.shippedAt) out.shippedAt = dates.shippedAt;
  if (dates.completedAt) out.completedAt = dates.completedAt;
  return out;
}

/** The stored order that one update alone describes. */
export function orderFromUpdate(u: IncomingOrder): StoredOrder {
  assertOrderValid(u);
  const rank = rankOf(u.status);
  const paid = rank >= PAID_RANK;
  const paidFen = paid ? (u.amounts.paidFen ?? u.amounts.totalFen) : 0;
  const listed = u.refunds.reduce((s, r) => s + r.amountFen, 0);
  const refunds: Refund[] = u.refunds.map((r) => ({ ...r }));
  // A full refund without (enough) refund numbers: the rest is one refund under a fixed number.
  if (u.status === 'refunded' && listed < paidFen)
    refunds.push({ refundNo: FULL_REFUND_NO, amountFen: paidFen - listed, at: u.updatedAt });
  const body = { totalFen: u.amounts.totalFen, discountFen: u.amounts.discountFen, paidFen, items: u.items };
  const base = derive({
    source: u.source,
    orderNo: u.orderNo,
    currency: 'CNY',
    customer: unionRefs([], u.customer),
    ...body,
    items: u.items.map((it) => ({ ...it })),
    refunds: unionRefunds([], refunds),
    paid,
    shipped: u.status === 'shipped' || u.shippedAt !== undefined,
    completed: u.status === 'completed' || u.completedAt !== undefined,
    fullRefundDeclared: u.status === 'refunded',
    createdAt: u.createdAt,
    version: { rank, updatedAt: u.updatedAt, digest: digestOf(JSON.stringify(body)) },
  });
  // A paid-or-later update that does not say when payment happened: its own updatedAt is the best bound.
  return withOptionalDates(base, {
    paidAt: paid ? (u.paidAt ?? u.updatedAt) : u.paidAt,
    shippedAt: u.shippedAt,
    completedAt: u.completedAt,
  });
}

/** The lattice join of two versions of the same order. */
export function joinOrders(a: StoredOrder, b: StoredOrder): StoredOrder {
  const win = compareVersions(a.version, b.version) >= 0 ? a : b;
  const merged = derive({
    source: a.source,
    orderNo: a.orderNo,
    currency: 'CNY',
    customer: unionRefs(a.customer, b.customer),
    totalFen: win.totalFen,
    discountFen: win.discountFen,
    paidFen: win.paidFen,
    items: win.items,
    refunds: unionRefunds(a.refunds, b.refunds),
    paid: a.paid || b.paid,
    shipped: a.shipped || b.shipped,
    completed: a.completed || b.completed,
    fullRefundDeclared: a.fullRefundDeclared || b.fullRefundDeclared,
    createdAt: minDate(a.createdAt, b.createdAt) as Date,
    version: win.version,
  });
  return withOptionalDates(merged, {
    paidAt: minDate(a.paidAt, b.paidAt),
    shippedAt: minDate(a.shippedAt, b.shippedAt),
    completedAt: minDate(a.completedAt, b.completedAt),
  });
}

/** What became true between two states of one order, in causal order: created, paid, refunds by refundNo. */
export function transitionsBetween(before: StoredOrder | null, after: StoredOrder): OrderTransition[] {
  const { source, orderNo } = after;
  const out: OrderTransition[] = [];
  if (!before) out.push({ type: 'order.created', source, orderNo, createdAt: after.createdAt });
  if (after.paid && !before?.paid) {
    const categories = [...new Set(after.items.map((i) => i.category))].sort();
    out.push({
      type: 'order.paid',
      source,
      orderNo,
      paidFen: after.paidFen,
      paidAt: after.paidAt ?? after.version.updatedAt,
      categories,
    });
  }
  const known = new Set(before?.refunds.map((r) => r.refundNo));
  let total = before?.refundedFen ?? 0;
  for (const r of after.refunds) {
    if (known.has(r.refundNo)) continue;
    const next = Math.min(after.paidFen, total + r.amountFen);
    out.push({
      type: 'order.refunded',
      source,
      orderNo,
      refundNo: r.refundNo,
      amountFen: r.amountFen,
      deltaFen: Math.max(0, next - total),
      paidFen: after.paidFen,
    });
    total = Math.max(total, next);
  }
  return out;
}

export interface OrderMergeResult {
  order: StoredOrder;
  /** Transitions that happened now for the first time; empty for a repeated or older update. */
  transitions: OrderTransition[];
}

/** Folds one incoming update into the stored order (null when the order is new). */
export function mergeOrderUpdate(stored: StoredOrder | null, incoming: IncomingOrder): OrderMergeResult {
  if (stored && (stored.source !== incoming.source || stored.orderNo !== incoming.orderNo)) {
    throw new DomainError(ErrorCodes.ORDER_MISMATCH, '订单来源或单号不一致', {
      stored: `${stored.source}:${stored.orderNo}`,
      incoming: `${incoming.source}:${incoming.orderNo}`,
    });
  }
  const update = orderFromUpdate(incoming);
  const order = stored ? joinOrders(stored, update) : update;
  return { order, transitions: transitionsBetween(stored, order) };
}
