import { z } from 'zod';

/**
 * A small rule language over a flat-ish facts object (dotted paths reach nested fields):
 *   { field: 'spend12mFen', op: 'gte', value: 300000 }
 *   { all: [rule, …] } · { any: [rule, …] } · { not: rule }
 * A missing field never satisfies a comparison (eq, gt, in, contains, withinDays…) and always
 * satisfies its negation (ne, nin). Dates compare by instant; an ISO string value is read as a date
 * when the field holds a Date.
 */
export const RULE_OPS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'nin',
  'contains',
  'exists',
  'withinDays',
  'olderThanDays',
] as const;
export type RuleOp = (typeof RULE_OPS)[number];

export interface Condition {
  field: string;
  op: RuleOp;
  value?: unknown;
}
export type Rule = Condition | { all: Rule[] } | { any: Rule[] } | { not: Rule };

const MAX_DEPTH = 6;
const scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

const conditionSchema = z
  .object({
    field: z.string().regex(/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/, 'a field path such as spend12mFen or rfm.r'),
    op: z.enum(RULE_OPS),
    value: z.union([scalar, z.array(scalar).max(200)]).optional(),
  })
  .superRefine((c, ctx) => {
    const arrayOp = c.op === 'in' || c.op === 'nin';
    if (arrayOp !== Array.isArray(c.value))
      ctx.addIssue({
        code: 'custom',
        path: ['value'],
        message: arrayOp ? 'in/nin take a list' : 'a single value expected',
      });
    if ((c.op === 'withinDays' || c.op === 'olderThanDays') && !(typeof c.value === 'number' && c.value >= 0))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'days must be a number ≥ 0' });
    if (c.op !== 'exists' && c.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value required' });
  });

export const ruleSchema: z.ZodType<Rule> = z
  .lazy(() =>
    z.union([
      conditionSchema,
      z.object({ all: z.array(ruleSchema).min(1).max(50) }).strict(),
      z.object({ any: z.array(ruleSchema).min(1).max(50) }).strict(),
      z.object({ not: ruleSchema }).strict(),
    ]),
  )
  .superRefine((r, ctx) => {
    if (depthOf(r) > MAX_DEPTH) ctx.addIssue({ code: 'custom', message: `rules nest at most ${MAX_DEPTH} levels` });
  }) as z.ZodType<Rule>;

function depthOf(r: Rule): number {
  if ('all' in r) return 1 + Math.max(...r.all.map(depthOf));
  if ('any' in r) return 1 + Math.max(...r.any.map(depthOf));
  if ('not' in r) return 1 + depthOf(r.not);
  return 1;
}

export type Facts = Record<string, unknown>;

function read(facts: Facts, path: string): unknown {
  let cur: unknown = facts;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

const missing = (v: unknown): boolean => v === undefined || v === null;

/** Comparable form of a field value and a rule value, or null when they are not of one kind. */
function pair(a: unknown, b: unknown): [number, number] | [string, string] | null {
  if (a instanceof Date) {
    const bt = b instanceof Date ? b.getTime() : typeof b === 'string' ? Date.parse(b) : NaN;
    return Number.isNaN(bt) ? null : [a.getTime(), bt];
  }
  if (typeof a === 'number' && typeof b === 'number') return [a, b];
  if (typeof a === 'string' && typeof b === 'string') return [a, b];
  return null;
}

const same = (a: unknown, b: unknown): boolean => {
  const p = pair(a, b);
  return p ? p[0] === p[1] : a === b;
};

function ageMs(v: unknown, now: Date): number | null {
  const t = v instanceof Date ? v.getTime() : typeof v === 'string' ? Date.parse(v) : NaN;
  return Number.isNaN(t) ? null : now.getTime() - t;
}

function test(c: Condition, facts: Facts, now: Date): boolean {
  const v = read(facts, c.field);
  if (c.op === 'exists') return (c.value ?? true) === !missing(v);
  if (c.op === 'ne') return missing(v) || !same(v, c.value);
  if (c.op === 'nin') return missing(v) || !(c.value as unknown[]).some((x) => same(v, x));
  if (missing(v)) return false;
  switch (c.op) {
    case 'eq':
      return same(v, c.value);
    case 'in':
      return (c.value as unknown[]).some((x) => same(v, x));
    case 'contains':
      return Array.isArray(v)
        ? v.some((x) => same(x, c.value))
        : typeof v === 'string' && typeof c.value === 'string' && v.includes(c.value);
    case 'withinDays':
    case 'olderThanDays': {
      const age = ageMs(v, now);
      if (age === null) return false;
      const limit = (c.value as number) * 86_400_000;
      return c.op === 'withinDays' ? age >= 0 && age <= limit : age > limit;
    }
    case 'gt':
    case 'gte':
    case 'lt':
    case 'lte': {
      const p = pair(v, c.value);
      if (!p) return false;
      const [x, y] = p;
      return c.op === 'gt' ? x > y : c.op === 'gte' ? x >= y : c.op === 'lt' ? x < y : x <= y;
    }
    default: {
      const unknown: never = c.op;
      throw new Error(`unknown comparison ${String(unknown)}`);
    }
  }
}

export function evaluateRule(rule: Rule, facts: Facts, now: Date): boolean {
  if ('all' in rule) return rule.all.every((r) => evaluateRule(r, facts, now));
  if ('any' in rule) return rule.any.some((r) => evaluateRule(r, facts, now));
  if ('not' in rule) return !evaluateRule(rule.not, facts, now);
  return test(rule, facts, now);
}
