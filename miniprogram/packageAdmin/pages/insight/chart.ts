import type { InsightKind } from '../../../../core/contracts/insight';
import type { ChartSeries, ChartType } from '../../components/trend-chart/options';

export type Cell = string | number | null;
export interface Table {
  columns: string[];
  rows: Cell[][];
}
export interface InsightChart {
  type: ChartType;
  categories: string[];
  series: ChartSeries[];
  percent: boolean;
}

const num = (v: Cell | undefined): number | null => (typeof v === 'number' ? v : null);
const col = (t: Table, name: string): number => t.columns.indexOf(name);
const column = (t: Table, name: string): (number | null)[] => t.rows.map((r) => num(r[col(t, name)]));
const firsts = (t: Table): string[] => t.rows.map((r) => String(r[0] ?? ''));
/** At most this many cohorts drawn as retention lines (the newest); the table lists them all. */
const COHORTS = 6;

/** Members per week moving into each stage: the weeks as categories, one series per stage reached. */
function lifecycle(t: Table, label: (id: string) => string): InsightChart {
  const [week, to, members] = [col(t, 'week'), col(t, 'to'), col(t, 'members')];
  const weeks = [...new Set(t.rows.map((r) => String(r[week])))].sort();
  const stages = [...new Set(t.rows.map((r) => String(r[to])))];
  const series = stages.map((s) => ({
    name: label(s),
    data: weeks.map((w) =>
      t.rows.filter((r) => r[week] === w && r[to] === s).reduce((n, r) => n + (num(r[members]) ?? 0), 0),
    ),
  }));
  return { type: 'column', categories: weeks, series, percent: false };
}

/** Each cohort's share of joiners who bought in month 0, 1, 2, … after joining. */
function retention(t: Table): InsightChart {
  const months = t.columns.filter((c) => /^m\d+$/.test(c));
  const joined = col(t, 'joined');
  const series = t.rows.slice(-COHORTS).map((r) => {
    const base = num(r[joined]) ?? 0;
    const share = (m: string) => {
      const v = num(r[col(t, m)]);
      return v === null || base === 0 ? null : v / base;
    };
    return { name: String(r[0]), data: months.map(share) };
  });
  return { type: 'line', categories: months.map((m) => m.toUpperCase()), series, percent: true };
}

/** The chart drawn for a report's table; `name` words a column or a stage in the page's language. */
export function chartOf(kind: InsightKind, t: Table, name: (id: string) => string): InsightChart {
  const some = (type: ChartType, cols: string[], categories = firsts(t)): InsightChart => ({
    type,
    categories,
    series: cols.map((c) => ({ name: name(c), data: column(t, c) })),
    percent: false,
  });
  if (kind === 'lifecycle') return lifecycle(t, name);
  if (kind === 'retention') return retention(t);
  if (kind === 'referral')
    return some(
      'line',
      ['opened', 'joined'],
      firsts(t).map((d) => d.slice(5)),
    );
  if (kind === 'unfollow') return some('column', ['followers', 'unfollows']);
  return some(
    'column',
    ['entered', 'sent', 'converted'],
    t.rows.map((r) => String(r[col(t, 'name')] ?? r[0])),
  );
}

/** A cell as the table shows it: rates as percentages, empty for null. */
export function cellText(column: string, v: Cell): string {
  if (v === null) return '';
  if (typeof v === 'number' && column === 'rate') return `${(v * 100).toFixed(1)}%`;
  return String(v);
}
