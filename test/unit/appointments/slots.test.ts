import fc from 'fast-check';
import {
  availability,
  decideBooking,
  findSlot,
  openingHoursSchema,
  parseNoShowRule,
  serviceSchema,
  slotsForDay,
  type OpeningHoursInput,
} from '../../../core/appointments';
import { codeOf } from '../../support/error-code';
import { localDate } from '../../../core/time';

const makeup = serviceSchema.parse({
  serviceId: 'makeup',
  name: { zh: '专业彩妆', en: 'Make-up' },
  durationMinutes: 60,
  slotStepMinutes: 30,
  capacityPerSlot: 3,
  bookingWindowDays: 14,
});
const weekday = [
  { open: '10:00', close: '12:00' },
  { open: '13:00', close: '15:00' },
];
const hours = (patch: Partial<OpeningHoursInput> = {}) =>
  openingHoursSchema.parse({
    weekly: {
      mon: weekday,
      tue: weekday,
      wed: weekday,
      thu: weekday,
      fri: [{ open: '20:00', close: '02:00' }],
      sat: [{ open: '07:00', close: '24:00' }],
    },
    ...patch,
  });
const iso = (d: Date) => d.toISOString();

describe('S14 slots from opening hours in the brand time zone', () => {
  it('S14 a weekday: starts every 30 min while the whole hour fits, in Asia/Shanghai (UTC+8)', () => {
    const slots = slotsForDay(makeup, hours(), '2025-03-10'); // Monday
    expect(slots.map((s) => s.startLocal)).toEqual(['10:00', '10:30', '11:00', '13:00', '13:30', '14:00']);
    expect(iso(slots[0]!.start)).toBe('2025-03-10T02:00:00.000Z');
    expect(iso(slots[5]!.end)).toBe('2025-03-10T07:00:00.000Z');
    expect(slotsForDay(makeup, hours(), '2025-03-09')).toEqual([]); // Sunday: no hours
  });

  it('S14 a holiday closes the day and special hours replace the weekday hours', () => {
    const h = hours({
      exceptions: [
        { date: '2025-10-01', closed: true, note: '国庆节' },
        { date: '2025-10-02', ranges: [{ open: '12:00', close: '13:30' }] },
      ],
    });
    expect(slotsForDay(makeup, h, '2025-10-01')).toEqual([]); // a Wednesday
    expect(slotsForDay(makeup, h, '2025-10-02').map((s) => s.startLocal)).toEqual(['12:00', '12:30']);
    const now = new Date('2025-09-28T02:00:00Z');
    const ctx = {
      service: makeup,
      hours: h,
      now,
      bookedCount: 0,
      memberAppointments: [],
      noShows: [],
      noShowRule: parseNoShowRule(),
    };
    expect(codeOf(() => decideBooking({ startAt: new Date('2025-10-01T02:00:00Z') }, ctx))).toBe('STORE_CLOSED');
    expect(codeOf(() => decideBooking({ startAt: new Date('2025-10-02T02:00:00Z') }, ctx))).toBe('SLOT_NOT_ALIGNED'); // 10:00 is not special hours
    expect(decideBooking({ startAt: new Date('2025-10-02T04:30:00Z') }, ctx).slot.startLocal).toBe('12:30');
  });

  it('S14 a range past midnight belongs to the day it opens; its after-midnight slots are found from their own instant', () => {
    const slots = slotsForDay(makeup, hours(), '2025-03-14'); // Friday 20:00–02:00
    expect(slots.map((s) => s.startLocal)).toEqual([
      '20:00',
      '20:30',
      '21:00',
      '21:30',
      '22:00',
      '22:30',
      '23:00',
      '23:30',
      '00:00',
      '00:30',
      '01:00',
    ]);
    const last = slots[slots.length - 1]!;
    expect(last.date).toBe('2025-03-14');
    expect(localDate(last.start)).toBe('2025-03-15');
    expect(iso(last.end)).toBe('2025-03-14T18:00:00.000Z'); // 02:00 local
    expect(findSlot(makeup, hours(), last.start)).toEqual({ slot: last, storeOpen: true });
    // Even when the next day is a holiday, Friday night's slots stay open.
    const h = hours({ exceptions: [{ date: '2025-03-15', closed: true }] });
    expect(findSlot(makeup, h, last.start).slot?.date).toBe('2025-03-14');
    expect(findSlot(makeup, h, new Date('2025-03-15T02:00:00Z'))).toEqual({ slot: null, storeOpen: false });
  });

  it('S14 a store open until 24:00 offers its last slot ending exactly at local midnight', () => {
    const slots = slotsForDay(makeup, hours(), '2025-03-15'); // Saturday 07:00–24:00
    expect(slots[slots.length - 1]!.startLocal).toBe('23:00');
    expect(iso(slots[slots.length - 1]!.end)).toBe('2025-03-15T16:00:00.000Z');
  });

  it('S14 the local date is not the UTC date: 07:00 on Saturday in Shanghai is still Friday in UTC', () => {
    const first = slotsForDay(makeup, hours(), '2025-03-15')[0]!;
    expect(first.startLocal).toBe('07:00');
    expect(iso(first.start)).toBe('2025-03-14T23:00:00.000Z');
    expect(localDate(first.start)).toBe('2025-03-15');
    expect(iso(first.start).slice(0, 10)).toBe('2025-03-14'); // what a UTC date would (wrongly) say
    // "Today's slots" at 07:10 on Saturday morning: the local date gives Saturday; the UTC date would give Friday.
    const now = new Date('2025-03-14T23:10:00Z');
    expect(localDate(now)).toBe('2025-03-15');
    const wrongDay = slotsForDay(makeup, hours(), now.toISOString().slice(0, 10));
    expect(wrongDay[0]!.startLocal).toBe('20:00'); // Friday night's slots, not Saturday's
  });

  it('S14 Asia/Shanghai has no DST: 10:00 local is 02:00Z on every Monday of 2025; a DST zone shifts', () => {
    for (
      let d = new Date('2025-01-06T00:00:00Z');
      d.getUTCFullYear() === 2025;
      d = new Date(d.getTime() + 7 * 86_400_000)
    ) {
      expect(iso(slotsForDay(makeup, hours(), d.toISOString().slice(0, 10))[0]!.start).slice(11, 16)).toBe('02:00');
    }
    const ny = hours({ timeZone: 'America/New_York' });
    expect(iso(slotsForDay(makeup, ny, '2025-03-03')[0]!.start)).toBe('2025-03-03T15:00:00.000Z');
    expect(iso(slotsForDay(makeup, ny, '2025-03-10')[0]!.start)).toBe('2025-03-10T14:00:00.000Z');
  });

  it('S14 availability: remaining capacity per slot', () => {
    const slots = slotsForDay(makeup, hours(), '2025-03-10');
    const a = availability(slots, { [slots[0]!.key]: 3, [slots[1]!.key]: 1 });
    expect(a.slice(0, 3).map(({ booked, remaining, full }) => ({ booked, remaining, full }))).toEqual([
      { booked: 3, remaining: 0, full: true },
      { booked: 1, remaining: 2, full: false },
      { booked: 0, remaining: 3, full: false },
    ]);
    expect(availability(slots, new Map([[slots[2]!.key, 2]]))[2]!.remaining).toBe(1);
  });

  it('opening hours reject overlapping ranges and equal open/close', () => {
    expect(() =>
      hours({
        weekly: {
          mon: [
            { open: '10:00', close: '12:00' },
            { open: '11:00', close: '13:00' },
          ],
        },
      }),
    ).toThrow();
    expect(() => hours({ weekly: { mon: [{ open: '10:00', close: '10:00' }] } })).toThrow();
  });
});

describe('S14 slots (property)', () => {
  const rangeArb = fc
    .record({ open: fc.integer({ min: 0, max: 47 }), len: fc.integer({ min: 1, max: 30 }) })
    .map(({ open, len }) => {
      const hhmm = (m: number) =>
        `${String(Math.floor((m % 1440) / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      return { open: hhmm(open * 30), close: hhmm(Math.min(open * 30 + len * 30, open * 30 + 1439)) };
    });
  it('S14 every listed slot is bookable on an empty diary and one minute later is not aligned', () => {
    fc.assert(
      fc.property(rangeArb, fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 6 }), (range, dur, stepUnits) => {
        const service = serviceSchema.parse({
          serviceId: 's',
          name: { zh: '服务' },
          durationMinutes: dur * 15,
          slotStepMinutes: stepUnits * 15,
          capacityPerSlot: 1,
        });
        const h = openingHoursSchema.parse({ weekly: { wed: [range] } });
        const date = '2025-03-12';
        const ctx = {
          service,
          hours: h,
          now: new Date('2025-03-10T00:00:00Z'),
          bookedCount: 0,
          memberAppointments: [],
          noShows: [],
          noShowRule: parseNoShowRule(),
        };
        for (const s of slotsForDay(service, h, date)) {
          expect(s.end.getTime() - s.start.getTime()).toBe(dur * 15 * 60_000);
          expect(decideBooking({ startAt: s.start }, ctx).slot).toEqual({ ...s, date });
          const off = new Date(s.start.getTime() + 60_000);
          expect(['SLOT_NOT_ALIGNED', 'STORE_CLOSED']).toContain(codeOf(() => decideBooking({ startAt: off }, ctx)));
          expect(codeOf(() => decideBooking({ startAt: s.start }, { ...ctx, bookedCount: 1 }))).toBe('SLOT_FULL');
        }
      }),
      { numRuns: 100 },
    );
  });
});
