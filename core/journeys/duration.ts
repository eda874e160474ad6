import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';

const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const isDuration = (s: string): boolean => s !== '' && DURATION.test(s);

/** '30m', '47h', '3d', '1d12h' → milliseconds. A day is 24 hours here (a wait, not a calendar day). */
export function parseDuration(s: string): number {
  const m = DURATION.exec(s);
  if (!m || s === '') throw new DomainError(ErrorCodes.INVALID_INPUT, `无效的时长：${s}`, { duration: s });
  const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + sec) * 1000;
}

export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The first instant at or after `from` whose brand-local time is `hhmm`. */
export function nextLocalTime(from: Date, hhmm: string, tz: string = DEFAULT_TIME_ZONE): Date {
  const today = localDate(from, tz);
  const t = instantOf(today, hhmm, tz);
  return t.getTime() >= from.getTime() ? t : instantOf(addDays(today, 1), hhmm, tz);
}
