import { membersQuery } from '../members/store';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { loadBrandConfig } from '../config';
import type { MemberDoc } from '../members/documents';
import { insertMissing } from '../db/insert';
import type { BehaviourRow } from './documents';

const HOUR_MS = 3_600_000;
const PAGE = 100;
const MAX_PAGES = 20;
const CART_PRODUCTS = 5;

/** When a cart addition counts as abandoned: the brand's `behaviour.cartAbandonmentHours` later. */
export const cartDueAt = (addedAt: Date, hours = loadBrandConfig().config.behaviour.cartAbandonmentHours): Date =>
  new Date(addedAt.getTime() + hours * HOUR_MS);

/** Each member's latest cart additions of a batch restart their abandonment clock. */
export async function markCarts(db: Database, rows: BehaviourRow[], now: Date): Promise<void> {
  const byMember = new Map<string, BehaviourRow[]>();
  for (const r of rows) {
    if (r.kind !== 'add_to_cart' || !r.memberId || !r.productId) continue;
    byMember.set(r.memberId, [...(byMember.get(r.memberId) ?? []), r]);
  }
  for (const [memberId, adds] of byMember) {
    const latest = adds.reduce((a, b) => (b.at > a.at ? b : a));
    const lastAddedAt = latest.at > now ? now : latest.at;
    const productIds = [...new Set(adds.map((a) => a.productId!))].slice(-CART_PRODUCTS);
    const cart = { lastAddedAt, dueAt: cartDueAt(lastAddedAt), productIds };
    await membersQuery(db).doc(memberId).update({ data: { cart } });
  }
}

type Due = Pick<MemberDoc, '_id' | 'mergedInto'> & { cart: NonNullable<MemberDoc['cart']> };

async function paidSince(db: Database, memberId: string, since: Date): Promise<boolean> {
  const where = { memberId, paid: true, paidAt: db.command.gte(since) };
  const r = (await db.collection('orders').where(where).count()) as { total: number };
  return r.total > 0;
}

/**
 * Timer: carts whose time is up. A member with no paid order since the last addition gets the event
 * `cart.abandoned` (its id names the addition, so a second run writes nothing new), which the
 * cart-abandonment journey triggers on; the cart's clock then stops until the next addition.
 */
export async function remindAbandonedCarts(
  db: Database,
  now: Date,
  log: Logger,
): Promise<{ abandoned: number; bought: number }> {
  const _ = db.command;
  let abandoned = 0;
  let bought = 0;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = (await membersQuery(db)
      .where({ 'cart.dueAt': _.lte(now) })
      .field({ cart: true, mergedInto: true })
      .limit(PAGE)
      .get()) as unknown as { data: Due[] };
    for (const m of r.data) {
      const addedAt = new Date(m.cart.lastAddedAt);
      if (!m.mergedInto && (await paidSince(db, m._id, addedAt))) bought++;
      else if (!m.mergedInto) {
        const data = { productIds: m.cart.productIds, addedAt };
        const _id = `cartab_${m._id}_${addedAt.getTime()}`;
        await insertMissing(db, 'events', [{ _id, type: 'cart.abandoned', memberId: m._id, at: now, data }]);
        abandoned++;
      }
      const unchanged = { _id: m._id, 'cart.dueAt': m.cart.dueAt };
      await membersQuery(db)
        .where(unchanged)
        .update({ data: { 'cart.dueAt': null } });
    }
    if (r.data.length < PAGE) break;
  }
  if (abandoned || bought) log.info('carts checked', { abandoned, bought });
  return { abandoned, bought };
}
