import type { OrderTransition } from '../../core/orders';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';

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

export function orderEvent(t: OrderTransition, orderId: string, memberId: string | null, now: Date): Record<string, unknown> & { _id: string } {
  const { type, ...data } = t;
  return { _id: orderEventId(orderId, t), type, ...(memberId ? { memberId } : {}), at: now, data: { orderId, ...data } };
}

/** Marks the `order.paid` event with whether it is the member's first paid order (the thank-you journey, S13). */
export const withFirstPaid = (events: (Record<string, unknown> & { _id: string })[], firstPaid: boolean) =>
  events.map((e) => (e['type'] === 'order.paid' ? { ...e, data: { ...(e['data'] as Record<string, unknown>), firstPaid } } : e));

/** Writes transition events inside a transaction (`set`: idempotent by id). */
export async function setOrderEvents(tx: Tx, events: (Record<string, unknown> & { _id: string })[]): Promise<void> {
  for (const { _id, ...e } of events) await tx.collection('events').doc(_id).set({ data: e });
}

const isDuplicate = (e: unknown) => /E11000|duplicate/i.test((e as Error)?.message ?? '');

/**
 * Outside a transaction, documents with ids of their own: one array insert. If some are already
 * there (a batch delivered again after a crash, or concurrently), the ones present are read by id
 * and the others inserted; a race with another writer of the same ids falls back to one `set` each.
 */
export async function insertMissing(db: Database, collection: string, docs: (Record<string, unknown> & { _id: string })[]): Promise<void> {
  if (docs.length === 0) return;
  try {
    await db.collection(collection).add({ data: docs });
    return;
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  const present = new Set<string>();
  for (let i = 0; i < docs.length; i += 1000) {
    const r = (await db.collection(collection).where({ _id: db.command.in(docs.slice(i, i + 1000).map((e) => e._id)) }).field({ _id: true }).limit(1000).get()) as { data: { _id: string }[] };
    for (const d of r.data) present.add(d._id);
  }
  const missing = docs.filter((e) => !present.has(e._id));
  if (missing.length === 0) return;
  try {
    await db.collection(collection).add({ data: missing });
  } catch (e) {
    if (!isDuplicate(e)) throw e;
    for (const { _id, ...d } of missing) await db.collection(collection).doc(_id).set({ data: d });
  }
}

/** Transition events outside a transaction (the batch path of sync.ts). */
export const insertEvents = (db: Database, events: (Record<string, unknown> & { _id: string })[]) => insertMissing(db, 'events', events);
