import { addDays, dayjs } from '../time';
import { REPORTED_SKIPS } from '../messaging/decide';

/**
 * Insight reports read pre-aggregated rows (`insight_stats`, one per kind and local day, written by
 * the nightly statistics) and fold them into tables here. A table is columns and rows, so the admin
 * shows it, charts it and exports it as CSV the same way.
 */
export interface Table {
  columns: string[];
  rows: (string | number | null)[][];
}

/** A stage change in one day's statistics: how many members moved `from` → `to` and why. */
export interface StageFlow {
  from: string | null;
  to: string;
  cause: string;
  n: number;
}

/**
 * What moved a member, in words a report can group by: an order (the cause is its key, e.g.
 * `pos:A-1`), the nightly review, or the event that did it (`member.joined`, `oa.subscribed`, …).
 */
export function causeKind(cause: string): string {
  if (cause === 'nightly' || /^[a-z_]+\.[a-z_]+$/.test(cause)) return cause;
  return 'order';
}

/** The Monday (YYYY-MM-DD) of the week a local date falls in. */
export function weekOf(date: string): string {
  const dow = dayjs(`${date}T00:00:00Z`).utc().day(); // 0 = Sunday
  return addDays(date, -((dow + 6) % 7));
}

/** Day rows of stage flows folded per week, from → to and cause, busiest first within a week. */
export function lifecycleTable(days: readonly { date: string; flows: readonly StageFlow[] }[]): Table {
  const byKey = new Map<string, { week: string; from: string; to: string; cause: string; n: number }>();
  for (const d of days) {
    const week = weekOf(d.date);
    for (const f of d.flows) {
      const from = f.from ?? 'none';
      const key = `${week}|${from}|${f.to}|${f.cause}`;
      const row = byKey.get(key) ?? { week, from, to: f.to, cause: f.cause, n: 0 };
      row.n += f.n;
      byKey.set(key, row);
    }
  }
  const rows = [...byKey.values()].sort((a, b) => (a.week !== b.week ? (a.week < b.week ? -1 : 1) : b.n - a.n));
  return {
    columns: ['week', 'from', 'to', 'cause', 'members'],
    rows: rows.map((r) => [r.week, r.from, r.to, r.cause, r.n]),
  };
}

/** Stage changes of a day's statistics, counted by from, to and cause kind. */
export function foldFlows(changes: readonly { from: string | null; to: string; cause: string }[]): StageFlow[] {
  const byKey = new Map<string, StageFlow>();
  for (const c of changes) {
    const cause = causeKind(c.cause);
    const key = `${c.from ?? ''}|${c.to}|${cause}`;
    const f = byKey.get(key) ?? { from: c.from, to: c.to, cause, n: 0 };
    f.n += 1;
    byKey.set(key, f);
  }
  return [...byKey.values()];
}

/** Unfollows and followers by group over the days asked for; the rate is unfollows ÷ followers at the start of each day. */
export function unfollowTable(
  days: readonly { date: string; groups: readonly { group: string; followers: number; unfollows: number }[] }[],
): Table {
  const sums = new Map<string, { followerDays: number; unfollows: number }>();
  for (const d of days) {
    for (const g of d.groups) {
      const s = sums.get(g.group) ?? { followerDays: 0, unfollows: 0 };
      s.followerDays += g.followers + g.unfollows;
      s.unfollows += g.unfollows;
      sums.set(g.group, s);
    }
  }
  const rows = [...sums.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, s]) => {
      const avgFollowers = days.length ? s.followerDays / days.length : 0;
      return [
        group,
        Math.round(avgFollowers),
        s.unfollows,
        avgFollowers ? Number((s.unfollows / avgFollowers).toFixed(4)) : 0,
      ];
    });
  return { columns: ['group', 'followers', 'unfollows', 'rate'], rows };
}

/** Join-month cohorts: of the members who joined in a month, how many bought in month k after joining or later (m0 = the join month). */
export function retentionTable(
  cohorts: readonly { month: string; joined: number; bought: readonly number[] }[],
): Table {
  const width = Math.max(0, ...cohorts.map((c) => c.bought.length));
  const columns = ['cohort', 'joined', ...Array.from({ length: width }, (_v, k) => `m${k}`)];
  const rows = cohorts.map((c) => [
    c.month,
    c.joined,
    ...Array.from({ length: width }, (_v, k) => (k < c.bought.length ? c.bought[k]! : null)),
  ]);
  return { columns, rows };
}

/** Referral funnel per day from the daily statistics: invitations opened, friends who joined. */
export function referralTable(
  days: readonly { date: string; referralOpens?: number | null; referralConversions?: number | null }[],
): Table {
  const rows = days.map((d) => {
    const opens = d.referralOpens ?? 0;
    const joins = d.referralConversions ?? 0;
    return [d.date, opens, joins, opens ? Number((joins / opens).toFixed(4)) : 0];
  });
  return { columns: ['date', 'opened', 'joined', 'rate'], rows };
}

/** One journey or campaign's figures as a funnel row. */
export interface MessagingFigures {
  kind: 'journey' | 'campaign';
  id: string;
  name: string;
  entered: number;
  sent: number;
  skipped: Record<string, number>;
  converted: number;
}

/** The latest snapshot of journey and campaign funnels: entered, sent, skipped by reason, converted. */
export function messagingTable(figures: readonly MessagingFigures[]): Table {
  return {
    columns: ['kind', 'id', 'name', 'entered', 'sent', ...REPORTED_SKIPS.map((r) => `skipped_${r}`), 'converted'],
    rows: figures.map((f) => [
      f.kind,
      f.id,
      f.name,
      f.entered,
      f.sent,
      ...REPORTED_SKIPS.map((r) => f.skipped[r] ?? 0),
      f.converted,
    ]),
  };
}
