import type { z } from 'zod';
import type { Appointment, HistoryEntry, Actor } from '../../core/appointments';
import type { appointmentView } from '../../core/contracts/appointments';
import { localTimeText } from '../../core/time';

type Text = { zh: string; en?: string };

/** `services/{serviceId}`: a bookable service and the stores offering it (fields of core's serviceSchema). */
export interface ServiceDoc {
  _id: string;
  storeIds: string[];
  active?: boolean;
  [field: string]: unknown;
}

/** `appointments/{id}`: core's Appointment plus names copied at booking (lists read one collection). */
export interface AppointmentDoc extends Omit<Appointment, 'appointmentId'> {
  _id: string;
  storeName: Text;
  serviceName: Text;
  timeZone: string;
  cancellationCutoffHours: number;
  reminderConsent: 'accept' | 'reject' | 'ban' | 'filter' | null;
  /** Reminder kind → the start instant (ISO) it was emitted for: a moved appointment is reminded again. */
  reminded: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/** `slot_counts/{slotCountId}`: active bookings of one slot of one service at one store. */
export interface SlotCountDoc {
  _id: string;
  storeId: string;
  serviceId: string;
  date: string;
  start: Date;
  booked: number;
}

/** `member_slots/{memberId}:{localDate}`: the member's active appointments starting that local day. */
export interface MemberSlotsDoc {
  _id: string;
  memberId: string;
  date: string;
  items: { appointmentId: string; start: Date; end: Date }[];
}

export const slotCountId = (storeId: string, serviceId: string, start: Date): string =>
  `${storeId}:${serviceId}:${start.toISOString()}`;
export const memberSlotsId = (memberId: string, date: string): string => `${memberId}:${date}`;

const d = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/** Dates come back from the SDK as Date objects; older or hand-made documents may carry strings. */
export function toAppointment(doc: AppointmentDoc): Appointment {
  return {
    appointmentId: doc._id,
    memberId: doc.memberId,
    serviceId: doc.serviceId,
    storeId: doc.storeId,
    ...(doc.advisorId ? { advisorId: doc.advisorId } : {}),
    date: doc.date,
    start: d(doc.start),
    end: d(doc.end),
    status: doc.status,
    history: (doc.history ?? []).map((h) => ({
      ...h,
      at: d(h.at),
      start: d(h.start),
      end: d(h.end),
      ...(h.previousStart ? { previousStart: d(h.previousStart) } : {}),
      ...(h.previousEnd ? { previousEnd: d(h.previousEnd) } : {}),
    })),
  };
}

/** The stored fields core owns, after a change (history stays whole: it is the record of every step). */
export function appointmentFields(a: Appointment): Record<string, unknown> {
  return {
    memberId: a.memberId,
    serviceId: a.serviceId,
    storeId: a.storeId,
    advisorId: a.advisorId ?? null,
    date: a.date,
    start: a.start,
    end: a.end,
    status: a.status,
    history: a.history,
  };
}

const actorText = (by: Actor): string =>
  by.kind === 'member' ? 'member' : by.kind === 'staff' ? `staff:${by.staffId}` : 'system';

export function viewOf(doc: AppointmentDoc): z.input<typeof appointmentView> {
  const a = toAppointment(doc);
  return {
    appointmentId: a.appointmentId,
    memberId: a.memberId,
    storeId: a.storeId,
    storeName: doc.storeName,
    serviceId: a.serviceId,
    serviceName: doc.serviceName,
    advisorId: a.advisorId ?? null,
    date: a.date,
    start: a.start.toISOString(),
    end: a.end.toISOString(),
    startLocal: localTimeText(a.start, doc.timeZone),
    status: a.status,
    changeableUntil: new Date(a.start.getTime() - doc.cancellationCutoffHours * 3_600_000).toISOString(),
    reminderConsent: doc.reminderConsent ?? null,
    history: a.history.map((h: HistoryEntry) => ({
      at: h.at.toISOString(),
      action: h.action,
      by: actorText(h.by),
      from: h.from,
      to: h.to,
      start: h.start.toISOString(),
      previousStart: h.previousStart ? h.previousStart.toISOString() : null,
    })),
  };
}
