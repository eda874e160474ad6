import { DomainError } from '../errors';
import { parseDuration } from './duration';
import type { Condition, Step } from './schema';
import type { JourneyFacts, JourneyRun } from './types';

function compare(actual: unknown, op: Extract<Condition, { type: 'attribute' }>['op'], value: unknown): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'in':
      return Array.isArray(value) && (value as unknown[]).includes(actual);
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      if (typeof actual !== typeof value || (typeof actual !== 'number' && typeof actual !== 'string')) return false;
      const a = actual as number | string;
      const v = value as number | string;
      return op === 'gt' ? a > v : op === 'gte' ? a >= v : op === 'lt' ? a < v : a <= v;
    }
    default: {
      const unknown: never = op;
      throw new Error(`unknown comparison ${String(unknown)}`);
    }
  }
}

/** Whether a branch condition holds for a run at `now`. */
export function evaluateCondition(c: Condition, run: JourneyRun, facts: JourneyFacts, now: Date): boolean {
  switch (c.type) {
    case 'eventWithin': {
      const from = run.enteredAt.getTime();
      const until = Math.min(from + parseDuration(c.within), now.getTime());
      return run.evidence.some(
        (e) =>
          e.type === c.event &&
          e.at.getTime() >= from &&
          e.at.getTime() <= until &&
          (!c.sameSubject || e.subjectId === run.trigger.subjectId),
      );
    }
    case 'attribute': {
      const source = c.source === 'trigger' ? run.trigger.data : facts.attributes;
      return compare(source?.[c.name], c.op, c.value);
    }
    case 'language':
      return (facts.language ?? 'zh') === c.is;
    case 'productCategory': {
      const cats = run.trigger.data?.['categories'];
      return Array.isArray(cats) && cats.includes(c.is);
    }
    case 'activeWithin': {
      const at = facts.lastActiveAt;
      return !!at && at.getTime() <= now.getTime() && now.getTime() - at.getTime() <= parseDuration(c.within);
    }
    case 'inSegment':
      return (facts.segmentIds ?? []).includes(c.segmentId);
    case 'tag':
      return (facts.tags ?? []).includes(c.has);
    case 'stage':
      return !!facts.stage && c.in.includes(facts.stage);
    case 'tier':
      return !!facts.tier && c.in.includes(facts.tier);
    case 'consent':
      return (facts.consents ?? []).includes(c.template);
    case 'all':
      return c.of.every((x) => evaluateCondition(x, run, facts, now));
    case 'any':
      return c.of.some((x) => evaluateCondition(x, run, facts, now));
    case 'not':
      return !evaluateCondition(c.of, run, facts, now);
    default: {
      const unknown: never = c;
      const type = (unknown as { type?: unknown }).type;
      throw new DomainError('JOURNEY_CONDITION_UNKNOWN', '未知的旅程条件', { condition: type });
    }
  }
}

/** Every condition of the journey's branches, nested ones included. */
export function conditionsOf(steps: readonly Step[]): Condition[] {
  const out: Condition[] = [];
  const walk = (c: Condition): void => {
    out.push(c);
    if (c.type === 'all' || c.type === 'any') c.of.forEach(walk);
    else if (c.type === 'not') walk(c.of);
  };
  for (const s of steps) if (s.type === 'branch') walk(s.condition);
  return out;
}

/** Event types some branch or event wait of the journey asks about: only these are kept as evidence on runs. */
export function evidenceTypes(steps: readonly Step[]): Set<string> {
  const out = new Set<string>();
  for (const c of conditionsOf(steps)) if (c.type === 'eventWithin') out.add(c.event);
  for (const s of steps) if (s.type === 'waitForEvent') out.add(s.event);
  return out;
}
