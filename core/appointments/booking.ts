import { DomainError, ErrorCodes, type ErrorCode } from '../errors';
import { addDays, localDate } from '../time';
import { type NoShowRule, type OpeningHours, type Service } from './schema';
import { findSlot, type Slot } from './slots';

export type AppointmentStatus = 'requested' | 'confirmed' | 'checked_in' | 'no_show' | 'cancelled';
/** Statuses that hold a place in a slot and in the member's diary. */
export const ACTIVE_STATUSES: readonly AppointmentStatus[] = ['requested', 'confirmed', 'checked_in'];

export interface BookingRequest {
  /** The slot's start instant, as listed by slotsForDay. */
  startAt: Date;
  advisor?: { staffId: string; skills: readonly string[] };
}

export interface BookingContext {
  service: Service;
  hours: OpeningHours;
  now: Date;
  /** Active bookings already in the requested slot (without the appointment being rescheduled). */
  bookedCount: number;
  /** The member's appointments (any store or service); inactive ones and `excludeAppointmentId` are ignored. */
  memberAppointments: readonly { appointmentId: string; start: Date; end: Date; status: AppointmentStatus }[];
  excludeAppointmentId?: string;
  /** Instants of the member's past no-shows. */
  noShows: readonly Date[];
  noShowRule: NoShowRule;
}

export interface BookingDecision {
  slot: Slot;
  status: 'requested' | 'confirmed';
  /** The no-show rule applies: the booking waits for staff even if the service auto-confirms. */
  needsStaffConfirmation: boolean;
}

const fail = (code: ErrorCode, message: string, details?: Record<string, unknown>): never => {
  throw new DomainError(code, message, details);
};

/** Whether the member's no-show record means staff must confirm their bookings. */
export function requiresStaffConfirmation(noShows: readonly Date[], rule: NoShowRule, now: Date): boolean {
  if (rule.threshold === null) return false;
  const from = rule.windowDays === null ? -Infinity : now.getTime() - rule.windowDays * 86_400_000;
  return noShows.filter((d) => d.getTime() > from && d.getTime() <= now.getTime()).length >= rule.threshold;
}

/**
 * Decides a booking (or the new slot of a reschedule). Checks, first failure wins: in the past (or
 * inside the minimum lead time), beyond the booking window (local dates), store closed that day, not
 * a slot start, advisor lacking a required skill, overlapping another active appointment of the
 * member, slot full. Capacity under concurrency is the server's job (the count is read and the
 * booking written in one transaction); this only decides given the count.
 */
export function decideBooking(req: BookingRequest, ctx: BookingContext): BookingDecision {
  const { service, hours, now } = ctx;
  const tz = hours.timeZone;
  const at = req.startAt;
  if (at.getTime() < now.getTime() + service.minLeadMinutes * 60_000) {
    fail(ErrorCodes.SLOT_IN_PAST, '该时段已过，请选择其他时间', { startAt: at.toISOString() });
  }
  const lastDate = addDays(localDate(now, tz), service.bookingWindowDays);
  if (localDate(at, tz) > lastDate)
    fail(ErrorCodes.SLOT_OUTSIDE_WINDOW, `仅可预约 ${service.bookingWindowDays} 天内的时段`, { lastDate });
  const { slot, storeOpen } = findSlot(service, hours, at);
  if (!storeOpen) fail(ErrorCodes.STORE_CLOSED, '门店当天不营业', { date: localDate(at, tz) });
  if (!slot) return fail(ErrorCodes.SLOT_NOT_ALIGNED, '所选时间不是可预约的时段', { startAt: at.toISOString() });
  const missing = req.advisor ? service.requiredSkills.filter((s) => !req.advisor?.skills.includes(s)) : [];
  if (missing.length) fail(ErrorCodes.ADVISOR_LACKS_SKILL, '所选顾问不提供该服务', { missing });
  const clash = ctx.memberAppointments.find(
    (a) =>
      a.appointmentId !== ctx.excludeAppointmentId &&
      ACTIVE_STATUSES.includes(a.status) &&
      a.start.getTime() < slot.end.getTime() &&
      slot.start.getTime() < a.end.getTime(),
  );
  if (clash) fail(ErrorCodes.APPOINTMENT_OVERLAP, '您在该时间已有预约', { appointmentId: clash.appointmentId });
  if (ctx.bookedCount >= slot.capacity) fail(ErrorCodes.SLOT_FULL, '该时段已约满', { capacity: slot.capacity });
  const needsStaffConfirmation = requiresStaffConfirmation(ctx.noShows, ctx.noShowRule, now);
  return {
    slot,
    status: service.autoConfirm && !needsStaffConfirmation ? 'confirmed' : 'requested',
    needsStaffConfirmation,
  };
}
