import type { IndexSpec } from './indexes';
import { afterType, justAfter, keyOf, keyPart, rangeType } from './indexes';
import { isDate } from './values';

type Query = Record<string, unknown>;

/**
 * A query as a boolean tree over index entries, evaluated inside SQLite: `keys` holds when the
 * document has one of these keys in the index (a point look-up by key and id), `ranges` when one of
 * its keys lies in a range (the range's ids are gathered once per statement), `after` is `_id > id`.
 */
export type Filter =
  | { kind: 'all' }
  | { kind: 'none' }
  | { kind: 'keys'; index: string; keys: string[] }
  /** `multikey`: a document may have several keys in the ranges */
  | { kind: 'ranges'; index: string; ranges: [string, string][]; multikey: boolean }
  | { kind: 'after'; id: string }
  | { kind: 'and' | 'or'; parts: Filter[] }
  | { kind: 'not'; part: Filter };

/** The filter and whether it is the query exactly (else it holds for a superset of the matches). */
export interface Compiled {
  filter: Filter;
  exact: boolean;
}

const ALL: Filter = { kind: 'all' };
const NONE: Filter = { kind: 'none' };
const WHOLE: [string, string] = ['0', '8']; // every key: type tags run from '0' to '7'
const RANGE_OPS = ['$gt', '$gte', '$lt', '$lte'];

const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v) || isDate(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp) && !isDate(v);

const inexact: Compiled = { filter: ALL, exact: false };
const exactly = (filter: Filter): Compiled => ({ filter, exact: true });

function and(parts: Compiled[]): Compiled {
  const kept = parts
    .map((p) => p.filter)
    .flatMap((f) => (f.kind === 'and' ? f.parts : [f]))
    .filter((f) => f.kind !== 'all');
  const exact = parts.every((p) => p.exact);
  if (kept.some((f) => f.kind === 'none')) return { filter: NONE, exact };
  return { filter: kept.length === 0 ? ALL : kept.length === 1 ? kept[0]! : { kind: 'and', parts: kept }, exact };
}

function or(parts: Compiled[]): Compiled {
  const kept = parts.map((p) => p.filter).filter((f) => f.kind !== 'none');
  const exact = parts.every((p) => p.exact);
  if (kept.some((f) => f.kind === 'all')) return { filter: ALL, exact };
  return { filter: kept.length === 0 ? NONE : kept.length === 1 ? kept[0]! : { kind: 'or', parts: kept }, exact };
}

/** A superset negated is no superset: an inexact part under `not` holds for everyone. */
function not(part: Compiled): Compiled {
  if (!part.exact) return inexact;
  const f = part.filter;
  return exactly(
    f.kind === 'all' ? NONE : f.kind === 'none' ? ALL : f.kind === 'not' ? f.part : { kind: 'not', part: f },
  );
}

/**
 * Compiles a where-query against the collection's single-field indexes. Exact for equality, `$in`,
 * `$all`, `$ne`, `$nin`, ranges and `$exists` on indexed fields (`null` on fields that never held
 * arrays), `_id > x`, and any `$and`/`$or`/`$nor` of those, with Mongo's meaning: a missing field is
 * not equal to a value and is "not in" any list; on an array, a condition holds when an element
 * satisfies it, and each bound of a range may be met by a different element. Anything else is
 * left to the document test (`exact: false`).
 */
export function compileFilter(specs: IndexSpec[], query: Query): Compiled {
  const single = new Map<string, IndexSpec>();
  for (const s of specs) if (s.fields.length === 1) single.set(s.fields[0]!, s);
  const visit = (q: Query): Compiled =>
    and(
      Object.entries(q).map(([field, cond]) => {
        const branches = (v: unknown) => (Array.isArray(v) && v.every(isPlainObject) ? v.map(visit) : null);
        if (field === '$and') return and(branches(cond) ?? [inexact]);
        if (field === '$or') return branches(cond)?.length ? or(branches(cond)!) : inexact;
        if (field === '$nor') return branches(cond)?.length ? not(or(branches(cond)!)) : inexact;
        if (field.startsWith('$')) return inexact;
        if (field === '_id') return idFilter(cond);
        const spec = single.get(field);
        return spec ? fieldFilter(spec, cond) : inexact;
      }),
    );
  return visit(query);
}

function idFilter(cond: unknown): Compiled {
  if (!isPlainObject(cond) || Object.keys(cond).length !== 1) return inexact;
  if (typeof cond.$gt === 'string') return exactly({ kind: 'after', id: cond.$gt });
  if (Array.isArray(cond.$in) && cond.$in.length === 0) return exactly(NONE);
  return inexact;
}

const keysOf = (spec: IndexSpec, values: unknown[]): Filter =>
  values.length === 0 ? NONE : { kind: 'keys', index: spec.name, keys: [...new Set(values.map((v) => keyOf([v])))] };

const rangesOf = (spec: IndexSpec, ranges: [string, string][]): Filter => ({
  kind: 'ranges',
  index: spec.name,
  ranges,
  multikey: Boolean(spec.multikey),
});

/** Missing, null, or (on a field that never held arrays) nothing else: `{f: null}`. */
function nullFilter(spec: IndexSpec): Compiled {
  // an array element without the field matches null but leaves no key: only arrays-free indexes answer it
  if (spec.multikey) return inexact;
  return or([exactly(keysOf(spec, [null])), not(exactly(rangesOf(spec, [WHOLE])))]);
}

function equality(spec: IndexSpec, v: unknown): Compiled {
  if (v === null) return nullFilter(spec);
  return isScalar(v) ? exactly(keysOf(spec, [v])) : inexact;
}

function inList(spec: IndexSpec, list: unknown): Compiled {
  if (!Array.isArray(list) || list.length > 1000) return inexact;
  const values = list.filter((v) => v !== null);
  if (!values.every(isScalar)) return inexact;
  const hit = exactly(keysOf(spec, values));
  return values.length < list.length ? or([hit, nullFilter(spec)]) : hit;
}

/** One bound of a range, within the type of its value (Mongo compares values of one type only). */
function bound(spec: IndexSpec, op: string, v: unknown): Compiled {
  const tag = rangeType(v);
  if (!tag) return inexact;
  const part = keyPart(v);
  const range: [string, string] =
    op === '$gt'
      ? [justAfter(part), afterType(tag)]
      : op === '$gte'
        ? [part, afterType(tag)]
        : op === '$lt'
          ? [tag, part]
          : [tag, justAfter(part)];
  return exactly(rangesOf(spec, [range]));
}

/** Both bounds on one element: one range, for a field that never held arrays. */
function joinBounds(spec: IndexSpec, parts: Compiled[]): Compiled {
  const ranges = parts.map((p) => (p.filter.kind === 'ranges' && p.exact ? p.filter.ranges[0]! : null));
  if (spec.multikey || ranges.length !== 2 || ranges.some((r) => !r)) return and(parts);
  const [a, b] = ranges as [string, string][];
  if (a![0][0] !== b![0][0]) return exactly(NONE); // bounds of two types: no value meets both
  const lower = a![0] > b![0] ? a![0] : b![0];
  const upper = a![1] < b![1] ? a![1] : b![1];
  return exactly(lower < upper ? rangesOf(spec, [[lower, upper]]) : NONE);
}

function fieldFilter(spec: IndexSpec, cond: unknown): Compiled {
  if (!isPlainObject(cond)) return equality(spec, cond);
  const ops = Object.entries(cond);
  if (ops.length === 0 || ops.some(([op]) => !op.startsWith('$'))) return inexact;
  const bounds: Compiled[] = [];
  const others = ops.map(([op, v]): Compiled => {
    if (RANGE_OPS.includes(op)) {
      bounds.push(bound(spec, op, v));
      return exactly(ALL);
    }
    if (op === '$eq') return equality(spec, v);
    if (op === '$ne') return not(equality(spec, v));
    if (op === '$in') return inList(spec, v);
    if (op === '$nin') return not(inList(spec, v));
    if (op === '$all') {
      if (!Array.isArray(v) || v.length === 0 || !v.every(isScalar)) return Array.isArray(v) ? exactly(NONE) : inexact;
      return and(v.map((x) => exactly(keysOf(spec, [x]))));
    }
    // an empty array has the field but no key: only an index that never held arrays answers $exists
    if (op === '$exists' && typeof v === 'boolean' && !spec.multikey) {
      const has = exactly(rangesOf(spec, [WHOLE]));
      return v ? has : not(has);
    }
    return inexact;
  });
  return and([...others, ...(bounds.length ? [joinBounds(spec, bounds)] : [])]);
}
