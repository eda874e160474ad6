import type { OrderTransition } from '../orders/schema';

/** One paid order as the lifecycle sees it. */
export interface PaidOrderFact {
  paidAt: Date;
  paidFen: number;
  refundedFen: number;
}

/**
 * What the lifecycle knows of one person. Windowed aggregates (orders and spend in the last 12
 * months) are not stored: they slide with time, so they are derived at `now` by `summarize`.
 * Paid orders are kept by order key (source:orderNo) so refunds and repeats land on the right order.
 */
export interface LifecycleFacts {
  isMember: boolean;
  isFollower: boolean;
  firstSeenAt?: Date;
  /** First and last engagement without which a prospect is just a visitor (unpaid order, cart, campaign click…). */
  firstEngagedAt?: Date;
  lastEngagedAt?: Date;
  paidOrders: Record<string, PaidOrderFact>;
}

export const emptyFacts = (): LifecycleFacts => ({ isMember: false, isFollower: false, paidOrders: {} });

export type EngagementKind = 'cart' | 'campaign_click' | 'menu_click' | 'page_view' | 'survey' | 'unpaid_order';

export type LifecycleEvent =
  | { type: 'visit'; at: Date }
  | { type: 'member.joined'; at: Date }
  | { type: 'oa.subscribed'; at: Date }
  | { type: 'oa.unsubscribed'; at: Date }
  | { type: 'engagement'; at: Date; kind: EngagementKind }
  /** `at` is the order's creation instant; an order is an engagement until it is paid. */
  | { type: 'order.created'; at: Date; orderKey: string }
  /** `at` is the payment instant. */
  | { type: 'order.paid'; at: Date; orderKey: string; paidFen: number }
  | { type: 'order.refunded'; at: Date; orderKey: string; deltaFen: number; paidFen: number };

export const orderKeyOf = (o: { source: string; orderNo: string }): string => `${o.source}:${o.orderNo}`;

/** The lifecycle event of an order transition; `at` is needed for refunds, whose transition carries no instant. */
export function lifecycleEventOf(t: OrderTransition, at: Date): LifecycleEvent {
  const orderKey = orderKeyOf(t);
  switch (t.type) {
    case 'order.created':
      return { type: 'order.created', at: t.createdAt, orderKey };
    case 'order.paid':
      return { type: 'order.paid', at: t.paidAt, orderKey, paidFen: t.paidFen };
    case 'order.refunded':
      return { type: 'order.refunded', at, orderKey, deltaFen: t.deltaFen, paidFen: t.paidFen };
  }
}

const earliest = (a: Date | undefined, b: Date): Date => (a && a.getTime() <= b.getTime() ? a : b);
const latest = (a: Date | undefined, b: Date): Date => (a && a.getTime() >= b.getTime() ? a : b);

function engaged(f: LifecycleFacts, at: Date): LifecycleFacts {
  return { ...f, firstEngagedAt: earliest(f.firstEngagedAt, at), lastEngagedAt: latest(f.lastEngagedAt, at) };
}

/** Folds one event into the facts. Repeating an order.paid for a known order changes nothing. */
export function applyEvent(facts: LifecycleFacts, event: LifecycleEvent): LifecycleFacts {
  const f: LifecycleFacts = { ...facts, firstSeenAt: earliest(facts.firstSeenAt, event.at) };
  switch (event.type) {
    case 'visit':
      return f;
    case 'member.joined':
      return { ...f, isMember: true };
    case 'oa.subscribed':
      return { ...f, isFollower: true };
    case 'oa.unsubscribed':
      return { ...f, isFollower: false };
    case 'engagement':
    case 'order.created':
      return engaged(f, event.at);
    case 'order.paid': {
      if (f.paidOrders[event.orderKey]) return f;
      return {
        ...f,
        paidOrders: { ...f.paidOrders, [event.orderKey]: { paidAt: event.at, paidFen: event.paidFen, refundedFen: 0 } },
      };
    }
    case 'order.refunded': {
      const o = f.paidOrders[event.orderKey];
      if (!o) return f;
      const refundedFen = Math.min(o.paidFen, o.refundedFen + event.deltaFen);
      return { ...f, paidOrders: { ...f.paidOrders, [event.orderKey]: { ...o, refundedFen } } };
    }
  }
}

/** One order as stored (see core/orders), reduced to what the bulk recompute reads. */
export interface OrderRecord {
  orderKey: string;
  createdAt: Date;
  paid: boolean;
  paidAt?: Date;
  paidFen: number;
  refundedFen: number;
}

/** What the nightly job reads for one person: the member record, engagement aggregates and the orders. */
export interface CustomerSnapshot {
  isMember: boolean;
  isFollower: boolean;
  firstSeenAt?: Date;
  firstEngagedAt?: Date;
  lastEngagedAt?: Date;
  orders: OrderRecord[];
}

/** Facts rebuilt from stored records (the bulk path), without replaying events. */
export function buildFacts(s: CustomerSnapshot): LifecycleFacts {
  let f: LifecycleFacts = { isMember: s.isMember, isFollower: s.isFollower, paidOrders: {} };
  if (s.firstSeenAt) f.firstSeenAt = s.firstSeenAt;
  if (s.firstEngagedAt) f = engaged(f, s.firstEngagedAt);
  if (s.lastEngagedAt) f = engaged(f, s.lastEngagedAt);
  // one pass, no copy per order: the rebuild runs this for every member
  let { firstSeenAt, firstEngagedAt, lastEngagedAt } = f;
  for (const o of s.orders) {
    firstEngagedAt = earliest(firstEngagedAt, o.createdAt);
    lastEngagedAt = latest(lastEngagedAt, o.createdAt);
    firstSeenAt = earliest(firstSeenAt, o.createdAt);
    if (o.paid && o.paidAt)
      f.paidOrders[o.orderKey] = {
        paidAt: o.paidAt,
        paidFen: o.paidFen,
        refundedFen: Math.min(o.paidFen, o.refundedFen),
      };
  }
  if (firstSeenAt) f.firstSeenAt = firstSeenAt;
  if (firstEngagedAt) f.firstEngagedAt = firstEngagedAt;
  if (lastEngagedAt) f.lastEngagedAt = lastEngagedAt;
  return f;
}
