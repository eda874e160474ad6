import type { z } from 'zod';
import { type dashboard } from '../../core/contracts/admin';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { Handler } from '../kit/router';
import { requireStaff } from '../staff/require';

export const MAX_DASHBOARD_DAYS = 366;

type Day = z.input<typeof dashboard.output>['days'][number];
type Row = Record<string, unknown> & { _id: string };

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const counted = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const rate = (part: unknown, whole: unknown): number | null =>
  typeof part === 'number' && typeof whole === 'number' ? (whole > 0 ? part / whole : 0) : null;

/** One `daily_stats` row as the dashboard shows it; figures the statistics timer did not count (older rows) are null. */
export function dayOf(r: Row): Day {
  return {
    date: r._id,
    followers: num(r.followers),
    members: num(r.members),
    paidCustomers: num(r.paidCustomers),
    paidAmongFollowers: num(r.paidAmongFollowers),
    newMembers: num(r.newMembers),
    stages: Object.fromEntries(
      Object.entries((r.stages as Record<string, unknown>) ?? {}).map(([k, v]) => [k, num(v)]),
    ),
    couponRedemptionRate: rate(r.couponsRedeemed, r.couponsIssued),
    appointmentFillRate: rate(r.appointmentsBooked, r.appointmentSlots),
    referralConversions: counted(r.referralConversions),
    referralOpens: counted(r.referralOpens),
  };
}

/**
 * The dashboard from pre-aggregated `daily_stats` rows only: one query for the range (plus the
 * staff check), whatever the number of members.
 */
export const dashboardSummary: Handler<typeof dashboard> = async (input, ctx) => {
  await requireStaff(ctx, 'dashboard.read');
  const { from, to } = input;
  const span = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000;
  if (span < 0 || span >= MAX_DASHBOARD_DAYS)
    throw new DomainError(
      ErrorCodes.RANGE_TOO_LONG,
      `日期范围需在 ${MAX_DASHBOARD_DAYS} 天内 / range must be 0–${MAX_DASHBOARD_DAYS} days`,
      { from, to },
    );
  const _ = ctx.db.command;
  const r = (await ctx.db
    .collection('daily_stats')
    .where({ _id: _.gte(from).and(_.lte(to)) })
    .orderBy('_id', 'asc')
    .limit(MAX_DASHBOARD_DAYS)
    .get()) as unknown as { data: Row[] };
  const days = r.data.map(dayOf);
  return { from, to, days, latest: days.at(-1) ?? null };
};
