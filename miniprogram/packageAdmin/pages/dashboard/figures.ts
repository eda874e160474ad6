import type { CallOutput } from '../../../services/cloud';
import { fill } from '../../utils';
import { shortDate } from './range';
import type { DashboardText } from './text';

/** The dashboard's answer turned into what the page shows: figures, chart data, stage bars. */
export type Summary = CallOutput<'admin', 'dashboard.summary'>;
type Day = Summary['days'][number];

export interface Figure {
  id: string;
  label: string;
  value: string;
  hint: string;
}
export interface ChartData {
  categories: string[];
  series: { name: string; data: (number | null)[] }[];
}
export interface StageBar {
  stage: string;
  label: string;
  count: string;
  share: string;
  /** Width of the bar, 0–100. */
  percent: number;
}

const STAGE_KEYS = {
  anonymous: 'stageAnonymous',
  window: 'stageWindow',
  first_time: 'stageFirstTime',
  repeat: 'stageRepeat',
  loyal: 'stageLoyal',
  indecisive: 'stageIndecisive',
  lapsed: 'stageLapsed',
  none: 'stageNone',
} as const satisfies Record<string, keyof DashboardText>;
const STAGE_ORDER = Object.keys(STAGE_KEYS);

/** 0.125 → '12.5%'; null → the no-figure dash. */
export const pct = (ratio: number | null, t: DashboardText): string =>
  ratio === null ? t.noFigure : `${(ratio * 100).toFixed(1)}%`;

/** The mean of the days that carry the rate; null when none does. */
export function meanRate(values: (number | null)[]): number | null {
  const known = values.filter((v): v is number => typeof v === 'number');
  return known.length ? known.reduce((s, v) => s + v, 0) / known.length : null;
}

export function figuresOf(s: Summary, t: DashboardText): Figure[] {
  const latest = s.latest;
  const first = s.days[0];
  if (!latest || !first) return [];
  const points = (latest.paidAmongFollowers - first.paidAmongFollowers) * 100;
  const delta = `${points > 0 ? '+' : points < 0 ? '−' : '±'}${Math.abs(points).toFixed(1)}`;
  const asOf = fill(t.asOf, { date: latest.date });
  const couponRate = meanRate(s.days.map((d) => d.couponRedemptionRate));
  const fillRate = meanRate(s.days.map((d) => d.appointmentFillRate));
  const rangeHint = fill(t.rangeLabel, { from: first.date, to: latest.date });
  return [
    {
      id: 'paid-share',
      label: t.paidShare,
      value: pct(latest.paidAmongFollowers, t),
      hint: `${fill(t.paidShareHint, { paid: Math.round(latest.paidAmongFollowers * latest.followers), followers: latest.followers })} · ${fill(t.change, { delta })}`,
    },
    { id: 'followers', label: t.followers, value: String(latest.followers), hint: asOf },
    { id: 'members', label: t.members, value: String(latest.members), hint: asOf },
    {
      id: 'new-members',
      label: t.newMembers,
      value: String(s.days.reduce((n, d) => n + d.newMembers, 0)),
      hint: rangeHint,
    },
    { id: 'coupon-rate', label: t.couponRate, value: pct(couponRate, t), hint: rangeHint },
    { id: 'fill-rate', label: t.fillRate, value: pct(fillRate, t), hint: rangeHint },
  ];
}

export function trendOf(days: Day[], t: DashboardText): ChartData {
  return {
    categories: days.map((d) => shortDate(d.date)),
    series: [{ name: t.paidShare, data: days.map((d) => d.paidAmongFollowers) }],
  };
}

/** New members per day, with referral conversions beside them when the rows carry them. */
export function dailyOf(days: Day[], t: DashboardText): ChartData {
  // null on rows computed before the statistics counted referrals
  const referrals = days.map((d) => d.referralConversions ?? null);
  const series = [{ name: t.newMembersSeries, data: days.map((d) => d.newMembers) as (number | null)[] }];
  if (referrals.some((v) => v !== null)) series.push({ name: t.referralSeries, data: referrals });
  return { categories: days.map((d) => shortDate(d.date)), series };
}

export function ratesOf(days: Day[], t: DashboardText): ChartData {
  return {
    categories: days.map((d) => shortDate(d.date)),
    series: [
      { name: t.couponRate, data: days.map((d) => d.couponRedemptionRate) },
      { name: t.fillRate, data: days.map((d) => d.appointmentFillRate) },
    ],
  };
}

const stageLabel = (stage: string, t: DashboardText): string =>
  stage in STAGE_KEYS ? t[STAGE_KEYS[stage as keyof typeof STAGE_KEYS]] : stage;

/** The latest day's stages, in lifecycle order (unknown stages last), as bars and as ring data (non-zero only). */
export function stagesOf(latest: Day | null, t: DashboardText): { bars: StageBar[]; chart: ChartData } {
  const entries = Object.entries(latest?.stages ?? {}).sort(
    ([a], [b]) => (STAGE_ORDER.indexOf(a) + 1 || 99) - (STAGE_ORDER.indexOf(b) + 1 || 99),
  );
  const total = entries.reduce((n, [, c]) => n + c, 0);
  const bars = entries.map(([stage, count]) => ({
    stage,
    label: stageLabel(stage, t),
    count: fill(t.people, { n: count }),
    share: total ? pct(count / total, t) : pct(0, t),
    percent: total ? Math.round((count / total) * 100) : 0,
  }));
  const shown = entries.filter(([, c]) => c > 0);
  return {
    bars,
    chart: {
      categories: shown.map(([s]) => stageLabel(s, t)),
      series: [{ name: t.stagesTitle, data: shown.map(([, c]) => c) }],
    },
  };
}
