import { applyEvent, orderKeyOf, type LifecycleFacts, type OrderRecord } from '../../core/lifecycle';
import type { StoredOrder } from '../../core/orders';
import { channelOfSource } from '../http/sources';
import type { LifecycleDoc } from '../members/documents';
import { latestPaidOf, spendReachOf } from '../../core/segments';

export const emptyLifecycleDoc = (): LifecycleDoc => ({ paidOrders: [], categories: [], channels: [] });

/** The member fields the stage reads besides the lifecycle document. */
export interface MemberFlags {
  state?: string;
  cardNo?: string;
  oaFollowing?: boolean;
  firstSeenAt?: Date;
}

export function factsOf(member: MemberFlags, doc: LifecycleDoc | undefined): LifecycleFacts {
  const d = doc ?? emptyLifecycleDoc();
  const facts: LifecycleFacts = {
    isMember: member.state === 'member' || Boolean(member.cardNo),
    isFollower: member.oaFollowing === true,
    paidOrders: {},
  };
  const firstSeen = d.firstSeenAt ?? member.firstSeenAt;
  if (firstSeen) facts.firstSeenAt = firstSeen;
  if (d.firstEngagedAt) facts.firstEngagedAt = d.firstEngagedAt;
  if (d.lastEngagedAt) facts.lastEngagedAt = d.lastEngagedAt;
  for (const o of d.paidOrders)
    facts.paidOrders[o.key] = { paidAt: o.paidAt, paidFen: o.paidFen, refundedFen: o.refundedFen };
  return facts;
}

export function docOf(facts: LifecycleFacts, extra: { categories: string[]; channels: string[] }): LifecycleDoc {
  const paidOrders = Object.entries(facts.paidOrders)
    .map(([key, o]) => ({ key, paidAt: o.paidAt, paidFen: o.paidFen, refundedFen: o.refundedFen }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const doc: LifecycleDoc = {
    paidOrders,
    categories: [...new Set(extra.categories)].sort(),
    channels: [...new Set(extra.channels)].sort(),
    latestPaid: latestPaidOf(paidOrders),
    spendReach: spendReachOf(paidOrders),
  };
  if (facts.firstSeenAt) doc.firstSeenAt = facts.firstSeenAt;
  if (facts.firstEngagedAt) doc.firstEngagedAt = facts.firstEngagedAt;
  if (facts.lastEngagedAt) doc.lastEngagedAt = facts.lastEngagedAt;
  return doc;
}

export const orderRecordOf = (o: StoredOrder): OrderRecord => ({
  orderKey: orderKeyOf(o),
  createdAt: o.createdAt,
  paid: o.paid,
  ...(o.paidAt ? { paidAt: o.paidAt } : {}),
  paidFen: o.paidFen,
  refundedFen: o.refundedFen,
});

/**
 * Folds an order's converged state into the facts, as `buildFacts` does for each order: its creation
 * is an engagement, and once paid it counts with its current refunds. Idempotent and independent of
 * the order in which orders (or versions of one order) arrive, unlike replaying transitions.
 */
export function withOrder(facts: LifecycleFacts, o: OrderRecord): LifecycleFacts {
  const f = applyEvent(facts, { type: 'order.created', at: o.createdAt, orderKey: o.orderKey });
  if (!o.paid || !o.paidAt) return f;
  return {
    ...f,
    paidOrders: {
      ...f.paidOrders,
      [o.orderKey]: { paidAt: o.paidAt, paidFen: o.paidFen, refundedFen: Math.min(o.paidFen, o.refundedFen) },
    },
  };
}

/** What an order adds to the preference and channel inputs (the channel kind its source is configured with). */
export function withOrderTraits(
  doc: Pick<LifecycleDoc, 'categories' | 'channels'>,
  o: Pick<StoredOrder, 'source' | 'items' | 'paid'>,
): { categories: string[]; channels: string[] } {
  const cats = o.paid ? o.items.map((i) => i.category) : [];
  const channels = [...new Set([...doc.channels, channelOfSource(o.source)])].sort();
  return { categories: [...new Set([...doc.categories, ...cats])].sort(), channels };
}

export interface StageHistoryDoc {
  memberId: string;
  from: string | null;
  to: string;
  at: Date;
  /** What recomputed it: an order key, `nightly`, `registration`… */
  cause: string;
}
