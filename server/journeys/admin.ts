import type { z } from 'zod';
import {
  JOURNEY_PAGE_SIZE,
  type journeyAdminView,
  type listJourneys,
  type setJourneyEnabled,
} from '../../core/contracts/messaging';
import { DomainError, ErrorCodes } from '../../core/errors';
import { journeySchema, type Journey, type JourneyStatus, type Step } from '../../core/journeys';
import { liveBodyOf } from './store';
import { audit } from '../audit';
import { inTransaction } from '../db/transaction';
import type { Handler } from '../kit/router';
import type { Database, AnyDb } from '../runtime/cloud';
import { requireStaff, staffActor } from '../staff/require';

type View = z.input<typeof journeyAdminView>;
type Counts = Map<string, number>;

const PERMISSION = 'journeys.manage' as const;
const keyOf = (journeyId: string, part: string) => `${journeyId}\u0000${part}`;

export function detailOf(s: Step): string {
  switch (s.type) {
    case 'wait':
      return s.duration;
    case 'waitUntil':
      return s.time;
    case 'branch':
      return s.condition.type;
    case 'send':
      return `${s.channel}:${s.template}`;
    case 'tag':
      return `${s.op === 'add' ? '+' : '−'}${s.tag}`;
    case 'grantCoupon':
      return s.templateId;
    case 'webhook':
      return new URL(s.url).host;
    case 'waitForEvent':
      return `${s.event}/${s.timeout}`;
    case 'points':
      return `+${s.amount}`;
    case 'exit':
      return s.reason;
  }
}

interface Figures {
  /** by journey + status, and by journey + 'active:' + step (waiting there) */
  runs: Counts;
  /** runs that reached each step: its history names it, or it is waiting there */
  reached: Counts;
  sent: Counts;
  converted: Counts;
}

/**
 * Three aggregations for a whole page of journeys, each starting from an indexed match
 * (journey_runs.journeyId, outbox.journeyId_state), so the cost does not grow with the number of steps.
 */
async function figuresOf(db: Database, ids: string[]): Promise<Figures> {
  const d = db as AnyDb;
  const _ = d.command;
  const $ = _.aggregate;
  const runs = d.collection('journey_runs');
  const [byState, byStep, messages] = (await Promise.all([
    runs
      .aggregate()
      .match({ journeyId: _.in(ids) })
      .group({ _id: { j: '$journeyId', s: '$status', c: '$cursor' }, n: $.sum(1) })
      .end(),
    runs
      .aggregate()
      .match({ journeyId: _.in(ids) })
      .project({
        journeyId: 1,
        steps: $.setUnion([
          '$history.stepId',
          $.cond({ if: $.eq(['$status', 'active']), then: ['$cursor'], else: [] }),
        ]),
      })
      .unwind('$steps')
      .group({ _id: { j: '$journeyId', s: '$steps' }, n: $.sum(1) })
      .end(),
    d
      .collection('outbox')
      .aggregate()
      .match({ journeyId: _.in(ids), state: 'sent', kind: 'message' })
      .group({
        _id: { j: '$journeyId', s: '$stepId' },
        sent: $.sum(1),
        converted: $.sum($.cond({ if: $.ifNull(['$convertedAt', false]), then: 1, else: 0 })),
      })
      .end(),
  ])) as [
    { list: { _id: { j: string; s: string; c: string | null }; n: number }[] },
    { list: { _id: { j: string; s: string }; n: number }[] },
    { list: { _id: { j: string; s: string }; sent: number; converted: number }[] },
  ];
  const f: Figures = { runs: new Map(), reached: new Map(), sent: new Map(), converted: new Map() };
  const add = (m: Counts, k: string, n: number) => m.set(k, (m.get(k) ?? 0) + n);
  for (const { _id, n } of byState.list) {
    add(f.runs, keyOf(_id.j, _id.s), n);
    if (_id.s === 'active' && _id.c) add(f.runs, keyOf(_id.j, `active:${_id.c}`), n);
  }
  for (const { _id, n } of byStep.list) add(f.reached, keyOf(_id.j, _id.s), n);
  for (const { _id, sent, converted } of messages.list) {
    add(f.sent, keyOf(_id.j, _id.s), sent);
    add(f.converted, keyOf(_id.j, _id.s), converted);
  }
  return f;
}

function viewOf(j: Journey, f: Figures): View {
  const n = (m: Counts, part: string) => m.get(keyOf(j.id, part)) ?? 0;
  const steps = j.steps.map((s) => ({
    id: s.id,
    type: s.type,
    detail: detailOf(s),
    reached: n(f.reached, s.id),
    waiting: n(f.runs, `active:${s.id}`),
    sent: n(f.sent, s.id),
    converted: n(f.converted, s.id),
  }));
  const [active, completed, exited] = [n(f.runs, 'active'), n(f.runs, 'completed'), n(f.runs, 'exited')];
  return {
    id: j.id,
    name: j.name,
    description: j.description ?? null,
    enabled: j.enabled,
    trigger: j.trigger.event,
    totals: {
      entered: active + completed + exited,
      active,
      completed,
      exited,
      sent: steps.reduce((a, s) => a + s.sent, 0),
      converted: steps.reduce((a, s) => a + s.converted, 0),
    },
    steps,
  };
}

/** messaging journeys.list: the journeys by id, 20 a page, with per-step figures; a document that does not parse is logged and left out. */
export const listJourneysAdmin: Handler<typeof listJourneys> = async (input, ctx) => {
  await requireStaff(ctx, PERMISSION);
  const r = (await ctx.db
    .collection('journeys')
    .orderBy('_id', 'asc')
    .skip(input.page * JOURNEY_PAGE_SIZE)
    .limit(JOURNEY_PAGE_SIZE + 1)
    .get()) as unknown as { data: Record<string, unknown>[] };
  const journeys: { journey: Journey; status: JourneyStatus }[] = [];
  for (const doc of r.data.slice(0, JOURNEY_PAGE_SIZE)) {
    const withId = { ...doc, _id: String(doc['_id']) };
    const body = liveBodyOf(withId) ?? doc['draft'];
    const parsed = journeySchema.safeParse(body);
    const status = (doc['status'] as JourneyStatus | undefined) ?? 'live';
    if (parsed.success) journeys.push({ journey: parsed.data, status });
    else ctx.log.warn('journey skipped: invalid', { journeyId: withId._id });
  }
  const ids = journeys.map((j) => j.journey.id);
  const none: Figures = { runs: new Map(), reached: new Map(), sent: new Map(), converted: new Map() };
  const figures = journeys.length ? await figuresOf(ctx.db, ids) : none;
  const items = journeys.map(({ journey, status }) => ({
    ...viewOf(journey, figures),
    status,
    version: journey.version ?? 0,
  }));
  return { items, page: input.page, pageSize: JOURNEY_PAGE_SIZE, hasMore: r.data.length > JOURNEY_PAGE_SIZE };
};

/**
 * messaging journeys.setEnabled: only the `enabled` field changes (the journey document is
 * strict data). The engine admits no run into a disabled journey (startRun) and ends waiting runs
 * at their next step (advanceRun: `journey_disabled`).
 */
export const setJourneyEnabledAction: Handler<typeof setJourneyEnabled> = async (input, ctx) => {
  const staff = await requireStaff(ctx, PERMISSION);
  const now = ctx.now();
  const changed = await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('journeys').doc(input.journeyId);
    const doc = (await ref.get()).data;
    if (!doc)
      throw new DomainError(ErrorCodes.JOURNEY_NOT_FOUND, `旅程不存在 / no journey ${input.journeyId}`, {
        journeyId: input.journeyId,
      });
    const before = doc['enabled'] === true;
    if (before === input.enabled) return false;
    await ref.update({ data: { enabled: input.enabled } });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'journeys.setEnabled',
      target: `journeys/${input.journeyId}`,
      before: { enabled: before },
      after: { enabled: input.enabled },
    });
    return true;
  });
  const active = await (ctx.db as AnyDb)
    .collection('journey_runs')
    .where({ journeyId: input.journeyId, status: 'active' })
    .count();
  return { id: input.journeyId, enabled: input.enabled, changed, activeRuns: active.total as number };
};
