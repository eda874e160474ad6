import type { OrderTransition } from '../../core/orders';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { insertMissing } from '../db/insert';

/**
 * Order transition events have ids derived from the order and the transition
 * (`order:<orderId>:paid`, `order:<orderId>:refund:<refundNo>`), so writing one twice is writing the
 * same document: each transition is one event whichever path (batch insert, transaction, repair)
 * wrote it.
 */
export function orderEventId(orderId: string, t: OrderTransition): string {
  if (t.type === 'order.refunded') return `order:${orderId}:refund:${t.refundNo}`;
  return `order:${orderId}:${t.type === 'order.created' ? 'created' : 'paid'}`;
}

export function orderEvent(
  t: OrderTransition,
  orderId: string,
  memberId: string | null,
  now: Date,
): Record<string, unknown> & { _id: string } {
  const { type, ...data } = t;
  return {
    _id: orderEventId(orderId, t),
    type,
    ...(memberId ? { memberId } : {}),
    at: now,
    data: { orderId, ...data },
  };
}

/** Marks the `order.paid` event with whether it is the member's first paid order (the thank-you journey, S13). */
export const withFirstPaid = (events: (Record<string, unknown> & { _id: string })[], firstPaid: boolean) =>
  events.map((e) =>
    e['type'] === 'order.paid' ? { ...e, data: { ...(e['data'] as Record<string, unknown>), firstPaid } } : e,
  );

/** Writes transition events inside a transaction (`set`: idempotent by id). */
export async function setOrderEvents(tx: Tx, events: (Record<string, unknown> & { _id: string })[]): Promise<void> {
  for (const { _id, ...e } of events) await tx.collection('events').doc(_id).set({ data: e });
}

/** Transition events outside a transaction (the batch path of sync.ts). */
export const insertEvents = (db: Database, events: (Record<string, unknown> & { _id: string })[]) =>
  insertMissing(db, 'events', events);
