import type { z } from 'zod';
import { ORDER_STATUSES } from '../../core/orders/schema';
import { legacyOrder, type importOrders, type LegacyOrder, type rowOutcome } from '../../core/contracts/imports';
import { insertMissing } from '../db/insert';
import type { SystemContext } from '../kit/context';
import { identityId, type IdentityDoc, type MemberDoc } from '../members/documents';
import { orderIdOf, type OrderDoc } from '../orders/documents';
import { rejected, reasonsOf, requireSignedBatch } from './signed-batch';
import { rebuildImportedFacts } from './order-facts';
import { resolveMember } from '../members/resolve';
import type { Database } from '../runtime/cloud';

type Outcome = z.input<typeof rowOutcome>;

/** The identities an order may name its buyer by, in the order they are tried: legacy ref, phone, card number. */
function buyerIdsOf(source: string, o: LegacyOrder): string[] {
  const ids: string[] = [];
  if (o.memberRef) ids.push(identityId('external', `${source}:${o.memberRef}`));
  if (o.phone) ids.push(identityId('phone', o.phone));
  if (o.cardNo) ids.push(identityId('card', o.cardNo));
  return ids;
}

/** Documents of `coll` by id, a thousand per query (the server's read cap). */
async function docsByIds<T extends { _id: string }>(db: Database, coll: string, ids: string[], fields?: object) {
  const out = new Map<string, T>();
  for (let i = 0; i < ids.length; i += 1000) {
    const q = db.collection(coll).where({ _id: db.command.in(ids.slice(i, i + 1000)) });
    const page = (await (fields ? q.field(fields) : q).limit(1000).get()) as unknown as { data: T[] };
    for (const d of page.data) out.set(d._id, d);
  }
  return out;
}

/** The members today behind these identities (merged ids followed to the survivor), by identity id. */
async function buyersByIdentity(db: Database, identityIds: string[]): Promise<Map<string, string>> {
  const links = await docsByIds<IdentityDoc>(db, 'identities', identityIds);
  const owners = [...new Set([...links.values()].map((l) => l.memberId))];
  const members = await docsByIds<MemberDoc>(db, 'members', owners, { _id: true, mergedInto: true, deletedAt: true });
  const roots = new Map<string, string | null>();
  for (const id of owners) {
    const m = members.get(id);
    const plain = m && !m.mergedInto && !m.deletedAt;
    roots.set(id, plain ? id : ((await resolveMember(db, id))?._id ?? null));
  }
  const out = new Map<string, string>();
  for (const [id, link] of links) {
    const root = roots.get(link.memberId);
    if (root) out.set(id, root);
  }
  return out;
}

/** A historical order as stored: paid and completed, on its member, with no events (nothing sent, nothing earned). */
function orderDoc(source: string, o: LegacyOrder, memberId: string, now: Date): OrderDoc {
  const items = (o.categories ?? []).map((category, n) => ({ sku: `${category}-${n}`, category, qty: 1, priceFen: 0 }));
  return {
    _id: orderIdOf(source, o.orderNo),
    source,
    orderNo: o.orderNo,
    currency: 'CNY',
    status: 'completed',
    customer: [],
    totalFen: o.paidFen,
    discountFen: 0,
    paidFen: o.paidFen,
    items,
    refunds: [],
    refundedFen: 0,
    paid: true,
    shipped: true,
    completed: true,
    fullRefundDeclared: false,
    createdAt: o.paidAt,
    paidAt: o.paidAt,
    completedAt: o.paidAt,
    memberId,
    refIds: [],
    syncedAt: now,
    attachedAt: now,
    version: { rank: ORDER_STATUSES.indexOf('completed'), updatedAt: o.paidAt, digest: 'import' },
  };
}

/**
 * One signed batch of historical orders: each row parsed by its contract, put on the member its
 * ids name (a row naming no member here is rejected: import members first), stored once under
 * `import-<source>:<orderNo>`; then the lifecycle and RFM facts of the members it touched are
 * rebuilt from their orders. No order event is written, so no journey, message or points follow.
 * Reads and writes go in bulk: one query for the buyers' identities, one for their members, one
 * for the orders already here, one array insert of the new orders.
 */
export async function importOrdersAction(input: z.output<typeof importOrders.input>, ctx: SystemContext) {
  requireSignedBatch('orders', input.batch, input.signed, ctx.now());
  const { source, dryRun, rows } = input.batch;
  const orderSource = `import-${source}`;
  const now = ctx.now();
  const parsed = rows.map(({ line, row }) => ({ line, p: legacyOrder.safeParse(row) }));
  const valid = parsed.flatMap(({ p }) => (p.success ? [p.data] : []));
  const buyers = await buyersByIdentity(ctx.db, [...new Set(valid.flatMap((o) => buyerIdsOf(source, o)))]);
  const orderIds = valid.map((o) => orderIdOf(orderSource, o.orderNo));
  const stored = await docsByIds<{ _id: string }>(ctx.db, 'orders', [...new Set(orderIds)], { _id: true });
  const results: Outcome[] = [];
  const fresh = new Map<string, OrderDoc>();
  for (const { line, p } of parsed) {
    if (!p.success) {
      results.push(rejected(line, reasonsOf(p.error)));
      continue;
    }
    const buyer = buyerIdsOf(source, p.data)
      .map((id) => buyers.get(id))
      .find(Boolean);
    if (!buyer) {
      results.push(rejected(line, 'no member here with these ids (import the members first)'));
      continue;
    }
    const doc = orderDoc(orderSource, p.data, buyer, now);
    const known = stored.has(doc._id) || fresh.has(doc._id);
    if (!known) fresh.set(doc._id, doc);
    results.push({ line, outcome: known ? 'matched' : 'new', memberId: buyer, changed: !known && !dryRun });
  }
  if (!dryRun) {
    await insertMissing(ctx.db, 'orders', [...fresh.values()] as unknown as (OrderDoc & Record<string, unknown>)[]);
    // found orders' members too: a batch cut short after its insert and sent again still rebuilds their facts
    const touched = [...new Set(results.flatMap((r) => (r.memberId ? [r.memberId] : [])))];
    await rebuildImportedFacts(ctx.db, now, touched);
  }
  return { results };
}
