import { buildFacts, type LifecycleFacts, type OrderRecord } from '../../core/lifecycle';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction } from '../db/transaction';
import type { MemberDoc } from '../members/documents';
import type { OrderDoc } from '../orders/documents';
import { portraitSettings } from '../portrait/settings';
import type { PortraitSettings } from '../portrait/compute';
import { factsOf, type LifecycleDoc } from './documents';
import { lifecyclePatch, saveLifecycle } from './update';
import { canonical } from '../orders/documents';

export const RECOMPUTE_PAGE = 1000;
/** The LTV forecast drifts a little every day; the nightly job rewrites it only when it moved by more than this share. */
export const FORECAST_TOLERANCE = 0.02;

const TIME_FIELDS = ['rfm', 'ltvForecastFen', 'tags', 'nextStageChangeAt', 'ltvFen'] as const;

function timeDerived(patch: Record<string, unknown>, m: MemberDoc): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of TIME_FIELDS) if (canonical(patch[f]) !== canonical(m[f] ?? (f === 'tags' ? [] : f === 'rfm' || f === 'nextStageChangeAt' ? null : undefined))) out[f] = patch[f];
  if ('ltvForecastFen' in out && Object.keys(out).length === 1) {
    const before = m.ltvForecastFen ?? 0;
    const after = out.ltvForecastFen as number;
    if (before > 0 && after > 0 && Math.abs(after - before) <= before * FORECAST_TOLERANCE) return {};
  }
  return out;
}

type OrderRow = Pick<OrderDoc, '_id' | 'memberId' | 'source' | 'orderNo' | 'createdAt' | 'paid' | 'paidAt' | 'paidFen' | 'refundedFen' | 'items'>;

/** The facts the bulk path rebuilds for one member: the member record and its stored orders, no events. */
export function bulkFacts(member: MemberDoc, orders: OrderRow[]): { facts: LifecycleFacts; traits: Pick<LifecycleDoc, 'categories' | 'channels'> } {
  const lc = member.lifecycle;
  const records: OrderRecord[] = orders.map((o) => ({ orderKey: `${o.source}:${o.orderNo}`, createdAt: o.createdAt, paid: o.paid, ...(o.paidAt ? { paidAt: o.paidAt } : {}), paidFen: o.paidFen, refundedFen: o.refundedFen }));
  const base = factsOf(member, undefined);
  const facts = buildFacts({
    isMember: base.isMember,
    isFollower: base.isFollower,
    ...((lc?.firstSeenAt ?? member.firstSeenAt) ? { firstSeenAt: lc?.firstSeenAt ?? member.firstSeenAt } : {}),
    ...(lc?.firstEngagedAt ? { firstEngagedAt: lc.firstEngagedAt } : {}),
    ...(lc?.lastEngagedAt ? { lastEngagedAt: lc.lastEngagedAt } : {}),
    orders: records,
  });
  const categories = new Set<string>();
  const channels = new Set<string>();
  for (const o of orders) {
    channels.add(o.source);
    if (o.paid) for (const i of o.items ?? []) categories.add(i.category);
  }
  return { facts, traits: { categories: [...categories].sort(), channels: [...channels].sort() } };
}

/** Paid orders the stored facts know and the bulk read did not see (written after it read): kept, so a concurrent order is never lost. */
function joinFacts(bulk: LifecycleFacts, stored: LifecycleFacts): LifecycleFacts {
  const paidOrders = { ...bulk.paidOrders };
  for (const [k, o] of Object.entries(stored.paidOrders)) if (!paidOrders[k]) paidOrders[k] = o;
  return { ...bulk, paidOrders };
}

async function ordersOf(db: Database, memberIds: string[]): Promise<Map<string, OrderRow[]>> {
  const _ = db.command;
  const byMember = new Map<string, OrderRow[]>();
  let after = '';
  for (;;) {
    const r = (await db.collection('orders').where({ memberId: _.in(memberIds), _id: _.gt(after) }).orderBy('_id', 'asc')
      .field({ memberId: true, source: true, orderNo: true, createdAt: true, paid: true, paidAt: true, paidFen: true, refundedFen: true, items: true })
      .limit(RECOMPUTE_PAGE).get()) as unknown as { data: OrderRow[] };
    for (const o of r.data) {
      const list = byMember.get(o.memberId as string) ?? [];
      list.push(o);
      byMember.set(o.memberId as string, list);
    }
    if (r.data.length < RECOMPUTE_PAGE) return byMember;
    after = r.data[r.data.length - 1]!._id;
  }
}

export interface RecomputeReport {
  members: number;
  written: number;
  stageChanges: number;
  pages: number;
}

/**
 * The nightly recompute: every member, a page of 1000 by `_id`, facts rebuilt from the member and
 * its orders (`buildFacts`, not the incremental facts), stage, RFM, LTV and tags decided at `now`.
 * Members whose fields would not change are not written; the others are written in a transaction
 * that re-reads the member, so an order stored meanwhile is kept.
 */
export async function recomputeAll(db: Database, now: Date, log?: Logger, settingsIn?: PortraitSettings): Promise<RecomputeReport> {
  const _ = db.command;
  const settings = settingsIn ?? (await portraitSettings(db, now));
  const report: RecomputeReport = { members: 0, written: 0, stageChanges: 0, pages: 0 };
  let after = '';
  for (;;) {
    const page = (await db.collection('members').where({ _id: _.gt(after) }).orderBy('_id', 'asc').limit(RECOMPUTE_PAGE).get()) as unknown as { data: MemberDoc[] };
    report.pages++;
    const live = page.data.filter((m) => !m.mergedInto && !m.deletedAt);
    const orders = live.length ? await ordersOf(db, live.map((m) => m._id)) : new Map<string, OrderRow[]>();
    for (const m of live) {
      const { facts, traits } = bulkFacts(m, orders.get(m._id) ?? []);
      const plan = lifecyclePatch(m, facts, traits, settings, now);
      if (plan.unchanged) continue;
      const factsSame = canonical(plan.patch.lifecycle) === canonical(m.lifecycle);
      if (!plan.change && factsSame) {
        // only what time alone moves (recency, forecast, time-window tags): a plain update of those
        // fields, skipped when the forecast is all that moved and by less than FORECAST_TOLERANCE
        const timeFields = timeDerived(plan.patch, m);
        if (Object.keys(timeFields).length === 0) continue;
        await db.collection('members').doc(m._id).update({ data: timeFields });
        report.written++;
        continue;
      }
      const change = await inTransaction(db, async (tx) => {
        const fresh = (await tx.collection('members').doc(m._id).get()).data as MemberDoc | null;
        if (!fresh || fresh.mergedInto || fresh.deletedAt) return null;
        const member = { ...fresh, _id: m._id };
        return saveLifecycle(tx, member, joinFacts(facts, factsOf(member, member.lifecycle)), traits, settings, now, 'nightly');
      });
      report.written++;
      if (change) report.stageChanges++;
    }
    report.members += live.length;
    if (page.data.length < RECOMPUTE_PAGE) break;
    after = page.data[page.data.length - 1]!._id;
  }
  log?.info('lifecycle recompute', { ...report });
  return report;
}
