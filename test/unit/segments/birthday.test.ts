import { birthdayDateIn, birthdayMonthOf, isBirthdayToday, isLeapYear } from '../../../core/segments';
import { instantOf } from '../../../core/time';
import { isDomainError } from '../../../core/errors';

const TZ = 'Asia/Shanghai';

describe('S19 birthdays in the brand time zone', () => {
  it('a 29 February birthday is celebrated on 28 February in a non-leap year, and only then', () => {
    expect(isLeapYear(2027)).toBe(false);
    expect(isBirthdayToday('02-29', instantOf('2027-02-28', '00:00', TZ), TZ)).toBe(true);
    expect(isBirthdayToday('02-29', instantOf('2027-03-01', '00:00', TZ), TZ)).toBe(false);
    expect(isBirthdayToday('02-29', instantOf('2027-02-27', '23:59', TZ), TZ)).toBe(false);
  });

  it('in a leap year a 29 February birthday is on 29 February, not 28', () => {
    expect(isBirthdayToday('02-29', instantOf('2028-02-29', '12:00', TZ), TZ)).toBe(true);
    expect(isBirthdayToday('02-29', instantOf('2028-02-28', '12:00', TZ), TZ)).toBe(false);
    expect(birthdayDateIn(2100, '02-29')).toBe('2100-02-28'); // 2100 is not leap
    expect(birthdayDateIn(2000, '02-29')).toBe('2000-02-29');
  });

  it('the day is the brand-local day: 16:30 UTC on 14 May is already 15 May in Shanghai', () => {
    const at = new Date('2025-05-14T16:30:00Z');
    expect(isBirthdayToday('05-15', at, TZ)).toBe(true);
    expect(isBirthdayToday('05-14', at, TZ)).toBe(false);
    expect(isBirthdayToday('05-14', at, 'UTC')).toBe(true);
  });

  it('rejects impossible dates with INVALID_INPUT', () => {
    for (const bad of ['02-30', '13-01', '4-1', '00-10']) {
      try {
        isBirthdayToday(bad, new Date(0), TZ);
        throw new Error('accepted ' + bad);
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe('INVALID_INPUT');
      }
    }
    expect(birthdayMonthOf('02-29')).toBe(2);
  });
});
