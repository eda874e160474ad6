import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE } from '../time';
import { evaluateCondition, evidenceTypes } from './conditions';
import { nextLocalTime, parseDuration } from './duration';
import { END, successors, type Journey, type Step } from './schema';
import type { Effect, JourneyEvent, JourneyFacts, JourneyRun, StepRecord } from './types';

/** Guard against a journey edited into a loop between validation and run: no advance runs more steps. */
const MAX_STEPS_PER_ADVANCE = 200;

/** Whether an event is this journey's trigger (type and filter on the event's data). */
export function matchesTrigger(journey: Journey, event: JourneyEvent): boolean {
  if (event.type !== journey.trigger.event) return false;
  return Object.entries(journey.trigger.filter ?? {}).every(([k, v]) => event.data?.[k] === v);
}

const DAY_MS = 86_400_000;

/** Entry policy, given the member's existing runs of this journey (`enteredAt` is needed for oncePerDays). */
export function mayEnter(
  journey: Journey,
  memberRuns: readonly (Pick<JourneyRun, 'journeyId' | 'status'> & { enteredAt?: Date })[],
  now: Date = new Date(0),
): boolean {
  const mine = memberRuns.filter((r) => r.journeyId === journey.id);
  const rule = journey.entry;
  if (typeof rule === 'object') {
    const since = now.getTime() - rule.oncePerDays * DAY_MS;
    return !mine.some((r) => !r.enteredAt || new Date(r.enteredAt).getTime() > since);
  }
  switch (rule) {
    case 'once':
      return mine.length === 0;
    case 'notWhileActive':
      return !mine.some((r) => r.status === 'active');
    case 'always':
      return true;
    default: {
      const unknown: never = rule;
      throw new DomainError('JOURNEY_ENTRY_UNKNOWN', '未知的再次进入规则', { entry: String(unknown) });
    }
  }
}

export const runIdOf = (journeyId: string, event: Pick<JourneyEvent, 'id'>): string => `${journeyId}:${event.id}`;

/**
 * A new run for a triggering event, or null when the journey is disabled or the event is not its
 * trigger. The run id comes from the event, so a replayed event enters once (unique index on runId).
 * The run is due at once; call advanceRun.
 */
export function startRun(journey: Journey, event: JourneyEvent, now: Date): JourneyRun | null {
  if (!journey.enabled || !matchesTrigger(journey, event)) return null;
  const first = journey.steps[0];
  if (!first) return null;
  // Journey time starts when the event happened (a late consumer does not shift "30 minutes after").
  const at = event.at.getTime() <= now.getTime() ? event.at : now;
  return {
    runId: runIdOf(journey.id, event),
    journeyId: journey.id,
    ...(journey.version ? { version: journey.version } : {}),
    memberId: event.memberId,
    trigger: event,
    enteredAt: at,
    status: 'active',
    cursor: first.id,
    arrivedAt: at,
    nextDueAt: at,
    visits: {},
    history: [],
    evidence: [],
    endedAt: null,
    exitReason: null,
  };
}

function end(run: JourneyRun, status: 'completed' | 'exited', now: Date, reason: string | null): JourneyRun {
  return { ...run, status, cursor: null, nextDueAt: null, endedAt: now, exitReason: reason };
}

/**
 * What the trigger event asks its messages to announce (`data.announce`, zh and en: the rewards of
 * `member.joined`), as `announce_zh` / `announce_en` for the templates that show it.
 */
function announcementOf(trigger: JourneyEvent): Record<string, string> {
  const a = trigger.data?.['announce'] as { zh?: unknown; en?: unknown } | undefined;
  return typeof a?.zh === 'string' && typeof a.en === 'string' ? { announce_zh: a.zh, announce_en: a.en } : {};
}

type ActionStep = Exclude<Step, { type: 'wait' | 'waitUntil' | 'waitForEvent' | 'branch' | 'exit' }>;

/** The effect of an action step; a step type added to the schema without one here fails the type-check. */
function effectOf(step: ActionStep, base: Omit<Effect, 'kind'>, run: JourneyRun): Effect {
  switch (step.type) {
    case 'send':
      return {
        ...base,
        kind: 'send',
        channel: step.channel,
        template: step.template,
        purpose: step.purpose,
        data: { ...announcementOf(run.trigger), ...step.data },
      };
    case 'tag':
      return { ...base, kind: 'tag', op: step.op, tag: step.tag };
    case 'grantCoupon':
      return { ...base, kind: 'grantCoupon', templateId: step.templateId };
    case 'points':
      return { ...base, kind: 'points', amount: step.amount };
    case 'webhook': {
      const { journeyId, runId, stepId, memberId, subjectId } = base;
      return {
        ...base,
        kind: 'webhook',
        url: step.url,
        payload: {
          journeyId,
          runId,
          stepId,
          memberId,
          triggerType: run.trigger.type,
          ...(subjectId ? { subjectId } : {}),
        },
      };
    }
    default: {
      const unknown: never = step;
      throw new DomainError(ErrorCodes.JOURNEY_STEP_UNKNOWN, '未知的旅程步骤', {
        step: (unknown as { type?: unknown }).type,
      });
    }
  }
}

/**
 * Runs every step that is due at `now` and stops at the first wait that is not. Returns the new
 * run and the effects to put in the outbox. Effects are produced once per run: calling again
 * with the returned run produces nothing new; calling again with the old run (a retried timer)
 * produces the same effects under the same keys, which the outbox drops.
 */
export function advanceRun(
  journey: Journey,
  run: JourneyRun,
  facts: JourneyFacts,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): { run: JourneyRun; effects: Effect[] } {
  if (run.journeyId !== journey.id)
    throw new DomainError(ErrorCodes.JOURNEY_MISMATCH, '旅程与运行记录不匹配', {
      journeyId: journey.id,
      runId: run.runId,
    });
  if (run.status !== 'active') return { run, effects: [] };
  if (!journey.enabled) return { run: end(run, 'exited', now, 'journey_disabled'), effects: [] };

  let r: JourneyRun = { ...run, visits: { ...run.visits }, history: [...run.history] };
  const effects: Effect[] = [];
  const record = (rec: Omit<StepRecord, 'ranAt'>): void => void r.history.push({ ...rec, ranAt: now });
  const indexOf = new Map(journey.steps.map((s, i) => [s.id, i]));

  for (let guard = 0; r.cursor !== null; guard++) {
    if (guard >= MAX_STEPS_PER_ADVANCE)
      throw new DomainError(ErrorCodes.JOURNEY_LOOP, '旅程步骤过多，可能存在循环', { runId: r.runId });
    const i = indexOf.get(r.cursor);
    const step = i === undefined ? undefined : journey.steps[i];
    if (i === undefined || !step) return { run: end(r, 'exited', now, `step_missing:${r.cursor}`), effects };
    const [after = END, otherwise = END] = successors(journey.steps, i);
    const goTo = (target: string, at: Date): void => {
      r = { ...r, cursor: target === END ? null : target, arrivedAt: at, nextDueAt: at };
    };

    if (step.type === 'wait' || step.type === 'waitUntil') {
      const due =
        step.type === 'wait'
          ? new Date(r.arrivedAt.getTime() + parseDuration(step.duration))
          : nextLocalTime(r.arrivedAt, step.time, tz);
      if (now.getTime() < due.getTime()) return { run: { ...r, nextDueAt: due }, effects };
      record({ stepId: step.id, at: due, outcome: 'waited' });
      goTo(after, due);
    } else if (step.type === 'waitForEvent') {
      const since = r.arrivedAt.getTime();
      const seen = r.evidence.find(
        (e) =>
          e.type === step.event &&
          e.at.getTime() >= since &&
          e.at.getTime() <= now.getTime() &&
          (!step.sameSubject || e.subjectId === r.trigger.subjectId),
      );
      const due = new Date(since + parseDuration(step.timeout));
      if (seen && seen.at.getTime() <= due.getTime()) {
        record({ stepId: step.id, at: seen.at, outcome: 'event', note: seen.type });
        goTo(step.onEvent, seen.at);
      } else if (now.getTime() < due.getTime()) {
        return { run: { ...r, nextDueAt: due }, effects };
      } else {
        record({ stepId: step.id, at: due, outcome: 'timeout' });
        goTo(step.onTimeout, due);
      }
    } else if (step.type === 'branch') {
      const yes = evaluateCondition(step.condition, r, facts, now);
      record({ stepId: step.id, at: r.arrivedAt, outcome: yes ? 'then' : 'else' });
      goTo(yes ? after : otherwise, r.arrivedAt);
    } else if (step.type === 'exit') {
      record({ stepId: step.id, at: r.arrivedAt, outcome: 'exit', note: step.reason });
      return { run: end(r, 'exited', now, step.reason), effects };
    } else {
      const visit = (r.visits[step.id] ?? 0) + 1;
      r.visits[step.id] = visit;
      const key = visit === 1 ? `${r.runId}:${step.id}` : `${r.runId}:${step.id}:${visit}`;
      const base = {
        key,
        runId: r.runId,
        journeyId: r.journeyId,
        memberId: r.memberId,
        stepId: step.id,
        at: now,
        ...(r.trigger.subjectId ? { subjectId: r.trigger.subjectId } : {}),
      };
      effects.push(effectOf(step, base, r));
      record({ stepId: step.id, at: r.arrivedAt, outcome: 'effect', effectKey: key });
      goTo(after, r.arrivedAt);
    }
  }
  return { run: end(r, 'completed', now, null), effects };
}

/**
 * An event about the member while a run is active: an exit event ends the run; an event a
 * branch asks about is kept as evidence. Events before entry and of other members are ignored.
 */
export function onEvent(journey: Journey, run: JourneyRun, event: JourneyEvent, now: Date): JourneyRun {
  if (run.status !== 'active' || event.memberId !== run.memberId || event.at.getTime() < run.enteredAt.getTime())
    return run;
  const matches = (x: { event: string; sameSubject: boolean }) =>
    x.event === event.type && (!x.sameSubject || event.subjectId === run.trigger.subjectId);
  if (journey.goal && matches(journey.goal)) {
    const ended = end(run, 'exited', now, `goal:${event.type}`);
    const reached = { stepId: run.cursor ?? END, at: event.at, ranAt: now, outcome: 'goal' as const, note: event.type };
    return { ...ended, history: [...run.history, reached] };
  }
  if (journey.exitOn.some(matches)) {
    const ended = end(run, 'exited', now, `event:${event.type}`);
    return {
      ...ended,
      history: [
        ...run.history,
        { stepId: run.cursor ?? END, at: event.at, ranAt: now, outcome: 'exit', note: event.type },
      ],
    };
  }
  if (!evidenceTypes(journey.steps).has(event.type) || run.evidence.some((e) => e.id === event.id)) return run;
  const kept = { ...run, evidence: [...run.evidence, event] };
  // a run waiting for this event is due at once (it need not sleep until its timeout)
  const waiting = journey.steps.find((s) => s.id === run.cursor);
  const wakes =
    waiting?.type === 'waitForEvent' &&
    matches({ event: waiting.event, sameSubject: waiting.sameSubject }) &&
    event.at.getTime() >= run.arrivedAt.getTime();
  const sooner = !!run.nextDueAt && event.at.getTime() < run.nextDueAt.getTime();
  return wakes && sooner ? { ...kept, nextDueAt: event.at } : kept;
}
