import { z } from 'zod';
import { eventTypeSchema, type EventType } from '../events';
import { isDuration, TIME_OF_DAY } from './duration';

/** A step id, or '$end' to finish the run. */
export const END = '$end';
const stepId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/, 'step id: letters, digits, - and _');
const target = z.union([stepId, z.literal(END)]);
const duration = z.string().refine(isDuration, 'duration like 30m, 47h, 3d');
const eventType = eventTypeSchema;
const scalar = z.union([z.string(), z.number(), z.boolean()]);

export type Condition =
  /** An event of this type happened between entry and entry + within (seen through onEvent). */
  | { type: 'eventWithin'; event: EventType; within: string; sameSubject?: boolean }
  /** A member attribute (facts.attributes) or a field of the trigger event's data. */
  | {
      type: 'attribute';
      source?: 'member' | 'trigger';
      name: string;
      op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists';
      value?: string | number | boolean | Array<string | number>;
    }
  | { type: 'language'; is: 'zh' | 'en' }
  /** The trigger event's `data.categories` (an order's product categories) holds this one. */
  | { type: 'productCategory'; is: string }
  | { type: 'activeWithin'; within: string }
  | { type: 'inSegment'; segmentId: string }
  /** The member holds this tag now. */
  | { type: 'tag'; has: string }
  /** The member's lifecycle stage / tier is one of these. */
  | { type: 'stage'; in: string[] }
  | { type: 'tier'; in: string[] }
  /** The member holds an unused subscription consent for this message template (key as the brand names it). */
  | { type: 'consent'; template: string }
  | { type: 'all'; of: Condition[] }
  | { type: 'any'; of: Condition[] }
  | { type: 'not'; of: Condition };

/** How deep `all` / `any` / `not` may nest in one branch: a leaf sits inside at most this many of them. */
export const MAX_CONDITION_DEPTH = 4;
export type ConditionDepthLimit = typeof MAX_CONDITION_DEPTH;

/** How many `all` / `any` / `not` hold the deepest leaf of the condition (0 for a leaf). */
export function conditionDepth(c: Condition): number {
  if (c.type === 'all' || c.type === 'any') return 1 + Math.max(0, ...c.of.map(conditionDepth));
  if (c.type === 'not') return 1 + conditionDepth(c.of);
  return 0;
}

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z
      .object({
        type: z.literal('eventWithin'),
        event: eventType,
        within: duration,
        sameSubject: z.boolean().optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('attribute'),
        source: z.enum(['member', 'trigger']).optional(),
        name: z.string().min(1),
        op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
        value: z.union([scalar, z.array(z.union([z.string(), z.number()]))]).optional(),
      })
      .strict(),
    z.object({ type: z.literal('language'), is: z.enum(['zh', 'en']) }).strict(),
    z.object({ type: z.literal('productCategory'), is: z.string().min(1) }).strict(),
    z.object({ type: z.literal('activeWithin'), within: duration }).strict(),
    z.object({ type: z.literal('inSegment'), segmentId: z.string().min(1) }).strict(),
    z.object({ type: z.literal('tag'), has: z.string().min(1) }).strict(),
    z.object({ type: z.literal('stage'), in: z.array(z.string().min(1)).min(1) }).strict(),
    z.object({ type: z.literal('tier'), in: z.array(z.string().min(1)).min(1) }).strict(),
    z.object({ type: z.literal('consent'), template: z.string().min(1) }).strict(),
    z.object({ type: z.literal('all'), of: z.array(conditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('any'), of: z.array(conditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('not'), of: conditionSchema }).strict(),
  ]),
);

const next = { next: target.optional() };
export const stepSchema = z.discriminatedUnion('type', [
  z.object({ id: stepId, type: z.literal('wait'), duration, ...next }).strict(),
  z
    .object({ id: stepId, type: z.literal('waitUntil'), time: z.string().regex(TIME_OF_DAY, 'HH:mm'), ...next })
    .strict(),
  z.object({ id: stepId, type: z.literal('branch'), condition: conditionSchema, then: target, else: target }).strict(),
  /** Waits for an event of the member (of the trigger's subject when sameSubject) or the timeout; first wins. */
  z
    .object({
      id: stepId,
      type: z.literal('waitForEvent'),
      event: eventType,
      timeout: duration,
      sameSubject: z.boolean().default(false),
      onEvent: target,
      onTimeout: target,
    })
    .strict(),
  z
    .object({
      id: stepId,
      type: z.literal('send'),
      channel: z.enum(['subscribe', 'oa_template', 'oa_custom', 'email']),
      template: z.string().min(1),
      purpose: z.enum(['marketing', 'transactional']).default('marketing'),
      data: z.record(z.string(), scalar).default({}),
      ...next,
    })
    .strict(),
  z
    .object({ id: stepId, type: z.literal('tag'), op: z.enum(['add', 'remove']), tag: z.string().min(1), ...next })
    .strict(),
  z.object({ id: stepId, type: z.literal('grantCoupon'), templateId: z.string().min(1), ...next }).strict(),
  z.object({ id: stepId, type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }), ...next }).strict(),
  z.object({ id: stepId, type: z.literal('points'), amount: z.number().int().min(1).max(100_000), ...next }).strict(),
  /** Ends the run here (exited, with the reason). */
  z.object({ id: stepId, type: z.literal('exit'), reason: z.string().min(1).max(40).default('exit_step') }).strict(),
]);
export type Step = z.infer<typeof stepSchema>;
export const STEP_TYPES = stepSchema.options.map((o) => o.shape.type.value) as [Step['type'], ...Step['type'][]];

/**
 * Re-entry: always (every trigger enters), notWhileActive (not while a run of this journey is
 * active), once (once per member ever), or once per N days (counted from the last entry).
 */
export const entrySchema = z.union([
  z.enum(['always', 'notWhileActive', 'once']),
  z.object({ oncePerDays: z.number().int().min(1).max(3650) }).strict(),
]);

const exitEvent = z.object({ event: eventType, sameSubject: z.boolean().default(false) }).strict();

export const journeySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    name: z.string().min(1).max(80),
    description: z.string().max(500).optional(),
    enabled: z.boolean(),
    /** The published version the engine runs (set by publishing; absent on a draft). */
    version: z.number().int().min(1).optional(),
    trigger: z.object({ event: eventTypeSchema, filter: z.record(z.string(), scalar).optional() }).strict(),
    entry: entrySchema.default('notWhileActive'),
    /** Any of these events (of the run's own trigger subject when sameSubject) ends the run. */
    exitOn: z.array(exitEvent).default([]),
    /** The event the journey is for (a paid order): it ends the run as reached (`goal`), counted apart from exits. */
    goal: exitEvent.optional(),
    steps: z.array(stepSchema).min(1).max(100),
  })
  .strict()
  .superRefine((j, ctx) => {
    for (const p of structuralProblems(j.steps)) {
      ctx.addIssue({ code: 'custom', message: p.message, path: ['steps', p.index] });
    }
    j.steps.forEach((s, i) => {
      if (s.type === 'branch' && conditionDepth(s.condition) > MAX_CONDITION_DEPTH)
        ctx.addIssue({
          code: 'custom',
          message: `conditions nest at most ${MAX_CONDITION_DEPTH} groups deep`,
          path: ['steps', i, 'condition'],
        });
    });
  });
export type Journey = z.output<typeof journeySchema>;
export type JourneyInput = z.input<typeof journeySchema>;

/** The step after `i` when the step names none: the next one in the list, or the end. */
export function successors(steps: readonly Step[], i: number): string[] {
  const s = steps[i];
  if (!s) return [];
  const fallthrough = steps[i + 1]?.id ?? END;
  switch (s.type) {
    case 'branch':
      return [s.then, s.else];
    case 'waitForEvent':
      return [s.onEvent, s.onTimeout];
    case 'exit':
      return [];
    default:
      return [s.next ?? fallthrough];
  }
}

const isWait = (s: Step): boolean => s.type === 'wait' || s.type === 'waitUntil' || s.type === 'waitForEvent';

/** Duplicate ids, unknown targets, and loops that never wait (they would spin the engine), by step index. */
function structuralProblems(steps: readonly Step[]): { index: number; message: string }[] {
  const problems: { index: number; message: string }[] = [];
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    if (index.has(s.id)) problems.push({ index: i, message: `duplicate step id ${s.id}` });
    else index.set(s.id, i);
  });
  steps.forEach((s, i) => {
    for (const t of successors(steps, i)) {
      if (t !== END && !index.has(t)) problems.push({ index: i, message: `goes to unknown step ${t}` });
    }
  });
  if (problems.length) return problems;
  // DFS over the graph without wait steps: any cycle there has no wait on it.
  const state = new Map<number, 'open' | 'done'>();
  const visit = (i: number): boolean => {
    const s = steps[i];
    if (!s || isWait(s) || state.get(i) === 'done') return false;
    if (state.get(i) === 'open') return true;
    state.set(i, 'open');
    const cyclic = successors(steps, i).some((t) => t !== END && visit(index.get(t) ?? -1));
    state.set(i, 'done');
    return cyclic;
  };
  const looping = steps.findIndex((_, i) => visit(i));
  if (looping >= 0) problems.push({ index: looping, message: 'a loop without a wait step' });
  return problems;
}
