import type { AppointmentStatus } from '../../core/appointments';
import { addDays, localDate } from '../../core/time';
import { readManyTx, type Tx } from '../db/transaction';
import type { Database } from '../runtime/cloud';
import { memberSlotsId, slotCountId, type MemberSlotsDoc, type SlotCountDoc } from './documents';

/**
 * The two guards that keep bookings safe under concurrency, read and written with `doc()` inside
 * the booking transaction (so concurrent transactions on one slot or one member-day queue):
 * a counter per slot, and per member-day the list of the member's active appointments.
 */

export interface SlotRef {
  storeId: string;
  serviceId: string;
  /** Business date of the slot (the day whose hours produced it). */
  date: string;
  start: Date;
}

export async function bookedIn(tx: Tx, slot: SlotRef): Promise<number> {
  const doc = (
    await tx
      .collection('slot_counts')
      .doc(slotCountId(slot.storeId, slot.serviceId, slot.start))
      .get()
  ).data as SlotCountDoc | null;
  return doc?.booked ?? 0;
}

/** Sets the slot's count to `booked` (callers read it first in the same transaction). */
export async function setBooked(tx: Tx, slot: SlotRef, booked: number): Promise<void> {
  const data: Omit<SlotCountDoc, '_id'> = {
    storeId: slot.storeId,
    serviceId: slot.serviceId,
    date: slot.date,
    start: slot.start,
    booked: Math.max(0, booked),
  };
  await tx
    .collection('slot_counts')
    .doc(slotCountId(slot.storeId, slot.serviceId, slot.start))
    .set({ data: { ...data } });
}

export interface Diary {
  memberId: string;
  tz: string;
  days: Map<string, MemberSlotsDoc>;
}

const d = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));

/**
 * The member's active appointments around an instant: its local day and the days either side
 * (a service of up to 12 hours that starts the day before can still overlap), the days not in
 * `diary` yet read in one query.
 */
export async function readDiary(
  tx: Tx,
  command: Database['command'],
  memberId: string,
  around: Date,
  tz: string,
  diary?: Diary,
): Promise<Diary> {
  const out: Diary = diary ?? { memberId, tz, days: new Map() };
  const day = localDate(around, tz);
  const dates = [addDays(day, -1), day, addDays(day, 1)].filter((date) => !out.days.has(date));
  const found = await readManyTx(
    tx,
    command,
    'member_slots',
    dates.map((date) => memberSlotsId(memberId, date)),
  );
  for (const date of dates) {
    const doc = found.get(memberSlotsId(memberId, date)) as MemberSlotsDoc | null | undefined;
    out.days.set(date, {
      _id: memberSlotsId(memberId, date),
      memberId,
      date,
      items: (doc?.items ?? []).map((i) => ({ ...i, start: d(i.start), end: d(i.end) })),
    });
  }
  return out;
}

/** The diary as decideBooking reads it: every item is an active appointment. */
export const diaryAppointments = (
  diary: Diary,
): { appointmentId: string; start: Date; end: Date; status: AppointmentStatus }[] =>
  [...diary.days.values()].flatMap((doc) => doc.items.map((i) => ({ ...i, status: 'confirmed' as const })));

async function writeDay(tx: Tx, doc: MemberSlotsDoc): Promise<void> {
  await tx
    .collection('member_slots')
    .doc(doc._id)
    .set({ data: { memberId: doc.memberId, date: doc.date, items: doc.items } });
}

export async function addToDiary(
  tx: Tx,
  diary: Diary,
  item: { appointmentId: string; start: Date; end: Date },
): Promise<void> {
  const date = localDate(item.start, diary.tz);
  const doc = diary.days.get(date) ?? {
    _id: memberSlotsId(diary.memberId, date),
    memberId: diary.memberId,
    date,
    items: [],
  };
  doc.items = [...doc.items.filter((i) => i.appointmentId !== item.appointmentId), item];
  diary.days.set(date, doc);
  await writeDay(tx, doc);
}

export async function removeFromDiary(tx: Tx, diary: Diary, appointmentId: string, start: Date): Promise<void> {
  const doc = diary.days.get(localDate(start, diary.tz));
  if (!doc || !doc.items.some((i) => i.appointmentId === appointmentId)) return;
  doc.items = doc.items.filter((i) => i.appointmentId !== appointmentId);
  await writeDay(tx, doc);
}
