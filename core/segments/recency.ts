import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate, dayjs } from '../time';

/** The first instant that still counts as "paid within `days` days": the start of that brand-local day. */
export function recencyCutoff(days: number, now: Date, tz: string = DEFAULT_TIME_ZONE): Date {
  return instantOf(addDays(localDate(now, tz), -days), '00:00', tz);
}

/** The brand-local month (1–12) of an instant. */
export function localMonth(now: Date, tz: string = DEFAULT_TIME_ZONE): number {
  return dayjs(now).tz(tz).month() + 1;
}
