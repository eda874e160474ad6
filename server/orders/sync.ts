import { DomainError } from '../../core/errors';
import { mergeOrderUpdate, parseIncomingOrder, type IncomingOrder, type OrderTransition } from '../../core/orders';
import type { SystemContext } from '../kit/context';
import { eachLimited } from '../kit/each-limited';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { rootOf } from '../identity/link';
import { portraitSettings } from '../portrait/settings';
import type { PortraitSettings } from '../portrait/compute';
import { canonical, clean, orderIdOf, refIdsOf, storedOrderOf, type OrderDoc } from './documents';
import { settleOrder } from './settle';
import { insertEvents, orderEvent, setOrderEvents, withFirstPaid } from './events';

export const MAX_SYNC_BATCH = 500;
const CONCURRENCY = 8;

export const OrderSyncCodes = {
  ORDER_BATCH_TOO_LARGE: 'ORDER_BATCH_TOO_LARGE',
  ORDER_SOURCE_MISMATCH: 'ORDER_SOURCE_MISMATCH',
} as const;

export type OrderSyncResult =
  | { index: number; orderId: string; ok: true; status: string; memberId: string | null; transitions: OrderTransition['type'][]; replayed: boolean }
  | { index: number; orderId: string | null; ok: false; error: { code: string; message: string; details?: Record<string, unknown> } };

interface BatchView {
  existing: Map<string, OrderDoc>;
  /** identity id → member id, for the refs of the batch's orders. */
  identities: Map<string, string>;
  settings: PortraitSettings;
}

async function readBatchView(ctx: SystemContext, orders: IncomingOrder[], now: Date): Promise<BatchView> {
  const _ = ctx.db.command;
  const ids = [...new Set(orders.map((o) => orderIdOf(o.source, o.orderNo)))];
  const refIds = [...new Set(orders.flatMap((o) => refIdsOf(o)))];
  const [existing, identities, settings] = await Promise.all([
    ids.length ? ctx.db.collection('orders').where({ _id: _.in(ids) }).limit(1000).get() : { data: [] },
    refIds.length ? ctx.db.collection('identities').where({ _id: _.in(refIds) }).field({ memberId: true }).limit(1000).get() : { data: [] },
    portraitSettings(ctx.db, now),
  ]);
  return {
    existing: new Map((existing as { data: OrderDoc[] }).data.map((d) => [d._id, d])),
    identities: new Map((identities as { data: { _id: string; memberId: string }[] }).data.map((d) => [d._id, d.memberId])),
    settings,
  };
}

/**
 * Stores one order update in its own transaction: read (and lock) the stored order, fold the
 * update in with `mergeOrderUpdate`, write it, emit each new transition, and settle points and
 * lifecycle when the order has a member. A delivery that the batch's pre-read shows changes
 * nothing returns without a transaction: the merge is monotone, so what the pre-read already
 * contains the current order contains too.
 */
async function syncOne(ctx: SystemContext, o: IncomingOrder, index: number, view: BatchView, now: Date): Promise<OrderSyncResult> {
  const orderId = orderIdOf(o.source, o.orderNo);
  const candidate = refIdsOf(o).map((r) => view.identities.get(r)).find((m): m is string => Boolean(m)) ?? null;
  const stale = view.existing.get(orderId);
  if (stale && (stale.memberId || !candidate)) {
    const before = storedOrderOf(stale as unknown as Record<string, unknown>);
    const m = mergeOrderUpdate(before, o);
    if (m.transitions.length === 0 && canonical(m.order) === canonical(before)) {
      return { index, orderId, ok: true, status: before.status, memberId: stale.memberId, transitions: [], replayed: true };
    }
  }
  return inTransaction(ctx.db, async (tx) => {
    const cur = (await tx.collection('orders').doc(orderId).get()).data as OrderDoc | null;
    const before = cur ? storedOrderOf(cur as unknown as Record<string, unknown>) : null;
    const { order, transitions } = mergeOrderUpdate(before, o);
    let memberId = cur?.memberId ?? null;
    const root = !memberId && candidate ? await rootOf(tx, candidate) : null;
    if (root) memberId = root._id;
    const attached = Boolean(cur && !cur.memberId && memberId);
    const refIds = refIdsOf(order);
    const changed = !cur || transitions.length > 0 || attached || canonical(order) !== canonical(before) || canonical(refIds) !== canonical(cur.refIds);
    if (!changed) return { index, orderId, ok: true as const, status: order.status, memberId, transitions: [], replayed: true };
    const doc: Omit<OrderDoc, '_id'> = { ...order, memberId, refIds, syncedAt: now, ...(cur?.attachedAt ? { attachedAt: cur.attachedAt } : attached ? { attachedAt: now } : {}) };
    await tx.collection('orders').doc(orderId).set({ data: clean(doc) });
    const events = transitions.map((t) => orderEvent(t, orderId, memberId, now));
    if (attached) await emit(tx, { type: 'order.attached', memberId: memberId as string, at: now, data: { orderId } });
    const settled = memberId && (transitions.length > 0 || attached) ? await settleOrder(tx, memberId, orderId, order, transitions, view.settings, now, attached, root ?? undefined) : null;
    await setOrderEvents(tx, settled ? withFirstPaid(events, settled.firstPaid) : events);
    return { index, orderId, ok: true as const, status: order.status, memberId, transitions: transitions.map((t) => t.type), replayed: false };
  });
}

/**
 * The common case in bulk: orders never seen before whose customer is not a member yet earn
 * nothing and change no member, so they take two writes for the whole batch: their transition
 * events (ids derived from order and transition, so writing one twice is writing the same
 * document), then the orders in one array insert (atomic in the emulator: a duplicate id fails it
 * whole, and then they go the transaction path). Events first: a crash in between leaves events
 * whose order is not stored yet and no answer to the source, which delivers the batch again; the
 * orders are then still new, their events are found written and the rest inserted. The reverse
 * order would leave stored orders whose events no later delivery would know to write.
 */
async function insertNewUnattached(ctx: SystemContext, valid: { index: number; order: IncomingOrder }[], view: BatchView, now: Date): Promise<{ inserted: OrderSyncResult[]; rest: { index: number; order: IncomingOrder }[] }> {
  const seen = new Set<string>();
  const fast: { index: number; orderId: string; doc: Omit<OrderDoc, '_id'>; events: ReturnType<typeof orderEvent>[] }[] = [];
  const rest: { index: number; order: IncomingOrder }[] = [];
  for (const p of valid) {
    const orderId = orderIdOf(p.order.source, p.order.orderNo);
    const refIds = refIdsOf(p.order);
    if (seen.has(orderId) || view.existing.has(orderId) || refIds.some((r) => view.identities.has(r))) {
      rest.push(p);
      continue;
    }
    seen.add(orderId);
    const { order, transitions } = mergeOrderUpdate(null, p.order);
    fast.push({ index: p.index, orderId, doc: { ...order, memberId: null, refIds, syncedAt: now }, events: transitions.map((t) => orderEvent(t, orderId, null, now)) });
  }
  if (fast.length === 0) return { inserted: [], rest };
  await insertEvents(ctx.db, fast.flatMap((f) => f.events));
  try {
    // `add` serializes without undefined fields (unlike `set`), so no `clean` pass here
    await ctx.db.collection('orders').add({ data: fast.map((f) => ({ _id: f.orderId, ...f.doc })) });
  } catch (e) {
    if (!/E11000|duplicate/i.test((e as Error)?.message ?? '')) throw e;
    // someone stored one of them meanwhile: take them one by one (their events, by id, stay one each)
    return { inserted: [], rest: valid };
  }
  const inserted = fast.map((f): OrderSyncResult => ({ index: f.index, orderId: f.orderId, ok: true, status: f.doc.status, memberId: null, transitions: f.events.map((e) => e.type as OrderTransition['type']), replayed: false }));
  return { inserted, rest };
}

/** The batch's orders in chains, one per known member (in input order) and one per other order. */
function byCustomer<T extends { order: IncomingOrder }>(items: T[], view: BatchView): T[][] {
  const chains = new Map<string, T[]>();
  items.forEach((p, i) => {
    const member = refIdsOf(p.order).map((r) => view.identities.get(r)).find(Boolean);
    const key = member ? `m:${member}` : `o:${i}`;
    chains.set(key, [...(chains.get(key) ?? []), p]);
  });
  return [...chains.values()];
}

const failure = (index: number, orderId: string | null, e: unknown): OrderSyncResult => {
  if (e instanceof DomainError) return { index, orderId, ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } };
  const code = (e as { code?: unknown })?.code === 'DATABASE_TRANSACTION_CONFLICT' ? 'CONFLICT' : 'INTERNAL';
  return { index, orderId, ok: false, error: { code, message: code === 'CONFLICT' ? 'busy, retry this order' : 'internal error, retry this order' } };
};

/**
 * Syncs a batch of up to 500 order updates from one source. Each order is validated on its own
 * (ORDER_MALFORMED, ORDER_UNKNOWN_CURRENCY, ORDER_NEGATIVE_AMOUNT, ORDER_SOURCE_MISMATCH) and
 * stored in its own transaction; the answer has one result per order, in input order.
 */
export async function syncOrders(ctx: SystemContext, source: string, raws: unknown[]): Promise<OrderSyncResult[]> {
  if (raws.length > MAX_SYNC_BATCH) throw new DomainError(OrderSyncCodes.ORDER_BATCH_TOO_LARGE, `一次最多同步 ${MAX_SYNC_BATCH} 笔订单`, { max: MAX_SYNC_BATCH, got: raws.length });
  const now = ctx.now();
  const parsed = raws.map((raw, index): { index: number; order?: IncomingOrder; result?: OrderSyncResult } => {
    try {
      const order = parseIncomingOrder(raw);
      if (order.source !== source) throw new DomainError(OrderSyncCodes.ORDER_SOURCE_MISMATCH, '订单来源与签名来源不一致', { signed: source, order: order.source });
      return { index, order };
    } catch (e) {
      const no = (raw as { orderNo?: unknown })?.orderNo;
      return { index, result: failure(index, typeof no === 'string' ? orderIdOf(source, no) : null, e) };
    }
  });
  const valid = parsed.filter((p): p is { index: number; order: IncomingOrder } => Boolean(p.order));
  const view = await readBatchView(ctx, valid.map((p) => p.order), now);
  const { inserted, rest } = await insertNewUnattached(ctx, valid, view, now);
  const done: OrderSyncResult[] = [];
  // one member's orders write the same member document: take them in turn, members side by side,
  // so a batch of one customer's orders does not conflict with itself
  await eachLimited(byCustomer(rest, view), CONCURRENCY, async (chain) => {
    for (const p of chain) {
      try {
        done.push(await syncOne(ctx, p.order, p.index, view, now));
      } catch (e) {
        ctx.log.warn('order sync failed', { orderNo: p.order.orderNo, error: (e as Error)?.stack });
        done.push(failure(p.index, orderIdOf(p.order.source, p.order.orderNo), e));
      }
    }
  });
  const byIndex = new Map([...inserted, ...done].map((r) => [r.index, r]));
  return parsed.map((p) => p.result ?? (byIndex.get(p.index) as OrderSyncResult));
}
