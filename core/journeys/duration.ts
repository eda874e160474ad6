import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';

export { isDuration, parseDuration } from '../duration';

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The first instant at or after `from` whose brand-local time is `hhmm`. */
export function nextLocalTime(from: Date, hhmm: string, tz: string = DEFAULT_TIME_ZONE): Date {
  const today = localDate(from, tz);
  const t = instantOf(today, hhmm, tz);
  return t.getTime() >= from.getTime() ? t : instantOf(addDays(today, 1), hhmm, tz);
}
