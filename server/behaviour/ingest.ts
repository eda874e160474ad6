import { createHash } from 'node:crypto';
import { PRODUCT_KINDS } from '../../core/events/behaviour';
import type { BehaviourEventInput } from '../../core/contracts/behaviour';
import type { Database } from '../runtime/cloud';
import { insertMissing } from '../db/insert';
import type { BehaviourRow } from './documents';
import { markCarts } from './cart';

/** Events older than this (a phone offline for days) or this far ahead of the server clock are dropped. */
export const ACCEPT_PAST_MS = 7 * 86_400_000;
export const ACCEPT_FUTURE_MS = 5 * 60_000;

/** Whose events these are: a member, or a website visitor known only by the site's anonymous id. */
export interface BehaviourSubject {
  memberId: string | null;
  /** `<source>:<anonymousId>` for a website visitor */
  anonId?: string;
  /** `mp` for the Mini Program, else the website's source id */
  via: string;
}

/** The same event sent twice (a client retrying a batch) gets the same id, so it is stored once. */
const rowId = (s: BehaviourSubject, e: BehaviourEventInput): string => {
  const key = [s.memberId ?? s.anonId, e.kind, e.at, e.page, e.productId, e.query].join('\u0000');
  return `b_${createHash('sha256').update(key).digest('hex').slice(0, 24)}`;
};

/** The category of each product named, from the catalogue (one read a batch). */
export async function categoriesOf(db: Database, productIds: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(productIds)];
  if (ids.length === 0) return new Map();
  const r = (await db
    .collection('products')
    .where({ _id: db.command.in(ids) })
    .field({ category: true })
    .limit(ids.length)
    .get()) as unknown as { data: { _id: string; category: string }[] };
  return new Map(r.data.map((p) => [p._id, p.category]));
}

export function rowsOf(
  s: BehaviourSubject,
  events: BehaviourEventInput[],
  categories: Map<string, string>,
): BehaviourRow[] {
  return events.map((e) => {
    const category = e.productId && PRODUCT_KINDS.has(e.kind) ? categories.get(e.productId) : undefined;
    return {
      _id: rowId(s, e),
      memberId: s.memberId,
      ...(s.anonId ? { anonId: s.anonId } : {}),
      kind: e.kind,
      at: new Date(e.at),
      via: s.via,
      ...(e.page ? { page: e.page } : {}),
      ...(e.productId ? { productId: e.productId } : {}),
      ...(category ? { category } : {}),
      ...(e.query ? { query: e.query } : {}),
    };
  });
}

export const withinWindow =
  (now: Date) =>
  (e: BehaviourEventInput): boolean => {
    const t = Date.parse(e.at);
    return t >= now.getTime() - ACCEPT_PAST_MS && t <= now.getTime() + ACCEPT_FUTURE_MS;
  };

/**
 * Stores the events of several subjects in one array insert, and for a known member's cart
 * additions the `cart.item_added` events journeys trigger on (ids derived from the row, so a batch
 * sent again adds nothing). Returns how many were accepted and dropped.
 */
export async function storeBehaviour(
  db: Database,
  now: Date,
  batches: { subject: BehaviourSubject; events: BehaviourEventInput[] }[],
): Promise<{ accepted: number; dropped: number }> {
  const inWindow = withinWindow(now);
  const kept = batches.map((b) => ({ subject: b.subject, events: b.events.filter(inWindow) }));
  const total = batches.reduce((n, b) => n + b.events.length, 0);
  const named = kept.flatMap((b) => b.events.flatMap((e) => (e.productId ? [e.productId] : [])));
  const categories = await categoriesOf(db, named);
  const rows = kept.flatMap((b) => rowsOf(b.subject, b.events, categories));
  await insertMissing(db, 'behaviour', rows as unknown as (Record<string, unknown> & { _id: string })[]);
  const carts = rows
    .filter((r) => r.kind === 'add_to_cart' && r.memberId)
    .map((r) => ({
      _id: `cart_${r._id}`,
      type: 'cart.item_added',
      memberId: r.memberId,
      // when the product learned of it: journey consumers read events in arrival order
      at: now,
      data: { productId: r.productId, category: r.category ?? null, via: r.via },
    }));
  await insertMissing(db, 'events', carts);
  await markCarts(db, rows, now);
  return { accepted: rows.length, dropped: total - rows.length };
}
