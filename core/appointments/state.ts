import { DomainError, ErrorCodes } from '../errors';
import { type Service } from './schema';
import type { AppointmentStatus, BookingDecision } from './booking';

export type Actor = { kind: 'member'; memberId: string } | { kind: 'staff'; staffId: string } | { kind: 'system' };
export type AppointmentAction = 'book' | 'confirm' | 'cancel' | 'check_in' | 'no_show' | 'reschedule';

export interface HistoryEntry {
  at: Date;
  action: AppointmentAction;
  by: Actor;
  from: AppointmentStatus | null;
  to: AppointmentStatus;
  start: Date;
  end: Date;
  /** Reschedule: the slot left. */
  previousStart?: Date;
  previousEnd?: Date;
  reason?: string;
}

export interface Appointment {
  appointmentId: string;
  memberId: string;
  serviceId: string;
  storeId: string;
  advisorId?: string;
  /** Business date of the slot (local). */
  date: string;
  start: Date;
  end: Date;
  status: AppointmentStatus;
  history: HistoryEntry[];
}

/** The event each change emits (`appointment.requested`, `.confirmed`, `.cancelled`, …); staff ones are also audited. */
export interface AppointmentEvent {
  type: `appointment.${'requested' | 'confirmed' | 'cancelled' | 'checked_in' | 'no_show' | 'rescheduled'}`;
  appointmentId: string;
  memberId: string;
  at: Date;
  by: Actor;
}

export interface AppointmentChange {
  appointment: Appointment;
  events: AppointmentEvent[];
}

export interface AppointmentTimingRules {
  /** Staff may check a member in from this many minutes before the start. */
  checkInEarlyMinutes: number;
}
export const DEFAULT_TIMING: AppointmentTimingRules = { checkInEarlyMinutes: 60 };

const EVENT_OF: Record<AppointmentAction, AppointmentEvent['type']> = {
  book: 'appointment.requested',
  confirm: 'appointment.confirmed',
  cancel: 'appointment.cancelled',
  check_in: 'appointment.checked_in',
  no_show: 'appointment.no_show',
  reschedule: 'appointment.rescheduled',
};

function step(
  a: Appointment,
  action: AppointmentAction,
  to: AppointmentStatus,
  by: Actor,
  now: Date,
  extra: Partial<HistoryEntry> = {},
): AppointmentChange {
  const next: Appointment = {
    ...a,
    ...(extra.start ? { start: extra.start } : {}),
    ...(extra.end ? { end: extra.end } : {}),
    status: to,
  };
  const entry: HistoryEntry = { at: now, action, by, from: a.status, to, start: next.start, end: next.end, ...extra };
  next.history = [...a.history, entry];
  return {
    appointment: next,
    events: [{ type: EVENT_OF[action], appointmentId: a.appointmentId, memberId: a.memberId, at: now, by }],
  };
}

function expectStatus(a: Appointment, allowed: readonly AppointmentStatus[], action: AppointmentAction): void {
  if (!allowed.includes(a.status)) {
    throw new DomainError(ErrorCodes.APPOINTMENT_INVALID_TRANSITION, '预约当前状态不允许该操作', {
      status: a.status,
      action,
    });
  }
}

function expectStaff(by: Actor, action: AppointmentAction, allowSystem = false): void {
  if (by.kind === 'staff' || (allowSystem && by.kind === 'system')) return;
  throw new DomainError(ErrorCodes.FORBIDDEN, '仅门店员工可执行该操作', { action });
}

function expectOwnerOrStaff(a: Appointment, by: Actor, action: AppointmentAction): void {
  if (by.kind === 'member' && by.memberId !== a.memberId)
    throw new DomainError(ErrorCodes.FORBIDDEN, '只能操作自己的预约', { action });
  if (by.kind === 'system') throw new DomainError(ErrorCodes.FORBIDDEN, '系统不能执行该操作', { action });
}

const beforeCutoff = (a: Appointment, service: Service, now: Date): boolean =>
  now.getTime() <= a.start.getTime() - service.cancellationCutoffHours * 3_600_000;

/** A new appointment from a booking decision; an auto-confirmed booking records both steps. */
export function createAppointment(
  ids: { appointmentId: string; memberId: string; storeId: string; advisorId?: string },
  serviceId: string,
  decision: BookingDecision,
  by: Actor,
  now: Date,
): AppointmentChange {
  const base: Appointment = {
    ...ids,
    serviceId,
    date: decision.slot.date,
    start: decision.slot.start,
    end: decision.slot.end,
    status: 'requested',
    history: [],
  };
  const booked: AppointmentChange = {
    appointment: {
      ...base,
      history: [{ at: now, action: 'book', by, from: null, to: 'requested', start: base.start, end: base.end }],
    },
    events: [{ type: 'appointment.requested', appointmentId: ids.appointmentId, memberId: ids.memberId, at: now, by }],
  };
  if (decision.status !== 'confirmed') return booked;
  const confirmed = step(booked.appointment, 'confirm', 'confirmed', { kind: 'system' }, now);
  return { appointment: confirmed.appointment, events: [...booked.events, ...confirmed.events] };
}

export function confirmAppointment(a: Appointment, by: Actor, now: Date): AppointmentChange {
  expectStaff(by, 'confirm', true);
  expectStatus(a, ['requested'], 'confirm');
  return step(a, 'confirm', 'confirmed', by, now);
}

/** Members cancel their own appointment up to the cutoff; staff at any time before it is closed. */
export function cancelAppointment(
  a: Appointment,
  by: Actor,
  service: Service,
  now: Date,
  reason?: string,
): AppointmentChange {
  expectOwnerOrStaff(a, by, 'cancel');
  expectStatus(a, ['requested', 'confirmed'], 'cancel');
  if (by.kind === 'member' && !beforeCutoff(a, service, now)) {
    throw new DomainError(
      ErrorCodes.CANCEL_TOO_LATE,
      `开始前 ${service.cancellationCutoffHours} 小时内不能自行取消，请联系门店`,
      { cutoffHours: service.cancellationCutoffHours },
    );
  }
  return step(a, 'cancel', 'cancelled', by, now, reason ? { reason } : {});
}

export function checkInAppointment(
  a: Appointment,
  by: Actor,
  now: Date,
  timing: AppointmentTimingRules = DEFAULT_TIMING,
): AppointmentChange {
  expectStaff(by, 'check_in');
  expectStatus(a, ['requested', 'confirmed'], 'check_in');
  if (now.getTime() < a.start.getTime() - timing.checkInEarlyMinutes * 60_000) {
    throw new DomainError(ErrorCodes.CHECK_IN_TOO_EARLY, '还未到签到时间', { start: a.start.toISOString() });
  }
  return step(a, 'check_in', 'checked_in', by, now);
}

/** Staff, or the system after the slot has started without a check-in. */
export function markNoShow(a: Appointment, by: Actor, now: Date): AppointmentChange {
  expectStaff(by, 'no_show', true);
  expectStatus(a, ['requested', 'confirmed'], 'no_show');
  if (now.getTime() < a.start.getTime())
    throw new DomainError(ErrorCodes.NO_SHOW_TOO_EARLY, '预约尚未开始', { start: a.start.toISOString() });
  return step(a, 'no_show', 'no_show', by, now);
}

/**
 * Moves an appointment to a new slot (decided by decideBooking with `excludeAppointmentId`). The old
 * slot is freed by the caller; history keeps where it was. Members are bound by the cancellation
 * cutoff of the old slot and go back to the decision's status; staff keep it confirmed.
 */
export function rescheduleAppointment(
  a: Appointment,
  decision: BookingDecision,
  by: Actor,
  service: Service,
  now: Date,
  reason?: string,
): AppointmentChange {
  expectOwnerOrStaff(a, by, 'reschedule');
  expectStatus(a, ['requested', 'confirmed'], 'reschedule');
  if (by.kind === 'member' && !beforeCutoff(a, service, now)) {
    throw new DomainError(
      ErrorCodes.RESCHEDULE_TOO_LATE,
      `开始前 ${service.cancellationCutoffHours} 小时内不能自行改约，请联系门店`,
      { cutoffHours: service.cancellationCutoffHours },
    );
  }
  const to: AppointmentStatus = by.kind === 'staff' ? 'confirmed' : decision.status;
  const change = step(a, 'reschedule', to, by, now, {
    start: decision.slot.start,
    end: decision.slot.end,
    previousStart: a.start,
    previousEnd: a.end,
    ...(reason ? { reason } : {}),
  });
  change.appointment.date = decision.slot.date;
  return change;
}

export interface Reminder {
  appointmentId: string;
  /** e.g. "24h", "2h". */
  kind: string;
  at: Date;
  /** The start the reminder was planned for: the dispatcher drops it if the appointment moved. */
  start: Date;
  /** Idempotency key for the outbox. */
  key: string;
}

/** Reminder instants before the start (default 24 h and 2 h), leaving out those already past at `now`. */
export function remindersFor(
  a: Pick<Appointment, 'appointmentId' | 'start'>,
  now: Date,
  offsetsMinutes: readonly number[] = [24 * 60, 120],
): Reminder[] {
  return offsetsMinutes
    .map((m) => {
      const kind = m % 60 === 0 ? `${m / 60}h` : `${m}m`;
      return {
        appointmentId: a.appointmentId,
        kind,
        at: new Date(a.start.getTime() - m * 60_000),
        start: a.start,
        key: `${a.appointmentId}:${a.start.toISOString()}:${kind}`,
      };
    })
    .filter((r) => r.at.getTime() > now.getTime());
}
