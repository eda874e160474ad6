import type { z } from 'zod';
import { ORDER_STATUSES } from '../../core/orders/schema';
import { legacyOrder, type importOrders, type LegacyOrder, type rowOutcome } from '../../core/contracts/imports';
import { readDoc } from '../db/documents';
import type { SystemContext } from '../kit/context';
import { recomputeAll } from '../lifecycle/recompute';
import type { MemberDoc } from '../members/documents';
import { orderIdOf, type OrderDoc } from '../orders/documents';
import { rejected, reasonsOf, requireSignedBatch } from './signed-batch';
import { memberByIdentity } from '../members/resolve';

type Outcome = z.input<typeof rowOutcome>;

/** The member an order names: its legacy member ref, else its phone, else its card number. */
async function buyerOf(ctx: SystemContext, source: string, o: LegacyOrder): Promise<MemberDoc | null> {
  if (o.memberRef) {
    const m = await memberByIdentity(ctx.db, 'external', `${source}:${o.memberRef}`);
    if (m) return m;
  }
  if (o.phone) {
    const m = await memberByIdentity(ctx.db, 'phone', o.phone);
    if (m) return m;
  }
  return o.cardNo ? memberByIdentity(ctx.db, 'card', o.cardNo) : null;
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
 */
export async function importOrdersAction(input: z.output<typeof importOrders.input>, ctx: SystemContext) {
  requireSignedBatch('orders', input.batch, input.signed, ctx.now());
  const { source, dryRun, rows } = input.batch;
  const orderSource = `import-${source}`;
  const now = ctx.now();
  const results: Outcome[] = [];
  const touched = new Set<string>();
  for (const { line, row } of rows) {
    const parsed = legacyOrder.safeParse(row);
    if (!parsed.success) {
      results.push(rejected(line, reasonsOf(parsed.error)));
      continue;
    }
    const buyer = await buyerOf(ctx, source, parsed.data);
    if (!buyer) {
      results.push(rejected(line, 'no member here with these ids (import the members first)'));
      continue;
    }
    const doc = orderDoc(orderSource, parsed.data, buyer._id, now);
    const stored = await readDoc<OrderDoc>(ctx.db, 'orders', doc._id);
    if (!stored && !dryRun) {
      const { _id, ...body } = doc;
      await ctx.db.collection('orders').doc(_id).set({ data: body });
      touched.add(buyer._id);
    }
    results.push({ line, outcome: stored ? 'matched' : 'new', memberId: buyer._id, changed: !stored && !dryRun });
  }
  if (touched.size) await recomputeAll(ctx.db, now, ctx.log, undefined, { mode: 'rebuild', memberIds: [...touched] });
  return { results };
}
