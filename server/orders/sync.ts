import { DomainError, ErrorCodes } from '../../core/errors';
import { mergeOrderUpdate, parseIncomingOrder, type IncomingOrder, type OrderTransition } from '../../core/orders';
import type { SystemContext } from '../kit/context';
import { eachLimited } from '../kit/each-limited';
import { inTransaction, isTransactionConflict, type Tx } from '../db/transaction';
import { canonical, clean } from '../db/documents';
import { isDuplicateKey } from '../db/insert';
import { emit } from '../db/events';
import { portraitSettings } from '../portrait/settings';
import type { PortraitSettings } from '../portrait/compute';
import { orderIdOf, refIdsOf, storedOrderOf, type OrderDoc } from './documents';
import { settleOrder } from './settle';
import { GroupedTx } from './grouped-tx';
import { insertEvents, orderEvent, setOrderEvents, withFirstPaid } from './events';
import { resolveMemberTx } from '../members/resolve';

export const MAX_SYNC_BATCH = 500;
const CONCURRENCY = 8;
/**
 * Orders settled in one grouped transaction: its fixed calls (start, bulk reads, one insert per
 * collection, commit) are shared by this many, and a conflict reruns only this many.
 */
const GROUP_ORDERS = 250;

export type OrderSyncResult =
  | {
      index: number;
      orderId: string;
      ok: true;
      status: string;
      memberId: string | null;
      transitions: OrderTransition['type'][];
      replayed: boolean;
    }
  | {
      index: number;
      orderId: string | null;
      ok: false;
      error: { code: string; message: string; details?: Record<string, unknown> };
    };

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
    ids.length
      ? ctx.db
          .collection('orders')
          .where({ _id: _.in(ids) })
          .limit(1000)
          .get()
      : { data: [] },
    refIds.length
      ? ctx.db
          .collection('identities')
          .where({ _id: _.in(refIds) })
          .field({ memberId: true })
          .limit(1000)
          .get()
      : { data: [] },
    portraitSettings(ctx.db, now),
  ]);
  return {
    existing: new Map((existing as { data: OrderDoc[] }).data.map((d) => [d._id, d])),
    identities: new Map(
      (identities as { data: { _id: string; memberId: string }[] }).data.map((d) => [d._id, d.memberId]),
    ),
    settings,
  };
}

/**
 * A delivery the batch's pre-read shows changes nothing: the merge is monotone, so what the
 * pre-read already contains the current order contains too.
 */
function replayOf(o: IncomingOrder, index: number, view: BatchView): OrderSyncResult | null {
  const orderId = orderIdOf(o.source, o.orderNo);
  const stale = view.existing.get(orderId);
  if (!stale || (!stale.memberId && candidateOf(o, view))) return null;
  const before = storedOrderOf(stale as unknown as Record<string, unknown>);
  const m = mergeOrderUpdate(before, o);
  if (m.transitions.length > 0 || canonical(m.order) !== canonical(before)) return null;
  return { index, orderId, ok: true, status: before.status, memberId: stale.memberId, transitions: [], replayed: true };
}

const candidateOf = (o: IncomingOrder, view: BatchView): string | null =>
  refIdsOf(o)
    .map((r) => view.identities.get(r))
    .find((m): m is string => Boolean(m)) ?? null;

/**
 * One order update inside the caller's transaction: read the stored order, fold the update in
 * with `mergeOrderUpdate`, write it, emit each new transition, and settle points and lifecycle
 * when the order has a member.
 */
async function applyOne(tx: Tx, o: IncomingOrder, index: number, view: BatchView, now: Date): Promise<OrderSyncResult> {
  const orderId = orderIdOf(o.source, o.orderNo);
  const candidate = candidateOf(o, view);
  const cur = (await tx.collection('orders').doc(orderId).get()).data as OrderDoc | null;
  const before = cur ? storedOrderOf(cur as unknown as Record<string, unknown>) : null;
  const { order, transitions } = mergeOrderUpdate(before, o);
  let memberId = cur?.memberId ?? null;
  const root = !memberId && candidate ? await resolveMemberTx(tx, candidate) : null;
  if (root) memberId = root._id;
  const attached = Boolean(cur && !cur.memberId && memberId);
  const refIds = refIdsOf(order);
  const changed =
    !cur ||
    transitions.length > 0 ||
    attached ||
    canonical(order) !== canonical(before) ||
    canonical(refIds) !== canonical(cur.refIds);
  if (!changed)
    return { index, orderId, ok: true as const, status: order.status, memberId, transitions: [], replayed: true };
  const doc: Omit<OrderDoc, '_id'> = {
    ...order,
    memberId,
    refIds,
    syncedAt: now,
    ...(cur?.attachedAt ? { attachedAt: cur.attachedAt } : attached ? { attachedAt: now } : {}),
  };
  await tx
    .collection('orders')
    .doc(orderId)
    .set({ data: clean(doc) });
  const events = transitions.map((t) => orderEvent(t, orderId, memberId, now));
  if (attached) await emit(tx, { type: 'order.attached', memberId: memberId as string, at: now, data: { orderId } });
  const settled =
    memberId && (transitions.length > 0 || attached)
      ? await settleOrder(tx, memberId, orderId, order, transitions, view.settings, now, attached, root ?? undefined)
      : null;
  await setOrderEvents(tx, settled ? withFirstPaid(events, settled.firstPaid) : events);
  return {
    index,
    orderId,
    ok: true as const,
    status: order.status,
    memberId,
    transitions: transitions.map((t) => t.type),
    replayed: false,
  };
}

/** Stores one order update in its own transaction (a replay the pre-read shows changes nothing takes none). */
async function syncOne(ctx: SystemContext, o: IncomingOrder, index: number, view: BatchView, now: Date) {
  return replayOf(o, index, view) ?? inTransaction(ctx.db, (tx) => applyOne(tx, o, index, view, now));
}

/** Everything a group's settlement reads, read in one query per collection at the transaction's snapshot. */
async function primeGroup(ctx: SystemContext, tx: GroupedTx, items: { order: IncomingOrder }[], view: BatchView) {
  const _ = ctx.db.command;
  const ids = items.map((p) => orderIdOf(p.order.source, p.order.orderNo));
  const refundNos = (p: { order: IncomingOrder }, id: string) =>
    [...p.order.refunds, ...(view.existing.get(id)?.refunds ?? [])].map((r) => r.refundNo);
  const members = items.map((p) => candidateOf(p.order, view)).filter((m): m is string => Boolean(m));
  const eventIds = items.flatMap((p, i) => [
    `order:${ids[i]}:created`,
    `order:${ids[i]}:paid`,
    ...refundNos(p, ids[i]!).map((r) => `order:${ids[i]}:refund:${r}`),
  ]);
  const reverseKeys = items.flatMap((p, i) => refundNos(p, ids[i]!).map((r) => `reverse:${ids[i]}:${r}`));
  await Promise.all([
    tx.prime('orders', ids, _),
    tx.prime('points_orders', ids, _),
    tx.prime('members', members, _),
    tx.prime('events', eventIds, _),
    tx.prime('points_ledger', reverseKeys, _),
    tx.primeOpenLots(members, _),
  ]);
}

/**
 * Several customers' orders in one transaction: bulk reads, then each order settled in turn by
 * `applyOne` as if alone, then the writes sent grouped (one per changed member, one insert per
 * collection). An order refused by a rule (DomainError) drops its own writes and is answered as
 * refused; a conflict reruns the whole group (`inTransaction`).
 */
type Item = { index: number; order: IncomingOrder };

async function syncGroup(ctx: SystemContext, items: Item[], view: BatchView, now: Date): Promise<OrderSyncResult[]> {
  return inTransaction(ctx.db, async (real) => {
    const tx = new GroupedTx(real);
    await primeGroup(ctx, tx, items, view);
    const out: OrderSyncResult[] = [];
    for (const p of items) {
      const saved = tx.mark();
      try {
        out.push(await applyOne(tx, p.order, p.index, view, now));
      } catch (e) {
        if (!(e instanceof DomainError) || e.code === ErrorCodes.CONFLICT) throw e;
        tx.restore(saved);
        out.push(failure(p.index, orderIdOf(p.order.source, p.order.orderNo), e));
      }
    }
    await tx.flush();
    return out;
  });
}

/** Chains (one customer's orders each) packed into groups of at most GROUP_ORDERS orders; a chain is never split. */
function groupsOf<T>(chains: T[][]): T[][] {
  const groups: T[][] = [];
  let cur: T[] = [];
  for (const chain of chains) {
    if (cur.length > 0 && cur.length + chain.length > GROUP_ORDERS) {
      groups.push(cur);
      cur = [];
    }
    cur = [...cur, ...chain];
  }
  if (cur.length > 0) groups.push(cur);
  return groups;
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
async function insertNewUnattached(
  ctx: SystemContext,
  valid: { index: number; order: IncomingOrder }[],
  view: BatchView,
  now: Date,
): Promise<{ inserted: OrderSyncResult[]; rest: { index: number; order: IncomingOrder }[] }> {
  const seen = new Set<string>();
  const fast: {
    index: number;
    orderId: string;
    doc: Omit<OrderDoc, '_id'>;
    events: ReturnType<typeof orderEvent>[];
  }[] = [];
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
    fast.push({
      index: p.index,
      orderId,
      doc: { ...order, memberId: null, refIds, syncedAt: now },
      events: transitions.map((t) => orderEvent(t, orderId, null, now)),
    });
  }
  if (fast.length === 0) return { inserted: [], rest };
  await insertEvents(
    ctx.db,
    fast.flatMap((f) => f.events),
  );
  try {
    // `add` serializes without undefined fields (unlike `set`), so no `clean` pass here
    await ctx.db.collection('orders').add({ data: fast.map((f) => ({ _id: f.orderId, ...f.doc })) });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    // someone stored one of them meanwhile: take them one by one (their events, by id, stay one each)
    return { inserted: [], rest: valid };
  }
  const inserted = fast.map((f): OrderSyncResult => ({
    index: f.index,
    orderId: f.orderId,
    ok: true,
    status: f.doc.status,
    memberId: null,
    transitions: f.events.map((e) => e.type as OrderTransition['type']),
    replayed: false,
  }));
  return { inserted, rest };
}

/** The batch's orders in chains, one per known member (in input order) and one per other order. */
function byCustomer<T extends { order: IncomingOrder }>(items: T[], view: BatchView): T[][] {
  const chains = new Map<string, T[]>();
  items.forEach((p, i) => {
    const member = refIdsOf(p.order)
      .map((r) => view.identities.get(r))
      .find(Boolean);
    const key = member ? `m:${member}` : `o:${i}`;
    chains.set(key, [...(chains.get(key) ?? []), p]);
  });
  return [...chains.values()];
}

const failure = (index: number, orderId: string | null, e: unknown): OrderSyncResult => {
  if (e instanceof DomainError)
    return {
      index,
      orderId,
      ok: false,
      error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) },
    };
  const code = isTransactionConflict(e) ? ErrorCodes.CONFLICT : ErrorCodes.INTERNAL;
  return {
    index,
    orderId,
    ok: false,
    error: { code, message: code === 'CONFLICT' ? 'busy, retry this order' : 'internal error, retry this order' },
  };
};

/**
 * Syncs a batch of up to 500 order updates from one source. Each order is validated on its own
 * (ORDER_MALFORMED, ORDER_UNKNOWN_CURRENCY, ORDER_NEGATIVE_AMOUNT, ORDER_SOURCE_MISMATCH) and
 * stored exactly once: new orders of customers not known yet in bulk, the others in grouped
 * transactions (docs/benchmarks.md); the answer has one result per order, in input order.
 */
export async function syncOrders(ctx: SystemContext, source: string, raws: unknown[]): Promise<OrderSyncResult[]> {
  if (raws.length > MAX_SYNC_BATCH)
    throw new DomainError(ErrorCodes.ORDER_BATCH_TOO_LARGE, `一次最多同步 ${MAX_SYNC_BATCH} 笔订单`, {
      max: MAX_SYNC_BATCH,
      got: raws.length,
    });
  const now = ctx.now();
  const parsed = raws.map((raw, index): { index: number; order?: IncomingOrder; result?: OrderSyncResult } => {
    try {
      const order = parseIncomingOrder(raw);
      if (order.source !== source)
        throw new DomainError(ErrorCodes.ORDER_SOURCE_MISMATCH, '订单来源与签名来源不一致', {
          signed: source,
          order: order.source,
        });
      return { index, order };
    } catch (e) {
      const no = (raw as { orderNo?: unknown })?.orderNo;
      return { index, result: failure(index, typeof no === 'string' ? orderIdOf(source, no) : null, e) };
    }
  });
  const valid = parsed.filter((p): p is { index: number; order: IncomingOrder } => Boolean(p.order));
  const view = await readBatchView(
    ctx,
    valid.map((p) => p.order),
    now,
  );
  const { inserted, rest } = await insertNewUnattached(ctx, valid, view, now);
  const done: OrderSyncResult[] = [];
  const pending = rest.filter((p) => {
    const replay = replayOf(p.order, p.index, view);
    if (replay) done.push(replay);
    return !replay;
  });
  // one customer's orders stay in one group, in input order, so a batch of one customer's orders
  // does not conflict with itself; a group that fails as a whole is retried order by order
  await eachLimited(groupsOf(byCustomer(pending, view)), CONCURRENCY, async (group) => {
    try {
      done.push(...(await syncGroup(ctx, group, view, now)));
      return;
    } catch (e) {
      const error = (e as Error)?.message;
      ctx.log.warn('order group sync failed, syncing its orders one by one', { orders: group.length, error });
    }
    for (const p of group) {
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
