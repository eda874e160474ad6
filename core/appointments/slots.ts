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

/**
 * The slots a service offers on a local business date: in each opening range, starts every step
 * from the opening time while the whole service fits before closing. A range past midnight belongs
 * to the day it opens, so its after-midnight slots carry the previous date.
 */
export function slotsForDay(service: Service, hours: OpeningHours, date: string, tz: string = hours.timeZone): Slot[] {
  const stepMs = (service.slotStepMinutes ?? service.durationMinutes) * 60_000;
  const durMs = service.durationMinutes * 60_000;
  const slots: Slot[] = [];
  const spans = rangesFor(hours, date).map(spanOf).sort((a, b) => a[0] - b[0]);
  for (const [open, close] of spans) {
    const from = localInstant(date, open, tz).getTime();
    const to = localInstant(date, close, tz).getTime();
    for (let t = from; t + durMs <= to; t += stepMs) {
      const start = new Date(t);
      const local = dayjs(start).tz(tz).format('HH:mm');
      slots.push({ date, start, end: new Date(t + durMs), startLocal: local, capacity: service.capacityPerSlot, key: slotKey(service.serviceId, start) });
    }
  }
  return slots;
}

/** Whether the store opens at all on a local date. */
export const isOpenOn = (hours: OpeningHours, date: string): boolean => rangesFor(hours, date).length > 0;

/**
 * Finds the slot that starts at an instant: on its local date, or in a range of the day before
 * that runs past midnight. `storeOpen` says whether the store is open on that day at all (for the
 * previous day: whether the instant falls before its overnight range closes).
 */
export function findSlot(service: Service, hours: OpeningHours, startAt: Date): { slot: Slot | null; storeOpen: boolean } {
  const tz = hours.timeZone;
  const date = localDate(startAt, tz);
  const prev = addDays(date, -1);
  const spill = rangesFor(hours, prev).map(spanOf).filter(([, close]) => close > 1440);
  const inSpill = spill.some(([, close]) => startAt.getTime() < localInstant(prev, close, tz).getTime());
  if (inSpill) {
    const slot = slotsForDay(service, hours, prev, tz).find((s) => s.start.getTime() === startAt.getTime());
    if (slot) return { slot, storeOpen: true };
  }
  const slot = slotsForDay(service, hours, date, tz).find((s) => s.start.getTime() === startAt.getTime()) ?? null;
  return { slot, storeOpen: inSpill || isOpenOn(hours, date) };
}

export interface SlotAvailability extends Slot {
  booked: number;
  remaining: number;
  full: boolean;
}

/** Free capacity of each slot given the count of active bookings per slot key (missing = 0). */
export function availability(slots: readonly Slot[], bookedCounts: Readonly<Record<string, number>> | ReadonlyMap<string, number>): SlotAvailability[] {
  const countOf = (k: string): number => (bookedCounts instanceof Map ? bookedCounts.get(k) : (bookedCounts as Record<string, number>)[k]) ?? 0;
  return slots.map((s) => {
    const booked = countOf(s.key);
    const remaining = Math.max(0, s.capacity - booked);
    return { ...s, booked, remaining, full: remaining === 0 };
  });
}
