import { z } from 'zod';
import { eventTypeSchema, type EventType } from '../events';
import { isDuration, TIME_OF_DAY } from './duration';

/** The events a journey may start on: names from the event catalogue (`core/events`). */
export const TRIGGER_EVENTS = [
  'member.joined',
  'oa.subscribed',
  'oa.menu_clicked',
  'order.created',
  'order.paid',
  'survey.completed',
  'birthday',
  'segment.entered',
] as const satisfies readonly EventType[];

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
  | { type: 'attribute'; source?: 'member' | 'trigger'; name: string; op: 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'in' | 'exists'; value?: string | number | boolean | Array<string | number> }
  | { type: 'language'; is: 'zh' | 'en' }
  /** The trigger event's `data.categories` (an order's product categories) holds this one. */
  | { type: 'productCategory'; is: string }
  | { type: 'activeWithin'; within: string }
  | { type: 'inSegment'; segmentId: string }
  | { type: 'all'; of: Condition[] }
  | { type: 'any'; of: Condition[] }
  | { type: 'not'; of: Condition };

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('eventWithin'), event: eventType, within: duration, sameSubject: z.boolean().optional() }).strict(),
    z.object({
      type: z.literal('attribute'),
      source: z.enum(['member', 'trigger']).optional(),
      name: z.string().min(1),
      op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'exists']),
      value: z.union([scalar, z.array(z.union([z.string(), z.number()]))]).optional(),
    }).strict(),
    z.object({ type: z.literal('language'), is: z.enum(['zh', 'en']) }).strict(),
    z.object({ type: z.literal('productCategory'), is: z.string().min(1) }).strict(),
    z.object({ type: z.literal('activeWithin'), within: duration }).strict(),
    z.object({ type: z.literal('inSegment'), segmentId: z.string().min(1) }).strict(),
    z.object({ type: z.literal('all'), of: z.array(conditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('any'), of: z.array(conditionSchema).min(1) }).strict(),
    z.object({ type: z.literal('not'), of: conditionSchema }).strict(),
  ]),
);

const next = { next: target.optional() };
export const stepSchema = z.discriminatedUnion('type', [
  z.object({ id: stepId, type: z.literal('wait'), duration, ...next }).strict(),
  z.object({ id: stepId, type: z.literal('waitUntil'), time: z.string().regex(TIME_OF_DAY, 'HH:mm'), ...next }).strict(),
  z.object({ id: stepId, type: z.literal('branch'), condition: conditionSchema, then: target, else: target }).strict(),
  z.object({
    id: stepId,
    type: z.literal('send'),
    channel: z.enum(['subscribe', 'oa_template', 'oa_custom', 'email']),
    template: z.string().min(1),
    purpose: z.enum(['marketing', 'transactional']).default('marketing'),
    data: z.record(z.string(), scalar).default({}),
    ...next,
  }).strict(),
  z.object({ id: stepId, type: z.literal('tag'), op: z.enum(['add', 'remove']), tag: z.string().min(1), ...next }).strict(),
  z.object({ id: stepId, type: z.literal('grantCoupon'), templateId: z.string().min(1), ...next }).strict(),
  z.object({ id: stepId, type: z.literal('webhook'), url: z.url({ protocol: /^https?$/ }), ...next }).strict(),
]);
export type Step = z.infer<typeof stepSchema>;

export const journeySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    name: z.string().min(1).max(80),
    description: z.string().max(500).optional(),
    enabled: z.boolean(),
    trigger: z.object({ event: z.enum(TRIGGER_EVENTS), filter: z.record(z.string(), scalar).optional() }).strict(),
    /** always: every trigger enters; notWhileActive: not while a run of this journey is active; once: once per member ever. */
    entry: z.enum(['always', 'notWhileActive', 'once']).default('notWhileActive'),
    /** Any of these events (of the run's own trigger subject when sameSubject) ends the run. */
    exitOn: z.array(z.object({ event: eventType, sameSubject: z.boolean().default(false) }).strict()).default([]),
    steps: z.array(stepSchema).min(1).max(100),
  })
  .strict()
  .superRefine((j, ctx) => {
    for (const problem of structuralProblems(j.steps)) ctx.addIssue({ code: 'custom', message: problem, path: ['steps'] });
  });
export type Journey = z.output<typeof journeySchema>;
export type JourneyInput = z.input<typeof journeySchema>;

/** The step after `i` when the step names none: the next one in the list, or the end. */
export function successors(steps: readonly Step[], i: number): string[] {
  const s = steps[i];
  if (!s) return [];
  const fallthrough = steps[i + 1]?.id ?? END;
  if (s.type === 'branch') return [s.then, s.else];
  return [s.next ?? fallthrough];
}

/** Duplicate ids, unknown targets, and loops that never wait (they would spin the engine). */
function structuralProblems(steps: readonly Step[]): string[] {
  const problems: string[] = [];
  const index = new Map<string, number>();
  steps.forEach((s, i) => (index.has(s.id) ? problems.push(`duplicate step id ${s.id}`) : index.set(s.id, i)));
  steps.forEach((s, i) => {
    for (const t of successors(steps, i)) if (t !== END && !index.has(t)) problems.push(`step ${s.id} goes to unknown step ${t}`);
  });
  if (problems.length) return problems;
  // DFS over the graph without wait steps: any cycle there has no wait on it.
  const state = new Map<number, 'open' | 'done'>();
  const visit = (i: number): boolean => {
    const s = steps[i];
    if (!s || s.type === 'wait' || s.type === 'waitUntil' || state.get(i) === 'done') return false;
    if (state.get(i) === 'open') return true;
    state.set(i, 'open');
    const cyclic = successors(steps, i).some((t) => t !== END && visit(index.get(t) ?? -1));
    state.set(i, 'done');
    return cyclic;
  };
  if (steps.some((_, i) => visit(i))) problems.push('a loop without a wait step');
  return problems;
}
