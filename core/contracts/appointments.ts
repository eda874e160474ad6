import { z } from 'zod';
import { defineAction, isoInstant, localDateString } from './common';

/**
 * The `appointments` cloud function (S14). Members browse services, read free capacity, book,
 * cancel and reschedule their own appointments; staff of the store read the day's schedule,
 * confirm, reschedule, cancel, check in and mark no-shows (audited). Identity and staff role come
 * from the platform context, never from these inputs.
 */

const id = z.string().min(1).max(64);
const text = z.object({ zh: z.string(), en: z.string().optional() });
/** Optional client key: a retried booking with the same key returns the first result. */
const requestKey = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, _ or -');

export const appointmentStatus = z.enum(['requested', 'confirmed', 'checked_in', 'no_show', 'cancelled']);

export const serviceView = z.object({
  serviceId: z.string(),
  name: text,
  durationMinutes: z.number().int(),
  capacityPerSlot: z.number().int(),
  price: z.union([
    z.object({ kind: z.literal('free') }),
    z.object({ kind: z.literal('paid'), amountFen: z.number().int() }),
  ]),
  bookingWindowDays: z.number().int(),
  cancellationCutoffHours: z.number().int(),
  storeIds: z.array(z.string()),
});

export const storeView = z.object({ storeId: z.string(), name: text, city: z.string().nullable() });

/** appointments.catalogue: bookable services (optionally of one store), their stores, and the reminder template to ask consent for. */
export const catalogue = defineAction(
  z.object({ storeId: id.optional() }).strict(),
  z.object({ services: z.array(serviceView), stores: z.array(storeView), reminderTemplateId: z.string().nullable() }),
);

export const slotView = z.object({
  start: isoInstant,
  end: isoInstant,
  /** Local HH:mm in the store's time zone. */
  startLocal: z.string(),
  capacity: z.number().int(),
  remaining: z.number().int(),
});

/** appointments.availability: free capacity per slot for up to 31 local days (a month costs ≤ 2 database calls). */
export const availability = defineAction(
  z
    .object({ storeId: id, serviceId: id, from: localDateString, days: z.number().int().min(1).max(31).default(1) })
    .strict(),
  z.object({
    timeZone: z.string(),
    days: z.array(z.object({ date: localDateString, open: z.boolean(), slots: z.array(slotView) })),
  }),
);

export const historyView = z.object({
  at: isoInstant,
  action: z.string(),
  by: z.string(),
  from: appointmentStatus.nullable(),
  to: appointmentStatus,
  start: isoInstant,
  previousStart: isoInstant.nullable(),
});

export const appointmentView = z.object({
  appointmentId: z.string(),
  memberId: z.string(),
  storeId: z.string(),
  storeName: text,
  serviceId: z.string(),
  serviceName: text,
  advisorId: z.string().nullable(),
  date: localDateString,
  start: isoInstant,
  end: isoInstant,
  startLocal: z.string(),
  status: appointmentStatus,
  /** Until when the member may cancel or reschedule by themselves. */
  changeableUntil: isoInstant,
  reminderConsent: z.enum(['accept', 'reject', 'ban', 'filter']).nullable(),
  history: z.array(historyView),
});

/** appointments.book: the member books a slot (its start instant as listed by availability). */
export const book = defineAction(
  z
    .object({
      storeId: id,
      serviceId: id,
      start: isoInstant,
      advisorId: id.optional(),
      requestId: requestKey.optional(),
    })
    .strict(),
  z.object({ appointment: appointmentView, needsStaffConfirmation: z.boolean(), replayed: z.boolean() }),
);

/** appointments.mine: the caller's appointments; upcoming soonest first, past newest first. */
export const mine = defineAction(
  z.object({ scope: z.enum(['upcoming', 'past']).default('upcoming') }).strict(),
  z.object({ items: z.array(appointmentView) }),
);

const byId = z.object({ appointmentId: id, reason: z.string().trim().max(200).optional() }).strict();
const moveTo = z
  .object({ appointmentId: id, start: isoInstant, reason: z.string().trim().max(200).optional() })
  .strict();
const one = z.object({ appointment: appointmentView });

/** appointments.cancel (member, before the service's cutoff): frees the slot. */
export const cancel = defineAction(byId, one);
/** appointments.reschedule (member, before the cutoff): moves to a new slot, frees the old one, keeps history. */
export const reschedule = defineAction(moveTo, one);

/** appointments.recordConsent: what `wx.requestSubscribeMessage` answered for the reminder template. */
export const recordConsent = defineAction(
  z
    .object({
      appointmentId: id,
      templateId: z.string().min(1).max(128),
      result: z.enum(['accept', 'reject', 'ban', 'filter']),
    })
    .strict(),
  z.object({ appointmentId: z.string(), reminderConsent: z.enum(['accept', 'reject', 'ban', 'filter']) }),
);

/** appointments.schedule (staff of the store): the day's appointments, by start, with who is coming (name, masked phone, card). */
export const schedule = defineAction(
  z.object({ storeId: id, date: localDateString }).strict(),
  z.object({
    storeId: z.string(),
    date: localDateString,
    items: z.array(
      appointmentView.extend({
        member: z
          .object({ name: z.string().nullable(), phoneMasked: z.string().nullable(), cardNo: z.string().nullable() })
          .nullable(),
      }),
    ),
  }),
);

/** Staff actions on one appointment; each is audited. */
export const confirm = defineAction(byId, one);
/**
 * Check-in by appointment id, or by scanning the member's rotating member code at a store: the
 * member's open appointment there today (the one starting nearest to now) is checked in.
 */
export const checkIn = defineAction(
  z.union([byId, z.object({ memberCode: z.string().min(1).max(128), storeId: id }).strict()]),
  one,
);
export const markNoShow = defineAction(byId, one);
export const staffCancel = defineAction(byId, one);
export const staffReschedule = defineAction(moveTo, one);

export const appointmentsContracts = {
  catalogue,
  availability,
  book,
  mine,
  cancel,
  reschedule,
  recordConsent,
  schedule,
  confirm,
  checkIn,
  markNoShow,
  staffCancel,
  staffReschedule,
} as const;
