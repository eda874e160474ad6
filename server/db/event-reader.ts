import type { Clock } from '../../core/time';
import type { Database, AnyDb } from '../runtime/cloud';
import { pageAfter, type KeysetCursor } from './keyset';

/**
 * Events are read a little behind the clock: an event written by a transaction that commits late
 * carries an `at` earlier than its commit, and the cursor must not have passed it yet.
 */
export const CONSUMER_LAG_MS = 10_000;
const PAGE = 200;

/** Where a reader of `events` keeps its place: a document `{ at, eventId }` in `collection`. */
export interface EventStream {
  collection: string;
  cursorId: string;
  /** The ordering field (`at`, or `receivedAt` for events whose `at` may lie before events already read). */
  field: string;
  where: Record<string, unknown>;
}

/**
 * Reads `events` in (field, _id) order from the stream's saved cursor and hands each to `handle`,
 * saving the cursor after each page, until the events run out or `deadlineMs` passes (the rest of a
 * page then waits for the next run, from the saved cursor). Returns how many events were handled.
 */
export async function readEvents<E extends { _id: string }>(
  ctx: { db: Database; now: Clock },
  stream: EventStream,
  deadlineMs: number,
  handle: (e: E, now: Date) => Promise<void>,
): Promise<number> {
  const cursorRef = (ctx.db as AnyDb).collection(stream.collection).doc(stream.cursorId);
  const stored = (await cursorRef.get()).data as { at: Date | string; eventId: string } | null;
  let after: KeysetCursor | null = stored ? { at: new Date(stored.at), id: stored.eventId } : null;
  let n = 0;
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const upTo = new Date(now.getTime() - CONSUMER_LAG_MS);
    const query = { where: stream.where, field: stream.field, upTo, after, limit: PAGE };
    const page = (await pageAfter(ctx.db, 'events', query)) as unknown as E[];
    let read = 0;
    for (const e of page) {
      if (Date.now() >= deadlineMs) break;
      await handle(e, now);
      after = {
        at: new Date((e as unknown as Record<string, Date | string>)[stream.field] as Date | string),
        id: e._id,
      };
      read++;
    }
    n += read;
    if (after && read) await cursorRef.set({ data: { at: after.at, eventId: after.id } });
    if (page.length < PAGE || read < page.length) break;
  }
  return n;
}
