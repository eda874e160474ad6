import type { z } from 'zod';
import { ORDERS_PAGE_SIZE, type mine as mineContract } from '../../core/contracts/orders';
import type { portrait as portraitContract } from '../../core/contracts/portrait';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import { requireStaff } from '../members/staff';
import type { MemberDoc } from '../members/documents';
import type { StageHistoryDoc } from '../lifecycle/documents';
import type { OrderDoc } from './documents';
import { labelOfSource } from '../http/sources';
import type { LedgerDoc } from '../points/documents';
import { requireMember, resolveMember } from '../members/resolve';

type MineOutput = z.input<typeof mineContract.output>;
const iso = (d: Date | undefined) => (d ? new Date(d).toISOString() : undefined);

/** The caller's orders, every channel, newest first. Merged-away members' orders were moved to the survivor by the merge. */
export async function myOrders(page: number, ctx: ActionContext): Promise<MineOutput> {
  const member = await requireMember(ctx.db, ctx.openid);
  const r = (await ctx.db
    .collection('orders')
    .where({ memberId: member._id })
    .orderBy('createdAt', 'desc')
    .skip((page - 1) * ORDERS_PAGE_SIZE)
    .limit(ORDERS_PAGE_SIZE + 1)
    .get()) as unknown as { data: OrderDoc[] };
  const shown = r.data.slice(0, ORDERS_PAGE_SIZE);
  const points = await pointsOfOrders(
    ctx,
    member._id,
    shown.map((o) => o._id),
  );
  const items = shown.map((o) => ({
    orderId: o._id,
    source: o.source,
    sourceLabel: labelOfSource(o.source),
    orderNo: o.orderNo,
    status: o.status,
    totalFen: o.totalFen,
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
    createdAt: iso(o.createdAt) as string,
    ...(o.paidAt ? { paidAt: iso(o.paidAt) } : {}),
    items: o.items.map((i) => ({
      sku: i.sku,
      ...(i.name ? { name: i.name } : {}),
      category: i.category,
      qty: i.qty,
      priceFen: i.priceFen,
    })),
    refunds: (o.refunds ?? []).map((x) => ({
      refundNo: x.refundNo,
      amountFen: x.amountFen,
      ...(x.at ? { at: iso(x.at) } : {}),
    })),
    points: points.get(o._id) ?? { earned: 0, reversed: 0 },
  }));
  return { items, page, hasMore: r.data.length > ORDERS_PAGE_SIZE };
}

/** Points each order earned and had reversed, from the member's ledger rows that name these orders (one read). */
type OrderPoints = { earned: number; reversed: number };
async function pointsOfOrders(
  ctx: ActionContext,
  memberId: string,
  orderIds: string[],
): Promise<Map<string, OrderPoints>> {
  const out = new Map<string, OrderPoints>();
  if (orderIds.length === 0) return out;
  const _ = ctx.db.command;
  const query = ctx.db
    .collection('points_ledger')
    .where({ memberId, orderId: _.in(orderIds) })
    .limit(1000);
  const rows = (await query.get()) as unknown as { data: LedgerDoc[] };
  for (const row of rows.data) {
    const p = out.get(row.orderId!) ?? { earned: 0, reversed: 0 };
    if (row.kind === 'earn') p.earned += row.amount;
    if (row.kind === 'reverse') p.reversed += row.amount;
    out.set(row.orderId!, p);
  }
  return out;
}

/** A member's portrait for staff. */
export async function memberPortrait(
  memberId: string,
  ctx: ActionContext,
): Promise<z.input<typeof portraitContract.output>> {
  await requireStaff(ctx);
  const m = (await resolveMember(ctx.db, memberId)) ?? (await readDoc<MemberDoc>(ctx.db, 'members', memberId));
  if (!m) throw new DomainError(ErrorCodes.NOT_FOUND, '会员不存在', { memberId });
  const h = (await ctx.db
    .collection('stage_history')
    .where({ memberId: m._id })
    .orderBy('at', 'desc')
    .limit(20)
    .get()) as unknown as { data: StageHistoryDoc[] };
  return {
    memberId: m._id,
    stage: m.stage ?? null,
    stageSince: iso(m.stageSince) ?? null,
    rfm: m.rfm ?? null,
    ltvFen: m.ltvFen ?? 0,
    ltvForecastFen: m.ltvForecastFen ?? 0,
    tags: (m.tags ?? []).map((t) => ({
      tagId: t.tagId,
      source: t.source,
      at: iso(t.at) as string,
      ...(t.expiresAt ? { expiresAt: iso(t.expiresAt) } : {}),
    })),
    history: h.data.map((x) => ({ from: x.from as never, to: x.to as never, at: iso(x.at) as string, cause: x.cause })),
  };
}
