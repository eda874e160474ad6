import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import {
  ACTIVE_STATUSES,
  createAppointment,
  decideBooking,
  parseNoShowRule,
  rescheduleAppointment,
  type Actor,
  type Appointment,
  type AppointmentChange,
  type BookingContext,
  type BookingRequest,
} from '../../core/appointments';
import type { book as bookContract } from '../../core/contracts/appointments';
import { DomainError, ErrorCodes } from '../../core/errors';
import { localDate } from '../../core/time';
import { audit } from '../audit';
import { emit } from '../db/events';
import { once } from '../db/idempotency';
import { inTransaction, sideBySide, type Tx, defaultRerunPolicy, type RerunPolicy } from '../db/transaction';
import { body, readDoc } from '../db/documents';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { cachedSetup, loadSetup, type BookingSetup } from './catalogue';
import { appointmentFields, toAppointment, viewOf, type AppointmentDoc } from './documents';
import { addToDiary, bookedIn, diaryAppointments, readDiary, removeFromDiary, setBooked, type SlotRef } from './places';
import type { StaffDoc } from '../staff/require';
import { requireCaller, resolveMember, resolveMemberTx } from '../members/resolve';
import { updateMemberTx } from '../members/store';
import type { MemberDoc } from '../members/documents';

/**
 * A popular slot's count is one document that every booking of it writes, so bookings of the same slot conflict
 * and rerun; a customer should wait a moment rather than read "busy". More reruns, within the same time budget.
 */
const BOOKING_RERUNS: RerunPolicy = { ...defaultRerunPolicy, attempts: 24 };

type BookOutput = z.input<typeof bookContract.output>;
const NO_SHOW_RULE = parseNoShowRule();

/** How many no-show starts a member document keeps: the rule counts a few, within a window or ever. */
const NO_SHOWS_KEPT = 100;

const noShowsOf = (m: Pick<MemberDoc, 'noShowsAt'> | null): Date[] => (m?.noShowsAt ?? []).map((x) => new Date(x));

/** A no-show is kept on the member (the survivor, after a merge), so a booking reads it with the member. */
async function recordNoShow(tx: Tx, memberId: string, start: Date): Promise<void> {
  const m = await resolveMemberTx(tx, memberId);
  if (m) await updateMemberTx(tx, m._id, { noShowsAt: [...noShowsOf(m), start].slice(-NO_SHOWS_KEPT) });
}

/** What a booking is decided against before the member's figures and the slot's own are read. */
const bookingBase = (setup: BookingSetup, now: Date): BookingContext => ({
  service: setup.service,
  hours: setup.hours,
  now,
  bookedCount: 0,
  memberAppointments: [],
  noShows: [],
  noShowRule: NO_SHOW_RULE,
});

async function advisorOf(
  db: Database,
  storeId: string,
  advisorId: string | undefined,
): Promise<BookingRequest['advisor']> {
  if (!advisorId) return undefined;
  const s = await readDoc<StaffDoc>(db, 'staff', advisorId);
  if (!s || !(s.storeIds ?? []).includes(storeId))
    throw new DomainError(ErrorCodes.ADVISOR_NOT_FOUND, '所选顾问不在该门店', { advisorId });
  return { staffId: s._id, skills: s.skills ?? [] };
}

/** Events of a change, in the transaction that makes it. */
export async function emitChange(
  tx: Tx,
  change: AppointmentChange,
  extra: Record<string, unknown> = {},
): Promise<void> {
  const a = change.appointment;
  for (const e of change.events) {
    await emit(tx, {
      type: e.type,
      memberId: a.memberId,
      at: e.at,
      data: {
        appointmentId: a.appointmentId,
        storeId: a.storeId,
        serviceId: a.serviceId,
        date: a.date,
        start: a.start,
        end: a.end,
        status: a.status,
        by: e.by,
        ...extra,
      },
    });
  }
}

const slotOf = (a: Pick<Appointment, 'storeId' | 'serviceId' | 'date' | 'start'>): SlotRef => ({
  storeId: a.storeId,
  serviceId: a.serviceId,
  date: a.date,
  start: a.start,
});

/**
 * appointments.book: capacity and the member's diary are read and written in one transaction.
 * What does not depend on each other is read side by side: the member (its no-shows with it), the
 * service set-up (remembered per instance for seconds) and the advisor before the transaction; the
 * diary and the slot's count at its snapshot; then its four writes.
 */
export async function book(input: z.output<typeof bookContract.input>, ctx: ActionContext): Promise<BookOutput> {
  const now = ctx.now();
  const startAt = new Date(input.start);
  const [member, setup, advisor] = await sideBySide([
    requireCaller<Pick<MemberDoc, 'noShowsAt'>>(ctx.db, ctx.openid, now.getTime(), { noShowsAt: true }),
    cachedSetup(ctx.db, input.storeId, input.serviceId, now.getTime()),
    advisorOf(ctx.db, input.storeId, input.advisorId),
  ] as const);
  const req: BookingRequest = { startAt, advisor };
  const base: BookingContext = { ...bookingBase(setup, now), noShows: noShowsOf(member) };
  // bad input fails here, before any transaction; a full slot is refused by the transaction's own count
  decideBooking(req, base);
  const appointmentId = `ap_${randomBytes(10).toString('hex')}`;

  const work = async (tx: Tx): Promise<BookOutput> => {
    const tz = setup.hours.timeZone;
    const ref: SlotRef = {
      storeId: input.storeId,
      serviceId: input.serviceId,
      date: localDate(startAt, tz),
      start: startAt,
    };
    const [diary, booked] = await sideBySide([
      readDiary(tx, ctx.db.command, member._id, startAt, tz),
      bookedIn(tx, ref),
    ] as const);
    const decision = decideBooking(req, { ...base, bookedCount: booked, memberAppointments: diaryAppointments(diary) });
    const by: Actor = { kind: 'member', memberId: member._id };
    const change = createAppointment(
      {
        appointmentId,
        memberId: member._id,
        storeId: input.storeId,
        ...(input.advisorId ? { advisorId: input.advisorId } : {}),
      },
      input.serviceId,
      decision,
      by,
      now,
    );
    const a = change.appointment;
    const doc = newDoc(a, setup, now);
    await sideBySide([
      tx
        .collection('appointments')
        .doc(a.appointmentId)
        .set({ data: body(doc) }),
      setBooked(tx, { ...ref, date: a.date }, booked + 1),
      addToDiary(tx, diary, { appointmentId: a.appointmentId, start: a.start, end: a.end }),
      emitChange(tx, change, { needsStaffConfirmation: decision.needsStaffConfirmation }),
    ]);
    return { appointment: viewOf(doc), needsStaffConfirmation: decision.needsStaffConfirmation, replayed: false };
  };

  return inTransaction(
    ctx.db,
    async (tx) => {
      if (!input.requestId) return work(tx);
      const { result, replayed } = await once(tx, `appointments.book:${member._id}:${input.requestId}`, now, () =>
        work(tx),
      );
      return { ...result, replayed };
    },
    BOOKING_RERUNS,
  );
}

function newDoc(a: Appointment, setup: BookingSetup, now: Date): AppointmentDoc {
  return {
    _id: a.appointmentId,
    ...(appointmentFields(a) as Omit<Appointment, 'appointmentId'>),
    storeName: setup.store.name,
    serviceName: setup.service.name,
    timeZone: setup.hours.timeZone,
    cancellationCutoffHours: setup.service.cancellationCutoffHours,
    reminderConsent: null,
    reminded: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** Who acts on an existing appointment: the member owning it, or staff of its store. */
export type Acting = { actor: Actor; staff?: StaffDoc; reason?: string };

async function readAppointment(tx: Tx, appointmentId: string): Promise<AppointmentDoc> {
  const doc = (await tx.collection('appointments').doc(appointmentId).get()).data as AppointmentDoc | null;
  if (!doc) throw new DomainError(ErrorCodes.APPOINTMENT_NOT_FOUND, '预约不存在', { appointmentId });
  return { ...doc, _id: appointmentId };
}

export async function loadAppointment(db: Database, appointmentId: string): Promise<AppointmentDoc> {
  const doc = await readDoc<AppointmentDoc>(db, 'appointments', appointmentId);
  if (!doc) throw new DomainError(ErrorCodes.APPOINTMENT_NOT_FOUND, '预约不存在', { appointmentId });
  return { ...doc, _id: appointmentId };
}

const snapshot = (a: Appointment): Record<string, unknown> => ({
  status: a.status,
  start: a.start,
  end: a.end,
  date: a.date,
});

async function save(
  tx: Tx,
  before: AppointmentDoc,
  change: AppointmentChange,
  acting: Acting,
  now: Date,
  action: string,
): Promise<AppointmentDoc> {
  const after: AppointmentDoc = {
    ...before,
    ...(appointmentFields(change.appointment) as Omit<Appointment, 'appointmentId'>),
    updatedAt: now,
  };
  await tx
    .collection('appointments')
    .doc(before._id)
    .set({ data: body(after) });
  await emitChange(tx, change, acting.reason ? { reason: acting.reason } : {});
  if (acting.staff) {
    await audit(tx, {
      who: acting.staff._id,
      role: acting.staff.role,
      at: now,
      action: `appointment.${action}`,
      target: `appointments/${before._id}`,
      before: snapshot(toAppointment(before)),
      after: snapshot(change.appointment),
      ...(acting.reason ? { reason: acting.reason } : {}),
    });
  }
  return after;
}

/**
 * A status change (confirm, cancel, check-in, no-show) decided by `decide`; leaving the active
 * statuses gives the place in the slot and in the member's diary back.
 */
export async function changeStatus(
  db: Database,
  appointmentId: string,
  acting: Acting,
  now: Date,
  action: string,
  decide: (a: Appointment) => AppointmentChange,
): Promise<AppointmentDoc> {
  return inTransaction(db, async (tx) => {
    const before = await readAppointment(tx, appointmentId);
    const a = toAppointment(before);
    const change = decide(a);
    const next = change.appointment;
    if (ACTIVE_STATUSES.includes(a.status) && !ACTIVE_STATUSES.includes(next.status)) {
      const ref = slotOf(a);
      await setBooked(tx, ref, (await bookedIn(tx, ref)) - 1);
      const diary = await readDiary(tx, db.command, a.memberId, a.start, before.timeZone);
      await removeFromDiary(tx, diary, a.appointmentId, a.start);
    }
    if (next.status === 'no_show' && a.status !== 'no_show') await recordNoShow(tx, a.memberId, a.start);
    return save(tx, before, change, acting, now, action);
  });
}

/** Moves an appointment to another slot of its service and store: the old place is freed, the new one taken, history kept. */
export async function moveAppointment(
  ctx: ActionContext,
  appointmentId: string,
  start: Date,
  acting: Acting,
): Promise<AppointmentDoc> {
  const now = ctx.now();
  const current = await loadAppointment(ctx.db, appointmentId);
  const [setup, member] = await sideBySide([
    loadSetup(ctx.db, current.storeId, current.serviceId),
    resolveMember(ctx.db, current.memberId),
  ] as const);
  const base = { ...bookingBase(setup, now), noShows: noShowsOf(member), excludeAppointmentId: appointmentId };
  const req: BookingRequest = { startAt: start };
  decideBooking(req, base);
  return inTransaction(ctx.db, async (tx) => {
    const before = await readAppointment(tx, appointmentId);
    const a = toAppointment(before);
    const tz = setup.hours.timeZone;
    const diary = await readDiary(tx, ctx.db.command, a.memberId, start, tz);
    await readDiary(tx, ctx.db.command, a.memberId, a.start, tz, diary);
    const newRef: SlotRef = { storeId: a.storeId, serviceId: a.serviceId, date: localDate(start, tz), start };
    const oldRef = slotOf(a);
    const same = oldRef.start.getTime() === start.getTime();
    const bookedNew = await bookedIn(tx, newRef);
    const decision = decideBooking(req, {
      ...base,
      bookedCount: same ? bookedNew - 1 : bookedNew,
      memberAppointments: diaryAppointments(diary),
    });
    const change = rescheduleAppointment(a, decision, acting.actor, setup.service, now, acting.reason);
    if (!same) {
      await setBooked(tx, oldRef, (await bookedIn(tx, oldRef)) - 1);
      await setBooked(tx, { ...newRef, date: decision.slot.date }, bookedNew + 1);
    }
    await removeFromDiary(tx, diary, a.appointmentId, a.start);
    await addToDiary(tx, diary, { appointmentId: a.appointmentId, start: decision.slot.start, end: decision.slot.end });
    return save(tx, before, change, acting, now, 'reschedule');
  });
}
