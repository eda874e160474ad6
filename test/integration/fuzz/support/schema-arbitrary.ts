import fc from 'fast-check';
import { z } from 'zod';

/**
 * fast-check arbitraries from a zod contract, through zod 4's `z.toJSONSchema` (io: output, so
 * defaulted fields are sent too). Values follow the schema's types, bounds, enums, patterns and
 * formats; recursion stops after a few levels; lists and strings stay short (mutations make them long).
 */
type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  propertyNames?: Schema;
  items?: Schema;
  prefixItems?: Schema[];
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  $ref?: string;
  $defs?: Record<string, Schema>;
};

const MAX_REF_DEPTH = 3;
const FROM = new Date('2025-01-01T00:00:00Z');
const UNTIL = new Date('2027-12-31T00:00:00Z');

export function arbitraryOfContract(input: z.ZodType, io: 'input' | 'output' = 'output'): fc.Arbitrary<unknown> {
  const root = z.toJSONSchema(input, { io, unrepresentable: 'any' }) as Schema;
  return arbitraryOf(root, root.$defs ?? {}, 0);
}

const mentionsRef = (s: Schema): boolean => JSON.stringify(s).includes('"$ref"');

function arbitraryOf(s: Schema, defs: Record<string, Schema>, refDepth: number): fc.Arbitrary<unknown> {
  const next = (x: Schema) => arbitraryOf(x, defs, refDepth);
  if (s.$ref) {
    const target = defs[s.$ref.split('/').pop()!];
    return target ? arbitraryOf(target, defs, refDepth + 1) : fc.jsonValue({ maxDepth: 1 });
  }
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const usable = refDepth >= MAX_REF_DEPTH ? branches.filter((b) => !mentionsRef(b)) : branches;
    return fc.oneof(...(usable.length ? usable : branches).map(next));
  }
  if (s.allOf?.length) return next(s.allOf[0]!);
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((t) => next({ ...s, type: t })));
  switch (s.type) {
    case 'string':
      return stringOf(s);
    case 'integer':
      return integerOf(s);
    case 'number': {
      const [min, max] = [s.minimum ?? s.exclusiveMinimum ?? -1e6, s.maximum ?? s.exclusiveMaximum ?? 1e6];
      return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayOf(s, next);
    case 'object':
      return objectOf(s, next);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function stringOf(s: Schema): fc.Arbitrary<string> {
  if (s.format === 'date-time') {
    return fc.date({ min: FROM, max: UNTIL, noInvalidDate: true }).map((d) => d.toISOString());
  }
  if (s.format === 'email') return fc.emailAddress();
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 256));
  const min = s.minLength ?? 0;
  return fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 24, 24)) });
}

function integerOf(s: Schema): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1_000_000);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : 1_000_000);
  return fc.integer({ min: Math.max(min, Number.MIN_SAFE_INTEGER), max: Math.min(max, Number.MAX_SAFE_INTEGER) });
}

function arrayOf(s: Schema, next: (x: Schema) => fc.Arbitrary<unknown>): fc.Arbitrary<unknown[]> {
  if (s.prefixItems) return fc.tuple(...s.prefixItems.map(next));
  const min = s.minItems ?? 0;
  const item = s.items ? next(s.items) : fc.jsonValue({ maxDepth: 1 });
  return fc.array(item, { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 4, 4)) });
}

function objectOf(s: Schema, next: (x: Schema) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const shape = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, next(v)]));
  const fixed = fc.record(shape, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
  if (!s.additionalProperties || typeof s.additionalProperties !== 'object') return fixed;
  const anyKey = fc.string({ minLength: 1, maxLength: 12 });
  const keys = s.propertyNames ? (next(s.propertyNames) as fc.Arbitrary<string>) : anyKey;
  const extra = fc.dictionary(keys, next(s.additionalProperties), { maxKeys: 3, noNullPrototype: true });
  return fc.tuple(fixed, extra).map(([a, b]) => ({ ...b, ...a }));
}
