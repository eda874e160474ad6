import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE, localDate } from '../time';

const MMDD = /^(\d{2})-(\d{2})$/;
const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const isLeapYear = (y: number): boolean => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;

function parseBirthday(birthday: string): { month: number; day: number } {
  const m = MMDD.exec(birthday);
  const month = Number(m?.[1]);
  const day = Number(m?.[2]);
  const max = DAYS_IN_MONTH[month - 1];
  if (!m || max === undefined || day < 1 || day > max) {
    throw new DomainError(ErrorCodes.INVALID_INPUT, '生日格式应为 MM-DD', { birthday });
  }
  return { month, day };
}

/**
 * The date (YYYY-MM-DD) a birthday is celebrated in a given year.
 * Rule for 29 February: in a non-leap year the birthday is celebrated on 28 February
 * (still in February, so month-based segments and campaigns see it in the same month).
 */
export function birthdayDateIn(year: number, birthday: string): string {
  const { month, day } = parseBirthday(birthday);
  const d = month === 2 && day === 29 && !isLeapYear(year) ? 28 : day;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** Whether `now`, in the brand's time zone, is the member's birthday ('MM-DD'; 29 Feb → 28 Feb in non-leap years). */
export function isBirthdayToday(birthday: string, now: Date, tz: string = DEFAULT_TIME_ZONE): boolean {
  const today = localDate(now, tz);
  return birthdayDateIn(Number(today.slice(0, 4)), birthday) === today;
}

/** The month (1–12) of a valid birthday ('MM-DD'); throws on another text. */
export const birthdayMonthOf = (birthday: string): number => parseBirthday(birthday).month;

const BIRTH_MONTH = /(?:^|-)(\d{2})-\d{2}$/;

/**
 * The month (1–12) of a stored birthday (YYYY-MM-DD or MM-DD), null without one: kept on the member
 * as `birthMonth` wherever the birthday is written, so a birthday-month rule is an indexed list.
 */
export function birthMonthOf(birthday: string | null | undefined): number | null {
  const month = typeof birthday === 'string' ? Number(BIRTH_MONTH.exec(birthday)?.[1]) : NaN;
  return month >= 1 && month <= 12 ? month : null;
}
