import type { z } from 'zod';
import type { insightReport } from '../../core/contracts/insight';
import { DomainError, ErrorCodes } from '../../core/errors';
import {
  lifecycleTable,
  messagingTable,
  referralTable,
  retentionTable,
  toCsv,
  unfollowTable,
  type Table,
} from '../../core/insight';
import type { ActionContext } from '../kit/context';
import type { Database, AnyDb } from '../runtime/cloud';
import { requireStaff } from '../staff/require';

type Input = z.output<typeof insightReport.input>;
type Output = z.input<typeof insightReport.output>;

const MAX_DAYS = 366;
const daysBetween = (from: string, to: string) =>
  (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;

/** Day rows of one kind in the range: one read. */
async function dayRows<T>(
  db: Database,
  coll: string,
  where: Record<string, unknown>,
  from: string,
  to: string,
): Promise<T[]> {
  const d = db as AnyDb;
  const _ = d.command;
  const r = (await d
    .collection(coll)
    .where({ ...where, date: _.gte(from).and(_.lte(to)) })
    .orderBy('date', 'asc')
    .limit(MAX_DAYS + 1)
    .get()) as { data: T[] };
  return r.data;
}

/** The latest snapshot of a kind on or before `to`: one read. */
async function latest<T>(db: Database, kind: string, to: string): Promise<(T & { date: string }) | null> {
  const d = db as AnyDb;
  const r = (await d
    .collection('insight_stats')
    .where({ kind, date: d.command.lte(to) })
    .orderBy('date', 'desc')
    .limit(1)
    .get()) as { data: (T & { date: string })[] };
  return r.data[0] ?? null;
}

type Flows = Parameters<typeof lifecycleTable>[0][number];
type Groups = Parameters<typeof unfollowTable>[0][number];
type Cohorts = { cohorts: Parameters<typeof retentionTable>[0] };
type Figures = { figures: Parameters<typeof messagingTable>[0] };
type ReferralDay = Parameters<typeof referralTable>[0][number];

/** Each report: its rows (one database read) and the table they fold into. */
const REPORTS: Record<Input['kind'], (db: Database, i: Input) => Promise<{ table: Table; asOf: string | null }>> = {
  lifecycle: async (db, i) => {
    const days = await dayRows<Flows>(db, 'insight_stats', { kind: 'lifecycle' }, i.from, i.to);
    return { table: lifecycleTable(days), asOf: days.at(-1)?.date ?? null };
  },
  unfollow: async (db, i) => {
    const days = await dayRows<Groups>(db, 'insight_stats', { kind: 'unfollow' }, i.from, i.to);
    return { table: unfollowTable(days), asOf: days.at(-1)?.date ?? null };
  },
  referral: async (db, i) => {
    const days = await dayRows<ReferralDay>(db, 'daily_stats', {}, i.from, i.to);
    return { table: referralTable(days), asOf: days.at(-1)?.date ?? null };
  },
  retention: async (db, i) => {
    const doc = await latest<Cohorts>(db, 'retention', i.to);
    return { table: retentionTable(doc?.cohorts ?? []), asOf: doc?.date ?? null };
  },
  messaging: async (db, i) => {
    const doc = await latest<Figures>(db, 'messaging', i.to);
    return { table: messagingTable(doc?.figures ?? []), asOf: doc?.date ?? null };
  },
};

/**
 * admin insight.report: one report as a table (and as CSV text when asked), from the insight
 * statistics: two database reads, the staff check and the rows.
 */
export async function insightReportAction(input: Input, ctx: ActionContext): Promise<Output> {
  if (daysBetween(input.from, input.to) > MAX_DAYS) {
    throw new DomainError(ErrorCodes.RANGE_TOO_LONG, `时间范围最长 ${MAX_DAYS} 天 / at most ${MAX_DAYS} days`);
  }
  const [, { table, asOf }] = await Promise.all([
    requireStaff(ctx, 'dashboard.read'),
    REPORTS[input.kind](ctx.db, input),
  ]);
  return {
    kind: input.kind,
    from: input.from,
    to: input.to,
    ...table,
    asOf,
    csv: input.format === 'csv' ? toCsv(table.columns, table.rows) : null,
  };
}
