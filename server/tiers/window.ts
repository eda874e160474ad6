import { localDate } from '../../core/time';
import { windowStart, type TierConfig, type TierMetrics } from '../../core/tiers';
import type { MemberDoc } from '../members/documents';

export type TierDay = NonNullable<MemberDoc['tierDays']>[number];

/** First local day of the window, or null for "since joining". */
const firstDay = (config: TierConfig, now: Date, tz: string): string | null => {
  const start = windowStart(config, now, tz);
  return start ? localDate(start, tz) : null;
};

/**
 * Adds one day's activity (negative for refunds) to the member's daily sums and drops the days that
 * left the window, so the member document stays small and the metrics need no query.
 */
export function addActivity(
  days: readonly TierDay[],
  delta: { points: number; spendFen: number },
  config: TierConfig,
  now: Date,
  tz: string,
): TierDay[] {
  const day = localDate(now, tz);
  const from = firstDay(config, now, tz);
  const kept = days.filter((d) => from === null || d.day >= from).map((d) => ({ ...d }));
  const today = kept.find((d) => d.day === day);
  if (today) {
    today.points += delta.points;
    today.spendFen += delta.spendFen;
  } else {
    kept.push({ day, points: delta.points, spendFen: delta.spendFen });
  }
  return kept.sort((a, b) => (a.day < b.day ? -1 : 1));
}

/** Points earned and spend over the window (never below zero). */
export function windowMetrics(days: readonly TierDay[], config: TierConfig, now: Date, tz: string): TierMetrics {
  const from = firstDay(config, now, tz);
  const inWindow = days.filter((d) => from === null || d.day >= from);
  return {
    points: Math.max(
      0,
      inWindow.reduce((s, d) => s + d.points, 0),
    ),
    spendFen: Math.max(
      0,
      inWindow.reduce((s, d) => s + d.spendFen, 0),
    ),
  };
}
