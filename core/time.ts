import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Core never reads the wall clock: every rule that needs "now" takes it as a parameter. */
export type Clock = () => Date;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** The calendar date (YYYY-MM-DD) of an instant in the brand's time zone. */
export function localDate(at: Date, tz: string = DEFAULT_TIME_ZONE): string {
  return dayjs(at).tz(tz).format('YYYY-MM-DD');
}

/** The instant at which a local date-time (YYYY-MM-DD, HH:mm) happens in the brand's time zone. */
export function instantOf(date: string, time = '00:00', tz: string = DEFAULT_TIME_ZONE): Date {
  return dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', tz).toDate();
}

/** Local hour and minute of an instant in the brand's time zone. */
export function localTime(at: Date, tz: string = DEFAULT_TIME_ZONE): { hour: number; minute: number } {
  const d = dayjs(at).tz(tz);
  return { hour: d.hour(), minute: d.minute() };
}

/** Adds whole calendar days to a local date string. */
export function addDays(date: string, days: number): string {
  return dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');
}

export { dayjs };
