import fc from 'fast-check';
import { dayjs, instantOf, localDate, localTime, localTimeText } from '../../../core/time';

/**
 * core/time reads wall clocks through a cached Intl formatter; these check it against dayjs's
 * timezone plugin, which it replaced on the hot path, in zones with and without daylight saving.
 */
const ZONES = [
  'Asia/Shanghai',
  'America/New_York',
  'Europe/Paris',
  'Australia/Sydney',
  'Asia/Kolkata',
  'UTC',
  'America/St_Johns',
];
const instant = fc.date({
  min: new Date('1995-01-01T00:00:00Z'),
  max: new Date('2045-12-31T23:59:59Z'),
  noInvalidDate: true,
});
const zone = fc.constantFrom(...ZONES);
// Offset changes (the instant the clocks move) on both hemispheres: random instants seldom land within hours of one
const CHANGES: [string, string][] = [
  ['Australia/Sydney', '2015-04-04T16:00:00Z'],
  ['Australia/Sydney', '2015-10-03T16:00:00Z'],
  ['America/New_York', '2026-03-08T07:00:00Z'],
  ['America/New_York', '2026-11-01T06:00:00Z'],
  ['Europe/Paris', '2026-03-29T01:00:00Z'],
  ['Europe/Paris', '2026-10-25T01:00:00Z'],
  ['America/St_Johns', '2026-03-08T05:30:00Z'],
  ['America/St_Johns', '2026-11-01T04:30:00Z'],
];
const nearChange = fc
  .constantFrom(...CHANGES)
  .chain(([tz, iso]) =>
    fc.integer({ min: -3 * 3600, max: 3 * 3600 }).map((s) => [new Date(Date.parse(iso) + s * 1000), tz] as const),
  );
const instantInZone = fc.oneof(fc.tuple(instant, zone), nearChange);

test('localDate, localTime and localTimeText read the same wall clock as dayjs in every zone', () => {
  fc.assert(
    fc.property(instantInZone, ([at, tz]) => {
      const d = dayjs(at).tz(tz);
      expect(localDate(at, tz)).toBe(d.format('YYYY-MM-DD'));
      expect(localTime(at, tz)).toEqual({ hour: d.hour(), minute: d.minute() });
      expect(localTimeText(at, tz)).toBe(d.format('HH:mm'));
    }),
    { numRuns: 2000 },
  );
});

test('instantOf is the instant dayjs gives for a local date-time, and reads back as that date-time', () => {
  fc.assert(
    fc.property(instantInZone, ([at, tz]) => {
      const date = localDate(at, tz);
      const { hour, minute } = localTime(at, tz);
      const time = localTimeText(at, tz);
      const mine = instantOf(date, time, tz);
      expect(localDate(mine, tz)).toBe(date);
      expect(localTime(mine, tz)).toEqual({ hour, minute });
      const theirs = dayjs.tz(`${date} ${time}`, 'YYYY-MM-DD HH:mm', tz).toDate();
      // dayjs starts from today's offset, so an hour that happens twice may read as either instant there
      if (localDate(theirs, tz) === date && localTime(theirs, tz).hour === hour)
        expect([mine.getTime(), mine.getTime() + 3_600_000]).toContain(theirs.getTime());
    }),
    { numRuns: 2000 },
  );
});

test('instantOf is the earliest instant that shows its local date-time', () => {
  fc.assert(
    fc.property(instantInZone, ([at, tz]) => {
      const time = localTimeText(at, tz);
      const minuteOfAt = Math.floor(at.getTime() / 60_000) * 60_000;
      expect(instantOf(localDate(at, tz), time, tz).getTime()).toBeLessThanOrEqual(minuteOfAt);
    }),
    { numRuns: 2000 },
  );
});

test('daylight saving: a skipped time lands after the change, a repeated one is its earlier instant; Shanghai has neither', () => {
  // New York, 2026-03-08 02:30 does not happen (clocks go 02:00 → 03:00); 2026-11-01 01:30 happens twice
  expect(instantOf('2026-03-08', '02:30', 'America/New_York').toISOString()).toBe('2026-03-08T07:30:00.000Z');
  expect(instantOf('2026-11-01', '01:30', 'America/New_York').toISOString()).toBe('2026-11-01T05:30:00.000Z');
  // Sydney, east of UTC: 2015-04-05 02:00 happens at 15:00Z (daylight time) and again at 16:00Z; 2015-10-04 02:30 is skipped
  expect(instantOf('2015-04-05', '02:00', 'Australia/Sydney').toISOString()).toBe('2015-04-04T15:00:00.000Z');
  expect(instantOf('2015-04-05', '02:59', 'Australia/Sydney').toISOString()).toBe('2015-04-04T15:59:00.000Z');
  expect(instantOf('2015-10-04', '02:30', 'Australia/Sydney').toISOString()).toBe('2015-10-03T16:30:00.000Z');
  expect(instantOf('2026-11-23', '00:00').toISOString()).toBe('2026-11-22T16:00:00.000Z');
  expect(localDate(new Date('2026-11-22T16:00:00Z'))).toBe('2026-11-23');
  expect(localDate(new Date('2026-11-22T15:59:59.999Z'))).toBe('2026-11-22');
});
