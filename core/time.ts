import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Core never reads the wall clock: every rule that needs "now" takes it as a parameter. */
export type Clock = () => Date;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/*
 * Wall-clock readings go through one cached Intl.DateTimeFormat per time zone: dayjs's timezone
 * plugin builds a new formatter on every call (about 140 µs each, several per coupon claim or
 * journey step). dayjs stays for calendar arithmetic and formatting.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function readWallClock(at: number, tz: string): Wall {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(tz, f);
  }
  const w: Wall = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
  for (const part of f.formatToParts(at)) if (part.type in w) w[part.type as keyof Wall] = Number(part.value);
  return w;
}

const wallOffset = (w: Wall, at: number) =>
  Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(at / 1000) * 1000;

/*
 * A zone's offset is kept per quarter hour (when the same at both ends of it): a wall-clock reading
 * is then date arithmetic, not a formatter call (order sync reads the local date several times per order).
 */
const QUARTER_MS = 15 * 60_000;
const offsets = new Map<string, number>();

function wallClock(at: number, tz: string): Wall {
  const quarter = Math.floor(at / QUARTER_MS);
  const key = `${tz} ${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const start = quarter * QUARTER_MS;
    const end = start + QUARTER_MS - 1000;
    offset = wallOffset(readWallClock(start, tz), start);
    if (offset !== wallOffset(readWallClock(end, tz), end)) return readWallClock(at, tz);
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  const d = new Date(at + offset);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** The zone's offset from UTC at an instant, in ms (Shanghai: +8 h). */
function offsetAt(at: number, tz: string): number {
  return wallOffset(wallClock(at, tz), at);
}

const DAY_MS = 86_400_000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar date (YYYY-MM-DD) of an instant in the brand's time zone. */
export function localDate(at: Date, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(at.getTime(), tz);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/**
 * The instant at which a local date-time (YYYY-MM-DD, HH:mm) happens in the brand's time zone.
 * Around a daylight-saving change a time that happens twice is its earlier instant, and a time the
 * change skips lands after it (dayjs's timezone plugin, starting from the wrong offset, can give the later).
 */
export function instantOf(date: string, time = '00:00', tz: string = DEFAULT_TIME_ZONE): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const local = Date.UTC(y, m - 1, d, h, mi);
  const before = offsetAt(local - DAY_MS, tz);
  const after = offsetAt(local + DAY_MS, tz);
  if (before === after) return new Date(local - before);
  // An offset change within a day: the wall clock shows `local` under the old offset, the new one, both or neither.
  const underBefore = local - before;
  const underAfter = local - after;
  const readsBefore = offsetAt(underBefore, tz) === before;
  const readsAfter = offsetAt(underAfter, tz) === after;
  if (readsBefore && readsAfter) return new Date(Math.min(underBefore, underAfter));
  if (readsAfter) return new Date(underAfter);
  return new Date(underBefore);
}

/** Local hour and minute of an instant in the brand's time zone. */
export function localTime(at: Date, tz: string = DEFAULT_TIME_ZONE): { hour: number; minute: number } {
  const w = wallClock(at.getTime(), tz);
  return { hour: w.hour, minute: w.minute };
}

/** Local time of an instant as HH:mm, the form `instantOf` takes. */
export function localTimeText(at: Date, tz: string = DEFAULT_TIME_ZONE): string {
  const w = wallClock(at.getTime(), tz);
  return `${pad(w.hour)}:${pad(w.minute)}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Adds whole calendar days to a local date string (YYYY-MM-DD by date arithmetic; anything else through dayjs). */
export function addDays(date: string, days: number): string {
  const m = ISO_DATE.exec(date);
  if (!m || Number(m[1]) < 100) return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + days));
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export { dayjs };
