import { remindersFor, type Reminder } from '../../core/appointments';
import { body } from '../db/documents';
import { emit } from '../db/events';
import { inTransaction } from '../db/transaction';
import type { SystemContext } from '../kit/context';
import { reminderTemplateId } from './catalogue';
import type { AppointmentDoc } from './documents';

const DAY_MS = 86_400_000;
/** Work per run, well inside the function's 10 s timeout: what is left goes out 5 minutes later. */
const SLICE_MS = 4_000;

/**
 * The reminders of an appointment due at `now` and not yet emitted for its current start. When
 * several are due at once (the timer was down), only the latest kind goes out: a 24 h reminder
 * two hours before the visit would only confuse.
 */
export function dueReminders(
  a: { appointmentId: string; start: Date; bookedAt: Date },
  reminded: Record<string, string>,
  now: Date,
): { send: Reminder | null; skip: Reminder[] } {
  const startIso = a.start.toISOString();
  // a reminder whose time had passed when the visit was booked (a booking for tomorrow morning has no 24 h reminder) is not sent
  const due = remindersFor(a, a.bookedAt)
    .filter(
      (r) => r.at.getTime() <= now.getTime() && a.start.getTime() > now.getTime() && reminded[r.kind] !== startIso,
    )
    .sort((x, y) => y.at.getTime() - x.at.getTime());
  return { send: due[0] ?? null, skip: due.slice(1) };
}

/**
 * Timer `reminders` (every 5 minutes): emits `appointment.reminder_due` once per kind and start, for
 * the messaging dispatcher, for as many appointments as a slice of SLICE_MS allows.
 */
export async function sendDueReminders(
  ctx: SystemContext,
  sliceMs = SLICE_MS,
): Promise<{ emitted: number; left: boolean }> {
  const deadline = Date.now() + sliceMs;
  const now = ctx.now();
  const _ = ctx.db.command;
  const r = (await ctx.db
    .collection('appointments')
    .where({ status: _.in(['requested', 'confirmed']), start: _.gt(now).and(_.lte(new Date(now.getTime() + DAY_MS))) })
    .orderBy('start', 'asc')
    .limit(1000)
    .get()) as unknown as { data: AppointmentDoc[] };
  const templateId = reminderTemplateId();
  let emitted = 0;
  let left = false;
  for (const listed of r.data) {
    if (Date.now() >= deadline) {
      left = true;
      break;
    }
    if (
      !dueReminders(
        { appointmentId: listed._id, start: new Date(listed.start), bookedAt: new Date(listed.createdAt ?? 0) },
        listed.reminded ?? {},
        now,
      ).send
    )
      continue;
    const sent = await inTransaction(ctx.db, async (tx) => {
      const doc = (await tx.collection('appointments').doc(listed._id).get()).data as AppointmentDoc | null;
      if (!doc || !['requested', 'confirmed'].includes(doc.status)) return false;
      const start = new Date(doc.start);
      const { send, skip } = dueReminders(
        { appointmentId: listed._id, start, bookedAt: new Date(doc.createdAt ?? 0) },
        doc.reminded ?? {},
        now,
      );
      if (!send) return false;
      const reminded = {
        ...(doc.reminded ?? {}),
        ...Object.fromEntries([send, ...skip].map((x) => [x.kind, start.toISOString()])),
      };
      // a whole-document set: the emulator's update turns the document's dates into strings
      await tx
        .collection('appointments')
        .doc(listed._id)
        .set({ data: body({ ...doc, _id: listed._id, reminded }) });
      await emit(tx, {
        type: 'appointment.reminder_due',
        memberId: doc.memberId,
        at: now,
        data: {
          kind: send.kind,
          appointmentId: listed._id,
          key: send.key,
          start,
          storeId: doc.storeId,
          serviceId: doc.serviceId,
          storeName: doc.storeName,
          serviceName: doc.serviceName,
          templateId,
          reminderConsent: doc.reminderConsent ?? null,
          ...(skip.length ? { skipped: skip.map((x) => x.kind) } : {}),
        },
      });
      return true;
    });
    if (sent) emitted++;
  }
  if (emitted) ctx.log.info('appointment reminders', { emitted, left });
  return { emitted, left };
}
