import { buildFacts, type LifecycleFacts, type OrderRecord } from '../../core/lifecycle';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction } from '../db/transaction';
import type { LifecycleDoc, MemberDoc } from '../members/documents';
import { portraitSettings } from '../portrait/settings';
import type { PortraitSettings } from '../portrait/compute';
import { factsOf } from './documents';
import { lifecyclePatch, saveLifecycle, type LifecycleMember } from './update';
import { FORECAST_TOLERANCE } from './review';
import { flushLeftStageLogs, flushStageLogs, type StageLog } from './stage-log';
import { RECOMPUTE_PAGE, REVIEW_FIELDS, catchUpIds, duePages, type Page } from './due';
import { ordersOf, type OrderRow } from './order-reads';
import { REBUILD_PAGE, rebuildPages } from './rebuild-pages';
import { canonical, sameCanonical } from '../db/documents';
import { eachLimited } from '../kit/each-limited';
import { channelOfSource } from '../http/sources';
import { membersQuery, readMemberTx } from '../members/store';

/** Members whose lifecycle writes run at once in the nightly job. */
const WRITERS = 8;

const TIME_FIELDS = ['rfm', 'ltvForecastFen', 'tags', 'nextStageChangeAt', 'ltvFen', 'nextReviewAt'] as const;

/**
 * The time-derived fields of a patch that differ from the stored member. All of them are written
 * together, the forecast included: `nextReviewAt` is computed from the forecast being written.
 */
export function timeDerived(patch: Record<string, unknown>, m: LifecycleMember): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of TIME_FIELDS)
    if (
      !sameCanonical(
        patch[f],
        m[f] ?? (f === 'tags' ? [] : f === 'ltvFen' || f === 'ltvForecastFen' ? undefined : null),
      )
    )
      out[f] = patch[f];
  return out;
}

/** The facts the bulk path rebuilds for one member: the member record and its stored orders, no events. */
export function bulkFacts(
  member: MemberDoc,
  orders: OrderRow[],
): { facts: LifecycleFacts; traits: Pick<LifecycleDoc, 'categories' | 'channels'> } {
  const lc = member.lifecycle;
  const records: OrderRecord[] = orders.map((o) => ({
    orderKey: o._id,
    createdAt: o.createdAt,
    paid: o.paid,
    ...(o.paidAt ? { paidAt: o.paidAt } : {}),
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
  }));
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
    channels.add(channelOfSource(o.source));
    if (o.paid) for (const i of o.items ?? []) categories.add(i.category);
  }
  return { facts, traits: { categories: [...categories].sort(), channels: [...channels].sort() } };
}

/** Paid orders the stored facts know and the bulk read did not see (written after it read): kept, so a concurrent order is never lost. */
export function joinFacts(bulk: LifecycleFacts, stored: LifecycleFacts): LifecycleFacts {
  const paidOrders = { ...bulk.paidOrders };
  for (const [k, o] of Object.entries(stored.paidOrders)) if (!paidOrders[k]) paidOrders[k] = o;
  return { ...bulk, paidOrders };
}

export interface RecomputeReport {
  mode: 'review' | 'rebuild';
  members: number;
  written: number;
  stageChanges: number;
  pages: number;
  /** rebuild: the last member done when the run hit its time limit (the next goes on after it); null: all done */
  next?: string | null;
  /** review: stopped at its time limit with members still due (the next run goes on with them) */
  left?: boolean;
}

/** Writes one member's lifecycle in a transaction that re-reads it, keeping paid orders stored meanwhile; says whether the stage changed. */
async function saveInTransaction(
  db: Database,
  id: string,
  facts: LifecycleFacts | null,
  traits: Pick<LifecycleDoc, 'categories' | 'channels'> | null,
  settings: PortraitSettings,
  now: Date,
): Promise<boolean> {
  const change = await inTransaction(db, async (tx) => {
    const fresh = await readMemberTx<LifecycleMember>(tx, id);
    if (!fresh || fresh.mergedInto || fresh.deletedAt) return null;
    const member = { ...fresh, _id: id };
    const stored = factsOf(member, member.lifecycle);
    const lc = member.lifecycle;
    return saveLifecycle(
      tx,
      member,
      facts ? joinFacts(facts, stored) : stored,
      traits ?? { categories: lc?.categories ?? [], channels: lc?.channels ?? [] },
      settings,
      now,
      'nightly',
    );
  });
  return Boolean(change);
}

/** A stored review schedule still to be trusted at `now`: due later, and no later than the one just computed. */
function scheduleHolds(m: LifecycleMember, computed: Date | null, now: Date): boolean {
  const stored = m.nextReviewAt ? new Date(m.nextReviewAt).getTime() : null;
  if (stored === null || stored <= now.getTime()) return false;
  return computed === null || stored <= computed.getTime();
}

type Plan =
  | {
      kind: 'update';
      id: string;
      rev: number | undefined;
      fields: Record<string, unknown>;
      log: StageLog | null;
      /** new facts from orders, for the transaction that follows if the update misses */
      built?: Built;
    }
  | { kind: 'transaction'; id: string; facts: LifecycleFacts | null; traits: Traits | null };

type Traits = Pick<LifecycleDoc, 'categories' | 'channels'>;
type Built = { facts: LifecycleFacts; traits: Traits };

/**
 * What one member needs at `now`, from the facts it carries (the review) or from its orders
 * (`orders` given: the rebuild): nothing; a plain update of the fields that moved (a stage change
 * among them as a log whose row and event are written after, stage-log.ts); or, when the facts
 * differ (a rebuild's repair) or a log is still owed, a transaction that re-reads the member.
 * `factsByUpdate` (imported history): new facts too go as a plain update, guarded by `lifecycleRev`.
 */
function planOne(
  m: LifecycleMember,
  orders: OrderRow[] | null,
  settings: PortraitSettings,
  now: Date,
  factsByUpdate = false,
): Plan | null {
  const built = orders ? bulkFacts(m, orders) : null;
  const lc = m.lifecycle;
  const facts = built?.facts ?? factsOf(m, lc);
  const traits = built?.traits ?? { categories: lc?.categories ?? [], channels: lc?.channels ?? [] };
  const plan = lifecyclePatch(m, facts, traits, settings, now);
  if (plan.unchanged) return null;
  const newFacts = !sameCanonical(plan.patch.lifecycle, lc);
  if ((newFacts && !factsByUpdate) || m.stageLog)
    return { kind: 'transaction', id: m._id, facts: built?.facts ?? null, traits: built?.traits ?? null };
  const fields = timeDerived(plan.patch, m);
  // a member stored before the birth month was kept beside the birthday gets it here
  if ((m.birthMonth ?? null) !== plan.patch.birthMonth) fields.birthMonth = plan.patch.birthMonth;
  // new facts bump lifecycleRev as a transaction would: a plain update that read the member before misses it
  if (newFacts) Object.assign(fields, { lifecycle: plan.patch.lifecycle, lifecycleRev: (m.lifecycleRev ?? 0) + 1 });
  else if (!plan.change && scheduleHolds(m, plan.patch.nextReviewAt as Date | null, now)) {
    // not due and not scheduled too late: what it holds is what this recompute gives (review.ts)
    delete fields.nextReviewAt;
    const before = m.ltvForecastFen ?? 0;
    if (
      'ltvForecastFen' in fields &&
      Math.abs((fields.ltvForecastFen as number) - before) <= before * FORECAST_TOLERANCE
    )
      delete fields.ltvForecastFen;
  }
  const log: StageLog | null = plan.change
    ? { from: plan.change.from, to: plan.change.to, at: now, cause: 'nightly' }
    : null;
  if (log) Object.assign(fields, { stage: plan.patch.stage, stageSince: plan.patch.stageSince, stageLog: log });
  if (Object.keys(fields).length === 0) return null;
  return { kind: 'update', id: m._id, rev: m.lifecycleRev, fields, log, ...(newFacts && built ? { built } : {}) };
}

/**
 * Plain updates, members with the same fields and `lifecycleRev` grouped into one multi-document
 * update. Each applies only where no lifecycle transaction wrote the member since it was read
 * (`lifecycleRev` unchanged); the members it missed are returned, to be done in a transaction.
 */
async function applyUpdates(
  db: Database,
  plans: Extract<Plan, { kind: 'update' }>[],
  logged: { memberId: string; log: StageLog }[],
): Promise<string[]> {
  const _ = db.command;
  const groups = new Map<string, Extract<Plan, { kind: 'update' }>[]>();
  for (const p of plans) {
    const key = `${p.rev ?? '-'}|${canonical(p.fields)}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  const missed: string[] = [];
  await eachLimited([...groups.values()], WRITERS, async (group) => {
    const { rev, fields, log } = group[0]!;
    const ids = group.map((p) => p.id);
    for (let i = 0; i < ids.length; i += RECOMPUTE_PAGE) {
      const chunk = ids.slice(i, i + RECOMPUTE_PAGE);
      const r = (await membersQuery(db)
        .where({ _id: chunk.length === 1 ? chunk[0] : _.in(chunk), lifecycleRev: rev ?? _.exists(false) })
        .update({ data: fields })) as { stats?: { updated?: number } };
      let applied = chunk;
      if ((r.stats?.updated ?? 0) < chunk.length) {
        const now = (await membersQuery(db)
          .where({ _id: _.in(chunk) })
          .field({ lifecycleRev: true })
          .limit(RECOMPUTE_PAGE)
          .get()) as unknown as { data: { _id: string; lifecycleRev?: number }[] };
        const same = new Set(now.data.filter((d) => d.lifecycleRev === rev).map((d) => d._id));
        applied = chunk.filter((id) => same.has(id));
        missed.push(...chunk.filter((id) => !same.has(id)));
      }
      if (log) for (const id of applied) logged.push({ memberId: id, log });
    }
  });
  return missed;
}

/**
 * The nightly lifecycle + RFM job. `review` (the timer's): only members due by `nextReviewAt` (the
 * first instant their stage, RFM, tags or forecast can move without a new event; see review.ts),
 * from the facts they carry, which every order, registration and follow keeps up to date; plus
 * members created in the last days that never had a lifecycle, and survivors of recent merges,
 * rebuilt from their orders. `rebuild` (an explicit repair, and the migration that gives every
 * member its `nextReviewAt`): every member, a page of REBUILD_PAGE by `_id`, facts rebuilt from its orders.
 * Writes run 8 at a time; unchanged members are not written.
 */
export async function recomputeAll(
  db: Database,
  now: Date,
  log?: Logger,
  settingsIn?: PortraitSettings,
  opts: {
    mode?: 'review' | 'rebuild';
    memberIds?: readonly string[];
    /** rebuild: start after this member id. Both modes: no page started at or after `until` (epoch ms), one at least */
    after?: string;
    /** rebuild: stop after this member id (inclusive): the end of an `_id` range */
    upTo?: string;
    until?: number;
    /** rebuild: called after each page with the last member id done */
    pageDone?: (after: string, report: RecomputeReport) => Promise<void>;
  } = {},
): Promise<RecomputeReport> {
  const mode = opts.mode ?? 'review';
  const settings = settingsIn ?? (await portraitSettings(db, now));
  const report: RecomputeReport = { mode, members: 0, written: 0, stageChanges: 0, pages: 0 };
  const _ = db.command;
  const run = async (page: LifecycleMember[], withOrders: boolean, read?: Map<string, OrderRow[]>) => {
    report.pages++;
    const live = page.filter((m) => !m.mergedInto && !m.deletedAt);
    const orders =
      read ??
      (withOrders && live.length
        ? await ordersOf(
            db,
            live.map((m) => m._id),
          )
        : null);
    const plans = live
      .map((m) => planOne(m, orders ? (orders.get(m._id) ?? []) : null, settings, now, Boolean(opts.memberIds)))
      .filter((p): p is Plan => p !== null);
    const updates = plans.filter((p): p is Extract<Plan, { kind: 'update' }> => p.kind === 'update');
    const logged: { memberId: string; log: StageLog }[] = [];
    const missed = new Set(await applyUpdates(db, updates, logged));
    await flushStageLogs(db, logged);
    const txs = plans.filter((p) => p.kind === 'transaction' || missed.has(p.id));
    await eachLimited(txs, WRITERS, async (p) => {
      // the review stops mid-page at its time limit: a member not done stays due for the next run
      if (mode === 'review' && !opts.memberIds && opts.until !== undefined && Date.now() >= opts.until) {
        report.left = true;
        return;
      }
      const t = p.kind === 'transaction' ? p : { facts: p.built?.facts ?? null, traits: p.built?.traits ?? null };
      if (await saveInTransaction(db, p.id, t.facts, t.traits, settings, now)) report.stageChanges++;
    });
    report.members += live.length;
    report.written += plans.length;
    report.stageChanges += logged.length;
  };
  if (opts.memberIds) {
    // these members only, rebuilt from their orders (imported history), new facts written by grouped plain updates
    for (let i = 0; i < opts.memberIds.length; i += RECOMPUTE_PAGE) {
      const r = (await membersQuery(db)
        .where({ _id: _.in(opts.memberIds.slice(i, i + RECOMPUTE_PAGE)) })
        .field(REVIEW_FIELDS)
        .limit(RECOMPUTE_PAGE)
        .get()) as unknown as Page;
      await run(r.data, true);
    }
  } else if (mode === 'rebuild') {
    for await (const page of rebuildPages(db, opts.after ?? '', opts.upTo)) {
      await run(page.members, true, page.orders);
      if (page.members.length < REBUILD_PAGE) {
        report.next = null;
        break;
      }
      const after = page.members[page.members.length - 1]!._id;
      await opts.pageDone?.(after, report);
      // at least a page per run, so that every run makes progress
      if (opts.until !== undefined && Date.now() >= opts.until) {
        report.next = after;
        break;
      }
    }
  } else {
    await flushLeftStageLogs(db, now);
    const { fresh, merged } = await catchUpIds(db, now);
    const extra = [...new Set([...fresh, ...merged])];
    for (let i = 0; i < extra.length; i += RECOMPUTE_PAGE) {
      const r = (await membersQuery(db)
        .where({ _id: _.in(extra.slice(i, i + RECOMPUTE_PAGE)) })
        .field(REVIEW_FIELDS)
        .limit(RECOMPUTE_PAGE)
        .get()) as unknown as Page;
      const rebuild = new Set(merged);
      await run(
        r.data.filter((m) => !rebuild.has(m._id)),
        false,
      );
      await run(
        r.data.filter((m) => rebuild.has(m._id)),
        true,
      );
      if (report.left || (opts.until !== undefined && Date.now() >= opts.until)) {
        // done ones now have a review date: the next run's catch-up is what is left
        report.left = true;
        log?.info('lifecycle recompute', { ...report });
        return report;
      }
    }
    for await (const page of duePages(db, now)) {
      await run(page, false);
      // the members still due stay due: a later run goes on with them
      if (report.left || (opts.until !== undefined && Date.now() >= opts.until)) {
        report.left = true;
        break;
      }
    }
  }
  log?.info('lifecycle recompute', { ...report });
  return report;
}
