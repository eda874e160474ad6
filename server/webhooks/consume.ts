import type { KeysetCursor } from '../db/keyset';
import { pageAfter } from '../db/keyset';
import { CONSUMER_LAG_MS } from '../db/event-reader';
import type { SystemContext } from '../kit/context';
import { freshOutboxFields, type EventCursorDoc, type OutboxDoc } from '../messaging/documents';
import { CURSOR_ID, type WebhookSubscriptionDoc } from './documents';
import type { AnyDb } from '../runtime/cloud';

const PAGE = 200;

interface StoredEvent {
  _id: string;
  type: string;
  memberId?: string;
  at: Date | string;
  data?: Record<string, unknown>;
}

/** A delivery's outbox row: one per event and subscription, so its key is what makes it happen once. */
export interface CrmDeliveryDoc extends OutboxDoc {
  kind: 'crmEvent';
  subscriptionId: string;
  eventAt: Date;
}

export const deliveryKey = (eventId: string, subscriptionId: string): string => `wh:${eventId}:${subscriptionId}`;

/** What the receiver gets: the event as the catalogue describes it, with the delivery's own id. */
export function webhookPayload(e: StoredEvent, key: string) {
  const at = new Date(e.at).toISOString();
  return { deliveryId: key, id: e._id, type: e.type, at, memberId: e.memberId ?? null, data: e.data ?? {} };
}

function deliveriesOf(e: StoredEvent, subs: readonly WebhookSubscriptionDoc[], now: Date): CrmDeliveryDoc[] {
  const at = new Date(e.at);
  return subs
    .filter((s) => s.events.includes(e.type) && at.getTime() >= new Date(s.createdAt).getTime())
    .map((s) => {
      const key = deliveryKey(e._id, s._id);
      return {
        _id: key,
        key,
        kind: 'crmEvent' as const,
        memberId: e.memberId ?? '',
        subscriptionId: s._id,
        eventAt: at,
        data: webhookPayload(e, key),
        state: 'handoff' as const,
        reason: null,
        dueAt: now,
        ...freshOutboxFields(now),
      };
    });
}

/** Inserts the rows whose keys are not in the outbox yet (a page read again after a crash adds nothing). */
async function insertNew(db: AnyDb, rows: CrmDeliveryDoc[]): Promise<number> {
  if (rows.length === 0) return 0;
  const _ = db.command;
  const seen = new Set<string>();
  for (let i = 0; i < rows.length; i += 1000) {
    const ids = rows.slice(i, i + 1000).map((r) => r._id);
    const r = await db
      .collection('outbox')
      .where({ _id: _.in(ids) })
      .field({ _id: true })
      .limit(1000)
      .get();
    for (const d of r.data as { _id: string }[]) seen.add(d._id);
  }
  const fresh = rows.filter((r) => !seen.has(r._id));
  if (fresh.length) await db.collection('outbox').add({ data: fresh });
  return fresh.length;
}

/**
 * Reads new events of the subscribed types in (at, _id) order, a little behind the clock (as the
 * journey consumer does), and queues one delivery per event and active subscription that wants it.
 */
export async function queueWebhookDeliveries(
  ctx: SystemContext,
  subs: readonly WebhookSubscriptionDoc[],
  deadlineMs: number,
): Promise<{ events: number; queued: number }> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const active = subs.filter((s) => s.active);
  const types = [...new Set(active.flatMap((s) => s.events))];
  if (types.length === 0) return { events: 0, queued: 0 };
  const stored = (await db.collection('event_cursor').doc(CURSOR_ID).get()).data as EventCursorDoc | null;
  let after: KeysetCursor | null = stored ? { at: new Date(stored.at), id: stored.eventId } : null;
  let events = 0;
  let queued = 0;
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const upTo = new Date(now.getTime() - CONSUMER_LAG_MS);
    const query = { where: { type: _.in(types) }, field: 'at', upTo, after, limit: PAGE };
    const page = (await pageAfter(ctx.db, 'events', query)) as unknown as StoredEvent[];
    if (page.length === 0) break;
    queued += await insertNew(
      db,
      page.flatMap((e) => deliveriesOf(e, active, now)),
    );
    const last = page[page.length - 1] as StoredEvent;
    after = { at: new Date(last.at), id: last._id };
    events += page.length;
    await db
      .collection('event_cursor')
      .doc(CURSOR_ID)
      .set({ data: { at: after.at, eventId: after.id } });
    if (page.length < PAGE) break;
  }
  return { events, queued };
}
