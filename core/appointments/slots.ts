import { addDays, dayjs, instantOf, localDate } from '../time';
import { WEEKDAYS, spanOf, type OpeningHours, type Service, type TimeRange } from './schema';

/** One bookable slot. `date` is the business day whose opening hours produced it (local, not UTC). */
export interface Slot {
  date: string;
  start: Date;
  end: Date;
  /** Local start time HH:mm in the store's zone. */
  startLocal: string;
  capacity: number;
  /** Stable id of the slot for counting bookings: service and start instant. */
  key: string;
}

export const slotKey = (serviceId: string, start: Date): string => `${serviceId}@${start.toISOString()}`;

/** The opening ranges of a local date: its exception if any, else its weekday's hours. */
export function rangesFor(hours: OpeningHours, date: string): TimeRange[] {
  const exception = hours.exceptions.find((e) => e.date === date);
  if (exception) return 'closed' in exception ? [] : exception.ranges;
  // A calendar date's weekday does not depend on the zone: read it as a UTC date.
  return hours.weekly[WEEKDAYS[dayjs.utc(date).day()] as (typeof WEEKDAYS)[number]];
}

/** The instant `minutes` after the local midnight starting `date` (minutes may pass 24:00 into the next day). */
function localInstant(date: string, minutes: number, tz: string): Date {
  const day = addDays(date, Math.floor(minutes / 1440));
  const m = minutes % 1440;
  return instantOf(day, `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`, tz);
}

// Formatting every slot through dayjs.tz is slow (a fresh Intl formatter per call); one cached formatter per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();
function wallClock(at: Date, tz: string): string {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(tz, f);
  }
  return f.format(at);
}

/** Each opening range of a business date as absolute instants [from, to). */
function windowsOf(hours: OpeningHours, date: string, tz: string): [number, number][] {
  return rangesFor(hours, date)
    .map(spanOf)
    .sort((a, b) => a[0] - b[0])
    .map(([open, close]) => [localInstant(date, open, tz).getTime(), localInstant(date, close, tz).getTime()]);
}

function makeSlot(service: Service, date: string, t: number, tz: string): Slot {
  const start = new Date(t);
  return {
    date,
    start,
    end: new Date(t + service.durationMinutes * 60_000),
    startLocal: wallClock(start, tz),
    capacity: service.capacityPerSlot,
    key: slotKey(service.serviceId, start),
  };
}

/**
 * The slots a service offers on a local business date: in each opening range, starts every step
 * from the opening time while the whole service fits before closing. A range past midnight belongs
 * to the day it opens, so its after-midnight slots carry the previous date.
 */
export function slotsForDay(service: Service, hours: OpeningHours, date: string, tz: string = hours.timeZone): Slot[] {
  const stepMs = (service.slotStepMinutes ?? service.durationMinutes) * 60_000;
  const durMs = service.durationMinutes * 60_000;
  const slots: Slot[] = [];
  for (const [from, to] of windowsOf(hours, date, tz)) {
    for (let t = from; t + durMs <= to; t += stepMs) slots.push(makeSlot(service, date, t, tz));
  }
  return slots;
}

/** Whether the store opens at all on a local date. */
export const isOpenOn = (hours: OpeningHours, date: string): boolean => rangesFor(hours, date).length > 0;

/** The slot of `date` that starts exactly at `t`, without listing the day. */
function slotAt(service: Service, hours: OpeningHours, date: string, t: number, tz: string): Slot | null {
  const stepMs = (service.slotStepMinutes ?? service.durationMinutes) * 60_000;
  const durMs = service.durationMinutes * 60_000;
  const w = windowsOf(hours, date, tz).find(([from, to]) => t >= from && t + durMs <= to && (t - from) % stepMs === 0);
  return w ? makeSlot(service, date, t, tz) : null;
}

/**
 * Finds the slot that starts at an instant: on its local date, or in a range of the day before
 * that runs past midnight. `storeOpen` says whether the store is open on that day at all (for the
 * previous day: whether the instant falls before its overnight range closes).
 */
export function findSlot(
  service: Service,
  hours: OpeningHours,
  startAt: Date,
): { slot: Slot | null; storeOpen: boolean } {
  const tz = hours.timeZone;
  const t = startAt.getTime();
  const date = localDate(startAt, tz);
  const prev = addDays(date, -1);
  const inSpill = windowsOf(hours, prev, tz).some(([, to]) => t < to);
  if (inSpill) {
    const slot = slotAt(service, hours, prev, t, tz);
    if (slot) return { slot, storeOpen: true };
  }
  return { slot: slotAt(service, hours, date, t, tz), storeOpen: inSpill || isOpenOn(hours, date) };
}

export interface SlotAvailability extends Slot {
  booked: number;
  remaining: number;
  full: boolean;
}

/** Free capacity of each slot given the count of active bookings per slot key (missing = 0). */
export function availability(
  slots: readonly Slot[],
  bookedCounts: Readonly<Record<string, number>> | ReadonlyMap<string, number>,
): SlotAvailability[] {
  const countOf = (k: string): number =>
    (bookedCounts instanceof Map ? bookedCounts.get(k) : (bookedCounts as Record<string, number>)[k]) ?? 0;
  return slots.map((s) => {
    const booked = countOf(s.key);
    const remaining = Math.max(0, s.capacity - booked);
    return { ...s, booked, remaining, full: remaining === 0 };
  });
}
