import { mayEnter, onEvent, startRun, type JourneyEvent, type JourneyRun } from '../../core/journeys';
import { inTransaction } from '../db/transaction';
import { readEvents } from '../db/event-reader';
import type { SystemContext } from '../kit/context';
import { brandMessaging, type BrandMessaging } from '../messaging/brand';
import { applyMessagingEvent, MESSAGING_EVENT_TYPES } from '../messaging/event-intents';
import { runBody, runOf, type JourneyBook } from './store';
import { tagTaxonomy } from '../portrait/settings';
import { applyInteractionTags } from '../portrait/interaction-tags';
import type { AnyDb } from '../runtime/cloud';

/** A paid order within this window after a sent message counts as that message's conversion. */
export const CONVERSION_WINDOW_MS = 7 * 86_400_000;
const CURSOR_ID = 'journeys';

interface StoredEvent {
  _id: string;
  type: string;
  memberId?: string;
  at: Date | string;
  subjectId?: string;
  data?: Record<string, unknown>;
}

const SUBJECT_FIELDS = ['subjectId', 'orderId', 'surveyId', 'segmentId', 'appointmentId'];

export function journeyEventOf(e: StoredEvent): JourneyEvent | null {
  if (!e.memberId) return null;
  const data = e.data ?? {};
  const subject = e.subjectId ?? SUBJECT_FIELDS.map((f) => data[f]).find((v) => typeof v === 'string');
  return {
    id: e._id,
    type: e.type,
    memberId: e.memberId,
    at: new Date(e.at),
    ...(typeof subject === 'string' ? { subjectId: subject } : {}),
    data,
  };
}

async function feedActiveRuns(ctx: SystemContext, journeys: JourneyBook, ev: JourneyEvent, now: Date): Promise<void> {
  const db = ctx.db as AnyDb;
  const runs = (await db.collection('journey_runs').where({ memberId: ev.memberId, status: 'active' }).limit(100).get())
    .data as Record<string, unknown>[];
  for (const doc of runs) {
    const run = runOf(doc);
    const journey = await journeys.forRun(run);
    if (!journey || onEvent(journey, run, ev, now) === run) continue;
    await inTransaction(ctx.db, async (tx) => {
      const ref = tx.collection('journey_runs').doc(run.runId);
      const fresh = (await ref.get()).data;
      if (!fresh) return;
      const cur = runOf(fresh);
      const next = onEvent(journey, cur, ev, now);
      if (next !== cur) await ref.set({ data: runBody(next) });
    });
  }
}

async function enterJourneys(ctx: SystemContext, journeys: JourneyBook, ev: JourneyEvent, now: Date): Promise<number> {
  const db = ctx.db as AnyDb;
  let entered = 0;
  for (const journey of journeys.live.values()) {
    const run = startRun(journey, ev, now);
    if (!run) continue;
    const mine = (
      await db
        .collection('journey_runs')
        .where({ memberId: ev.memberId, journeyId: journey.id })
        .field({ journeyId: true, status: true, enteredAt: true })
        .limit(1000)
        .get()
    ).data as Pick<JourneyRun, 'journeyId' | 'status' | 'enteredAt'>[];
    if (!mayEnter(journey, mine, ev.at)) continue;
    const created = await inTransaction(ctx.db, async (tx) => {
      const ref = tx.collection('journey_runs').doc(run.runId);
      if ((await ref.get()).data) return false;
      await ref.set({ data: runBody(run) });
      return true;
    });
    if (created) entered++;
  }
  return entered;
}

/** Last touch: the member's latest sent message within the window before payment is credited with the order. */
async function creditConversion(ctx: SystemContext, ev: JourneyEvent): Promise<void> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const r = await db
    .collection('outbox')
    .where({
      memberId: ev.memberId,
      state: 'sent',
      sentAt: _.gte(new Date(ev.at.getTime() - CONVERSION_WINDOW_MS)).and(_.lte(ev.at)),
    })
    .orderBy('sentAt', 'desc')
    .limit(1)
    .get();
  const row = r.data[0] as { _id: string; convertedAt?: Date } | undefined;
  if (row && !row.convertedAt)
    await db
      .collection('outbox')
      .doc(row._id)
      .update({ data: { convertedAt: ev.at, convertedOrderId: ev.subjectId ?? null } });
}

/**
 * Reads new events in (at, _id) order from the saved cursor: enters matching journeys (the run id
 * comes from the event, so a replayed event enters once), feeds active runs (exits, evidence for
 * branches), credits conversions, applies the events messaging acts on (reminder consents and
 * reminders from appointments) and puts on the interaction tags an event triggers. The cursor is saved after each page.
 */
export async function consumeEvents(
  ctx: SystemContext,
  journeys: JourneyBook,
  deadlineMs: number,
): Promise<{ events: number; entered: number }> {
  let entered = 0;
  let brand: Promise<BrandMessaging> | null = null;
  const brandOnce = () => (brand ??= brandMessaging(ctx.db));
  const forMessaging = new Set<string>(MESSAGING_EVENT_TYPES);
  const stream = { collection: 'event_cursor', cursorId: CURSOR_ID, field: 'at', where: {} };
  const events = await readEvents<StoredEvent>(ctx, stream, deadlineMs, async (e, now) => {
    const ev = journeyEventOf(e);
    if (!ev) return;
    await feedActiveRuns(ctx, journeys, ev, now);
    entered += await enterJourneys(ctx, journeys, ev, now);
    if (ev.type === 'order.paid') await creditConversion(ctx, ev);
    if (forMessaging.has(ev.type)) await applyMessagingEvent(ctx, { ...ev, data: ev.data ?? {} }, brandOnce);
    await applyInteractionTags(ctx.db, await tagTaxonomy(ctx.db, now.getTime()), ev);
  });
  return { events, entered };
}
