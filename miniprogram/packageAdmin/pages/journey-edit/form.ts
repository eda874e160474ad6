import type { Condition, JourneyInput } from '../../../../core/journeys';
import type { JourneyEditText } from './text';

export type { StepInput };

type StepInput =
  | Exclude<JourneyInput['steps'][number], { type: 'branch' }>
  | (Omit<Extract<JourneyInput['steps'][number], { type: 'branch' }>, 'condition'> & { condition: Condition });
type StepType = StepInput['type'];

/** Step types staff can add, in the order the picker shows them. */
export const STEP_TYPES: StepType[] = [
  'wait',
  'waitUntil',
  'waitForEvent',
  'branch',
  'send',
  'tag',
  'grantCoupon',
  'points',
  'webhook',
  'exit',
];
const CHANNELS = ['subscribe', 'oa_template', 'oa_custom', 'email'] as const;
export const ENTRY_RULES = ['always', 'notWhileActive', 'once', 'oncePerDays'] as const;

/** One input of a step's form: a text field, or a picker over `options` (labels in `labels`). */
export interface Field {
  key: string;
  label: string;
  value: string;
  options?: string[];
  labels?: string[];
  index?: number;
}

/** A new step of this type with the values a brand admin would change first. */
export function newStep(type: StepType, id: string): StepInput {
  switch (type) {
    case 'wait':
      return { id, type, duration: '1h' };
    case 'waitUntil':
      return { id, type, time: '10:00' };
    case 'waitForEvent':
      return { id, type, event: 'order.paid', timeout: '47h', onEvent: '$end', onTimeout: '$end' };
    case 'branch':
      return { id, type, condition: { type: 'tag', has: 'vip' }, then: '$end', else: '$end' };
    case 'send':
      return { id, type, channel: 'subscribe', template: '', purpose: 'marketing' };
    case 'tag':
      return { id, type, op: 'add', tag: '' };
    case 'grantCoupon':
      return { id, type, templateId: '' };
    case 'points':
      return { id, type, amount: 10 };
    case 'webhook':
      return { id, type, url: 'https://' };
    case 'exit':
      return { id, type, reason: 'exit_step' };
  }
}

const picker = (
  key: string,
  label: string,
  options: readonly string[],
  value: string,
  labels: Record<string, string>,
): Field => ({
  key,
  label,
  value,
  options: [...options],
  labels: options.map((o) => labels[o] ?? o),
  index: Math.max(0, options.indexOf(value)),
});

/** The inputs of one step's form. */
export function fieldsOf(s: StepInput, t: JourneyEditText, events: readonly string[]): Field[] {
  const text = (key: string, value: unknown): Field => ({
    key,
    label: t.fields[key] ?? key,
    value: value === undefined ? '' : String(value),
  });
  const id = text('id', s.id);
  switch (s.type) {
    case 'wait':
      return [id, text('duration', s.duration)];
    case 'waitUntil':
      return [id, text('time', s.time)];
    case 'waitForEvent':
      return [
        id,
        picker('event', t.fields['event']!, events, s.event, t.events),
        text('timeout', s.timeout),
        text('onEvent', s.onEvent),
        text('onTimeout', s.onTimeout),
      ];
    case 'branch':
      // the condition itself is edited by the condition-group beside these fields
      return [id, text('then', s.then), text('else', s.else)];
    case 'send':
      return [
        id,
        picker('channel', t.fields['channel']!, CHANNELS, s.channel, t.channels),
        text('template', s.template),
        picker('purpose', t.fields['purpose']!, ['marketing', 'transactional'], s.purpose ?? 'marketing', t.purposes),
      ];
    case 'tag':
      return [id, picker('op', t.fields['op']!, ['add', 'remove'], s.op, t.ops), text('tag', s.tag)];
    case 'grantCoupon':
      return [id, text('templateId', s.templateId)];
    case 'points':
      return [id, text('amount', s.amount)];
    case 'webhook':
      return [id, text('url', s.url)];
    case 'exit':
      return [id, text('reason', s.reason ?? '')];
  }
}

/** The step with one field changed (the form's value as typed; the server's schema judges it). */
export function withField(s: StepInput, key: string, value: string): StepInput {
  if (key === 'amount') return { ...s, amount: Number(value) } as StepInput;
  return { ...s, [key]: value } as StepInput;
}

/** The list with step `i` moved by `by` places (kept inside the list). */
export function moved<T>(list: readonly T[], i: number, by: number): T[] {
  const j = Math.min(list.length - 1, Math.max(0, i + by));
  const out = [...list];
  const [item] = out.splice(i, 1);
  out.splice(j, 0, item as T);
  return out;
}

/** A step id not yet used in the journey: `type-1`, `type-2`… */
export function freshId(steps: readonly StepInput[], type: StepType): string {
  const used = new Set(steps.map((s) => s.id));
  for (let n = 1; ; n++) if (!used.has(`${type}-${n}`)) return `${type}-${n}`;
}
