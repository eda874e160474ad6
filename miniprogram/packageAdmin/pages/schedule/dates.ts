/** Brand-local calendar days (Shanghai, UTC+8, no daylight saving), as YYYY-MM-DD strings. */
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export const todayLocal = (now: Date = new Date()): string =>
  new Date(now.getTime() + OFFSET_MS).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export const isDate = (v: string | undefined): v is string =>
  !!v && DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));
