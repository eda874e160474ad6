import { membersQuery } from '../members/store';
import { foldFlows, type MessagingFigures } from '../../core/insight';
import { STAGES } from '../../core/lifecycle';
import { addDays, DEFAULT_TIME_ZONE, instantOf, localDate } from '../../core/time';
import type { Logger } from '../kit/logger';
import { metricsOf } from '../messaging/metrics';
import type { Database, AnyDb } from '../runtime/cloud';

const READ = 1000;
const COHORT_MONTHS = 12;
const CAMPAIGNS = 50;

/** Every row of a query, page by page in `_id` order (a day's stage changes or unfollows). */
async function readAll<T extends { _id: string }>(
  db: Database,
  coll: string,
  where: Record<string, unknown>,
  fields: Record<string, true>,
): Promise<T[]> {
  const d = db as AnyDb;
  const out: T[] = [];
  let after: string | null = null;
  for (;;) {
    const w = after ? { ...where, _id: d.command.gt(after) } : where;
    const r = (await d
      .collection(coll)
      .where(w)
      .orderBy('_id', 'asc')
      .limit(READ)
      .field({ _id: true, ...fields })
      .get()) as { data: T[] };
    out.push(...r.data);
    if (r.data.length < READ) return out;
    after = r.data.at(-1)!._id;
  }
}

async function lifecycleDay(db: Database, range: unknown) {
  const changes = await readAll<{ _id: string; from: string | null; to: string; cause: string }>(
    db,
    'stage_history',
    { at: range },
    { from: true, to: true, cause: true },
  );
  return { flows: foldFlows(changes) };
}

/** Unfollows of the day by the member's stage, beside the followers of each stage at the end of it. */
async function unfollowDay(db: Database, range: unknown) {
  const d = db as AnyDb;
  const _ = d.command;
  const events = await readAll<{ _id: string; memberId?: string }>(
    db,
    'events',
    { type: 'oa.unsubscribed', at: range },
    { memberId: true },
  );
  const ids = [...new Set(events.map((e) => e.memberId).filter((x): x is string => !!x))];
  const stageOf = new Map<string, string>();
  for (let i = 0; i < ids.length; i += READ) {
    const r = (await membersQuery(d)
      .where({ _id: _.in(ids.slice(i, i + READ)) })
      .field({ stage: true })
      .limit(READ)
      .get()) as { data: { _id: string; stage?: string }[] };
    for (const m of r.data) stageOf.set(m._id, m.stage ?? 'none');
  }
  const live = { mergedInto: _.exists(false), deletedAt: _.exists(false), oaFollowing: true };
  const followers = await Promise.all(
    STAGES.map(
      async (s) =>
        (
          (await membersQuery(d)
            .where({ ...live, stage: s })
            .count()) as { total: number }
        ).total,
    ),
  );
  const groups = STAGES.map((s, i) => ({ group: s, followers: followers[i] ?? 0, unfollows: 0 }));
  for (const e of events) {
    const g = groups.find((x) => x.group === (e.memberId ? stageOf.get(e.memberId) : undefined)) ?? null;
    if (g) g.unfollows += 1;
  }
  return { groups };
}

const monthStart = (month: string, tz: string) => instantOf(`${month}-01`, '00:00', tz);
const nextMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * Members who claimed their card in each of the last 12 months, and how many of them paid in each
 * month since or later (rolling retention: still buying by then; one indexed condition per cell).
 */
async function retentionDay(db: Database, date: string, tz: string) {
  const d = db as AnyDb;
  const _ = d.command;
  const last = date.slice(0, 7);
  const months: string[] = [last];
  while (months.length < COHORT_MONTHS) {
    const [y, m] = months[0]!.split('-').map(Number) as [number, number];
    months.unshift(m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`);
  }
  const between = (from: string, to: string) => _.gte(monthStart(from, tz)).and(_.lt(monthStart(to, tz)));
  const count = async (w: Record<string, unknown>) =>
    ((await membersQuery(d).where(w).count()) as { total: number }).total;
  const cohorts = await Promise.all(
    months.map(async (month, i) => {
      const joinedIn = {
        claimedAt: between(month, nextMonth(month)),
        mergedInto: _.exists(false),
        deletedAt: _.exists(false),
      };
      const later = months.slice(i);
      const [joined, ...bought] = await Promise.all([
        count(joinedIn),
        ...later.map((m) => count({ ...joinedIn, 'lifecycle.paidOrders.paidAt': _.gte(monthStart(m, tz)) })),
      ]);
      return { month, joined: joined ?? 0, bought };
    }),
  );
  return { cohorts };
}

async function messagingDay(db: Database) {
  const d = db as AnyDb;
  const [journeys, campaigns] = (await Promise.all([
    d.collection('journeys').field({ name: true }).limit(100).get(),
    d.collection('campaigns').orderBy('createdAt', 'desc').limit(CAMPAIGNS).field({ name: true }).get(),
  ])) as [{ data: { _id: string; name?: string }[] }, { data: { _id: string; name?: string }[] }];
  const figures: MessagingFigures[] = [];
  for (const j of journeys.data)
    figures.push({ kind: 'journey', id: j._id, name: j.name ?? j._id, ...(await metricsOf(db, { journeyId: j._id })) });
  for (const c of campaigns.data)
    figures.push({
      kind: 'campaign',
      id: c._id,
      name: c.name ?? c._id,
      ...(await metricsOf(db, { campaignId: c._id })),
    });
  return {
    figures: figures.map(({ kind, id, name, entered, sent, skipped, converted }) => ({
      kind,
      id,
      name,
      entered,
      sent,
      skipped,
      converted,
    })),
  };
}

/**
 * The insight statistics of the local day before `now`, one `insight_stats` row per kind, written
 * with `set` so a rerun replaces them: stage changes by from, to and cause; unfollows by stage;
 * join-month retention; journey and campaign funnels as they stand. Reports then read one row per
 * day (or the latest) and never the raw collections.
 */
export async function computeInsight(db: Database, now: Date, log?: Logger, tz = DEFAULT_TIME_ZONE): Promise<void> {
  const _ = db.command;
  const date = addDays(localDate(now, tz), -1);
  const range = _.gte(instantOf(date, '00:00', tz)).and(_.lt(instantOf(addDays(date, 1), '00:00', tz)));
  const parts = await Promise.all([
    lifecycleDay(db, range).then((p) => ({ kind: 'lifecycle' as const, ...p })),
    unfollowDay(db, range).then((p) => ({ kind: 'unfollow' as const, ...p })),
    retentionDay(db, date, tz).then((p) => ({ kind: 'retention' as const, ...p })),
    messagingDay(db).then((p) => ({ kind: 'messaging' as const, ...p })),
  ]);
  for (const p of parts)
    await db
      .collection('insight_stats')
      .doc(`${p.kind}:${date}`)
      .set({ data: { ...p, date, computedAt: now } });
  log?.info('insight stats', { date });
}
