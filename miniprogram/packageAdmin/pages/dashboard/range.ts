/** Date ranges of the dashboard, as local dates (YYYY-MM-DD) in the brand's zone (Shanghai, no DST). */
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export const PRESETS = [7, 30, 90] as const;
export type Preset = (typeof PRESETS)[number];

export interface DateRange {
  from: string;
  to: string;
}

export const isDate = (v: unknown): v is string =>
  typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The last complete local day: statistics of a day are computed just after it ends. */
export function lastCompleteDay(now: Date = new Date()): string {
  return addDays(new Date(now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10), -1);
}

/** The last `days` complete days. */
export function presetRange(days: number, now: Date = new Date()): DateRange {
  const to = lastCompleteDay(now);
  return { from: addDays(to, -(days - 1)), to };
}

/** Which preset a range is, if any. */
export function presetOf(range: DateRange, now: Date = new Date()): Preset | 0 {
  return (
    PRESETS.find((n) => {
      const p = presetRange(n, now);
      return p.from === range.from && p.to === range.to;
    }) ?? 0
  );
}

/** '2026-05-03' → '05-03' (chart labels). */
export const shortDate = (date: string): string => date.slice(5);
