import type { DocumentStore } from './store';
import type { IndexSpec } from './indexes';
import { afterType, justAfter, keyOf, keyPart, keyPrefixOf, rangeType } from './indexes';
import { filterSql, type Sizes } from './filter-sql';
import { compileFilter, type Filter } from './index-filter';
import { isDate } from './values';

type Query = Record<string, unknown>;
/** A requested order: [field, 1 | -1] pairs, first key first. */
export type Order = [string, 1 | -1][];

// null is left out: `{f: null}` also matches documents without f, which a sparse index does not hold.
const isScalar = (v: unknown) => ['string', 'number', 'boolean'].includes(typeof v) || isDate(v);
const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v) && !(v instanceof RegExp) && !isDate(v);

/**
 * The conditions a query puts on fields at its top level or inside top-level `$and`s: [field,
 * condition]; `whole` when that is all it says (no `$or`, `$nor` or other operator narrowing it further).
 */
export function conjuncts(query: Query): { parts: [string, unknown][]; whole: boolean } {
  const parts: [string, unknown][] = [];
  let whole = true;
  const visit = (q: Query) => {
    for (const [field, cond] of Object.entries(q)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const part of cond) {
          if (isPlainObject(part)) visit(part);
          else whole = false;
        }
      } else if (field.startsWith('$')) whole = false;
      else parts.push([field, cond]);
    }
  };
  visit(query);
  return { parts, whole };
}

/** Candidate values of an equality condition (`v`, `{$eq: v}`, `{$in: [...]}`), or null. */
function equalityValues(cond: unknown): unknown[] | null {
  if (isScalar(cond)) return [cond];
  if (!isPlainObject(cond)) return null;
  if ('$eq' in cond && isScalar(cond.$eq)) return [cond.$eq];
  if (Array.isArray(cond.$in) && cond.$in.every(isScalar) && cond.$in.length <= 1000) return cond.$in;
  return null;
}

interface Bounds {
  tag: string;
  lower?: { value: unknown; inclusive: boolean };
  upper?: { value: unknown; inclusive: boolean };
}

/** $gt/$gte/$lt/$lte bounds of one type on a field (Mongo compares within a type: `{$lt: 5}` matches numbers only). */
function boundsOf(conds: unknown[]): Bounds | null {
  let b: Bounds | null = null;
  for (const cond of conds) {
    if (!isPlainObject(cond)) continue;
    for (const [op, v] of Object.entries(cond)) {
      if (!['$gt', '$gte', '$lt', '$lte'].includes(op)) continue;
      const tag = rangeType(v);
      if (!tag || (b && b.tag !== tag)) return null;
      b ??= { tag };
      if (op === '$gt' || op === '$gte') b.lower = { value: v, inclusive: op === '$gte' };
      else b.upper = { value: v, inclusive: op === '$lte' };
    }
  }
  return b;
}

export type Plan =
  /** ids in _id order from an equality lookup */
  | { kind: 'ids'; ids: string[]; via: string }
  /**
   * ids of index keys in the ranges (one per combination of fixed values), each streamed in
   * (key, _id) order and merged by what follows the fixed values; `serves` when that is the order asked for
   */
  | { kind: 'range'; index: string; ranges: KeyRange[]; dir: 1 | -1; afterId: string; serves: boolean; via: string }
  /** each branch of a top-level `$or` by its own plan (none of them a scan); ids may repeat across branches */
  | { kind: 'union'; plans: Plan[] }
  /** documents in `_id` order after `afterId`, up to `upTo` when the query bounds `_id` from above */
  | { kind: 'scan'; afterId: string; upTo?: IdBound };

export interface IdBound {
  id: string;
  inclusive: boolean;
}

/** `_id`'s string bounds among the query's conditions (`_.gt(a).and(_.lte(b))` arrives as an `$and` of two). */
function idBounds(parts: [string, unknown][]): { afterId: string; upTo?: IdBound } {
  let afterId = '';
  let upTo: IdBound | undefined;
  for (const [field, cond] of parts) {
    if (field !== '_id' || !isPlainObject(cond)) continue;
    if (typeof cond.$gt === 'string' && cond.$gt > afterId) afterId = cond.$gt;
    for (const op of ['$lt', '$lte'] as const) {
      const v = cond[op];
      if (typeof v === 'string' && (!upTo || v < upTo.id || (v === upTo.id && op === '$lt')))
        upTo = { id: v, inclusive: op === '$lte' };
    }
  }
  return { afterId, ...(upTo ? { upTo } : {}) };
}

/**
 * Picks how to find candidates: `_id` values; else the declared index that pins the most: leading
 * fields fixed by equality (as Mongo uses an index prefix), then a range on the next field, then
 * whether its order is the order asked for. The index is read as ordered ranges (one per
 * combination of fixed values, merged), so a sorted, limited query stops after `limit` matches (the
 * tick's `nextDueAt ≤ now` by `nextDueAt` reads the due runs only, not every active run). `$in` lists
 * with no order served, and indexes that hold arrays (keys per element), give ids looked up and
 * sorted. Failing all, a top-level `$or` of indexed branches, else a scan in `_id` order. The engine
 * still filters (and, unless served, sorts) the candidates.
 */
export function plan(store: DocumentStore, coll: string, query: Query, order: Order = []): Plan {
  const { parts } = conjuncts(query);
  const eq = new Map<string, unknown[]>();
  for (const [f, c] of parts) {
    const values = equalityValues(c);
    if (values) eq.set(f, values);
  }
  const idValues = eq.get('_id');
  // documents are stored by their id as text (a number id too): the query's test then tells 8 from '8'
  if (idValues)
    return {
      kind: 'ids',
      ids: [...new Set(idValues.filter((v) => typeof v === 'string' || typeof v === 'number').map(String))].sort(),
      via: '_id',
    };

  const ids = idBounds(parts);
  let best: { score: number; make: () => Plan } | undefined;
  for (const spec of store.specsOf(coll)) {
    const candidate = planFor(store, coll, spec, eq, parts, order, ids.afterId);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  if (best) return best.make();
  return unionOf(store, coll, query, order) ?? { kind: 'scan', ...ids };
}

/** A top-level `$or` whose every branch (with the query's other conditions) has an index plan: their union. */
function unionOf(store: DocumentStore, coll: string, query: Query, order: Order): Plan | null {
  const branches = query.$or;
  if (!Array.isArray(branches) || branches.length === 0 || branches.length > 16 || !branches.every(isPlainObject))
    return null;
  const { $or: _or, ...rest } = query;
  const plans = branches.map((b) => plan(store, coll, { $and: [rest, b] }, order));
  return plans.every((p) => p.kind !== 'scan') ? { kind: 'union', plans } : null;
}

function planFor(
  store: DocumentStore,
  coll: string,
  spec: IndexSpec,
  eq: Map<string, unknown[]>,
  parts: [string, unknown][],
  order: Order,
  afterId: string,
): { score: number; make: () => Plan } | null {
  const lists: unknown[][] = [];
  for (const f of spec.fields) {
    const l = eq.get(f);
    if (!l) break;
    lists.push(l);
  }
  const full = lists.length === spec.fields.length;
  const ordered = !spec.multikey; // keys per array element do not sort the documents
  const next = full ? undefined : spec.fields[lists.length];
  const bounds = ordered && next ? boundsOf(parts.filter(([f]) => f === next).map(([, c]) => c)) : null;
  if (lists.length === 0 && !bounds) return null; // sparse: only a condition on the field keeps the missing out
  const combos = cartesian(lists);
  if (combos.length > 1000) return null;
  const served = ordered
    ? servedOrder(order, new Set(spec.fields.slice(0, lists.length).filter((f) => eq.get(f)!.length === 1)), next, full)
    : null;
  const score = lists.length * 2 + (full ? 0.25 : 0) + (bounds ? 1 : 0) + (served ? 0.5 : 0);
  // one value per fixed field, or several when an order is asked for and served: ranges read lazily
  // (merged in order); otherwise the ids are looked up at once and sorted
  if (!ordered || (combos.length > 1 && (!served || order.length === 0))) {
    const how = full ? 'lookup' : 'lookupPrefix';
    return {
      score,
      make: () => ({
        kind: 'ids',
        ids: idsOf(store, coll, spec.name, lists, full ? keyOf : keyPrefixOf, how),
        via: full ? spec.name : `${spec.name} (prefix)`,
      }),
    };
  }
  return {
    score,
    make: () => {
      const ranges = combos.map((fixed) => keyRange(fixed, full, bounds));
      const via = full ? spec.name : bounds ? `${spec.name} (range)` : `${spec.name} (prefix)`;
      const dir = served?.dir ?? 1;
      return {
        kind: 'range',
        index: spec.name,
        ranges,
        dir,
        afterId: dir === -1 ? '' : afterId,
        serves: Boolean(served),
        via,
      };
    },
  };
}

/** A [lower, upper) key range whose keys all begin with the fixed values' text (`prefix` characters long). */
export interface KeyRange {
  lower: string;
  upper: string;
  prefix: number;
}

/** The key range of the fixed leading values and, on the next field, the bounds. */
function keyRange(fixed: unknown[], full: boolean, bounds: Bounds | null): KeyRange {
  if (full) {
    const k = keyOf(fixed);
    return { lower: k, upper: justAfter(k), prefix: k.length };
  }
  const p = fixed.length ? keyPrefixOf(fixed) : '';
  if (!bounds) return { lower: p, upper: `${p.slice(0, -1)}\u0001`, prefix: p.length };
  const lo = bounds.lower
    ? bounds.lower.inclusive
      ? keyPart(bounds.lower.value)
      : justAfter(keyPart(bounds.lower.value))
    : bounds.tag;
  const hi = bounds.upper
    ? bounds.upper.inclusive
      ? justAfter(keyPart(bounds.upper.value))
      : keyPart(bounds.upper.value)
    : afterType(bounds.tag);
  return { lower: p + lo, upper: p + hi, prefix: p.length };
}

/**
 * Whether reading the index in (key, _id) order gives the requested order, and in which direction:
 * once the fields the query fixes are set aside, the order must be the next index field (then
 * perhaps `_id` the same way), or only `_id` when every field is fixed, or nothing.
 */
function servedOrder(
  order: Order,
  fixed: Set<string>,
  next: string | undefined,
  full: boolean,
): { dir: 1 | -1 } | null {
  const rest = order.filter(([f]) => !fixed.has(f));
  if (rest.length === 0) return { dir: 1 };
  const [first, second] = rest;
  const dir = first![1];
  if (full) return rest.length === 1 && first![0] === '_id' ? { dir } : null;
  if (first![0] !== next) return null;
  if (rest.length === 1 || (rest.length === 2 && second![0] === '_id' && second![1] === dir)) return { dir };
  return null;
}

function idsOf(
  store: DocumentStore,
  coll: string,
  index: string,
  lists: unknown[][],
  key: (values: unknown[]) => string,
  how: 'lookup' | 'lookupPrefix',
): string[] {
  const ids = new Set<string>();
  for (const combo of cartesian(lists)) for (const id of store[how](coll, index, key(combo))) ids.add(id);
  return [...ids].sort();
}

function cartesian(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}

/** SQLite's order of text (UTF-8 bytes, that is code points): a surrogate pair sorts after every other UTF-16 unit. */
function byteOrder(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800 && x <= 0xdfff) x += 0x10000;
    if (y >= 0xd800 && y <= 0xdfff) y += 0x10000;
    return x < y ? -1 : 1;
  }
  return a.length < b.length ? -1 : 1;
}

function* idsIn(entries: Iterable<{ id: string }>): Generator<string> {
  for (const e of entries) yield e.id;
}

/**
 * The ids of a range plan in its order: each range read lazily, several merged by the key text after
 * their fixed values, then `_id` (`type in [a, b]` by `at`: two ranges of `type_at`, merged by `at`).
 */
export function* rangeIds(store: DocumentStore, coll: string, p: Extract<Plan, { kind: 'range' }>): Generator<string> {
  const streams = p.ranges.map((r) => ({
    it: store.range(coll, p.index, r.lower, r.upper, p.dir, p.afterId),
    prefix: r.prefix,
  }));
  if (streams.length === 1) return yield* idsIn(streams[0]!.it);
  const heads = streams.map((s) => ({ ...s, head: s.it.next() }));
  const rest = (h: (typeof heads)[number]) => (h.head.done ? '' : h.head.value.key.slice(h.prefix));
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const h of heads) {
      if (h.head.done) continue;
      if (!best) best = h;
      else {
        const c = byteOrder(rest(h), rest(best)) || byteOrder(h.head.value.id, best.head.value!.id);
        if (c * p.dir < 0) best = h;
      }
    }
    if (!best || best.head.done) return;
    yield best.head.value.id;
    best.head = best.it.next();
  }
}

const WHOLE: [string, string] = ['0', '8']; // every key: type tags run from '0' to '7'

/**
 * A count answered from indexes alone, when every condition is one an index answers exactly:
 * equality or `$in` on a field with a single-field index (or first in a compound one without
 * arrays), a range or `$exists` on a single-field one that never
 * held arrays (sparse: it holds exactly the documents that have the field). The id sets are
 * intersected (smallest first) and the `$exists: false` ones subtracted, reading no document — a
 * segment preview over a million members. Null when any condition needs the documents.
 */
export function exactCount(store: DocumentStore, coll: string, query: Query): number | null {
  const { parts, whole } = conjuncts(query);
  if (!whole || parts.length === 0) return null;
  const single = new Map<string, IndexSpec>();
  // a compound index without arrays answers equality on its first field (its prefix) too
  const leading = new Map<string, IndexSpec>();
  for (const s of store.specsOf(coll)) {
    if (s.fields.length === 1) single.set(s.fields[0]!, s);
    else if (!s.multikey) leading.set(s.fields[0]!, s);
  }
  // equality on a single-field index: intersected inside SQLite; the rest as id sets here
  const keyed: { index: string; keys: string[] }[] = [];
  const positive: (() => Iterable<string>)[] = [];
  const negative: (() => Iterable<string>)[] = [];
  for (const [field, cond] of parts) {
    if (field === '_id') return null;
    const values = equalityValues(cond);
    const prefixSpec = leading.get(field);
    if (values && !single.has(field) && prefixSpec) {
      positive.push(() => values.flatMap((v) => store.lookupPrefix(coll, prefixSpec.name, keyPrefixOf([v]))));
      continue;
    }
    const spec = single.get(field);
    if (!spec) return null;
    if (values) {
      if (values.length === 0) return 0;
      keyed.push({ index: spec.name, keys: [...new Set(values.map((v) => keyOf([v])))] });
      continue;
    }
    if (!isPlainObject(cond)) return null;
    const ops = Object.keys(cond);
    // an empty array has the field but no key: only an index that never held arrays answers $exists
    if (ops.length === 1 && ops[0] === '$exists' && typeof cond.$exists === 'boolean' && !spec.multikey) {
      (cond.$exists ? positive : negative).push(() => idsIn(store.range(coll, spec.name, WHOLE[0], WHOLE[1], 1)));
      continue;
    }
    const bounds = ops.every((op) => ['$gt', '$gte', '$lt', '$lte'].includes(op)) ? boundsOf([cond]) : null;
    if (!bounds || spec.multikey) return null;
    const r = keyRange([], false, bounds);
    positive.push(() => idsIn(store.range(coll, spec.name, r.lower, r.upper, 1)));
  }
  if (keyed.length === 0 && positive.length === 0) return null;
  // the smallest keyed set drives the intersection
  keyed.sort((a, b) => store.countKeys(coll, a.index, a.keys) - store.countKeys(coll, b.index, b.keys));
  if (keyed.length && positive.length === 0 && negative.length === 0)
    return store.intersect(coll, keyed, 'count') as number;
  const sets = [...(keyed.length ? [() => store.intersect(coll, keyed, 'ids') as string[]] : []), ...positive]
    .map((read) => new Set(read()))
    .sort((a, b) => a.size - b.size);
  const without = negative.map((read) => new Set(read()));
  let n = 0;
  for (const id of sets[0]!) if (sets.every((s) => s.has(id)) && without.every((s) => !s.has(id))) n++;
  return n;
}

const sizesOf = (store: DocumentStore, coll: string): Sizes => ({
  countKeys: (index, keys) => store.countKeys(coll, index, keys),
  countRange: (index, lower, upper) => store.countRange(coll, index, lower, upper),
  rows: () => store.approxCount(coll),
  scanShare: store.scanShare,
  scalars: store.scalarsOf(coll),
});

/**
 * A count answered inside SQLite when indexes decide every condition (`compileFilter`): ands, ors
 * and nors of equality, ranges, `$in`/`$nin`/`$all`/`$ne`/`$exists` — a segment of a million
 * members counted without reading one. Null otherwise.
 */
export function filteredCount(store: DocumentStore, coll: string, query: Query): number | null {
  const { filter, exact } = compileFilter(store.specsOf(coll), query);
  if (!exact) return null;
  if (filter.kind === 'none') return 0;
  if (filter.kind === 'all') return store.count(coll);
  return store.countFiltered(filterSql(coll, filter, sizesOf(store, coll), false));
}

const leaves = (f: Filter): number =>
  f.kind === 'keys' || f.kind === 'ranges'
    ? 1
    : f.kind === 'and' || f.kind === 'or'
      ? f.parts.reduce((n, p) => n + leaves(p), 0)
      : f.kind === 'not'
        ? leaves(f.part)
        : 0;

/**
 * Candidate ids in `_id` order for a query ordered by `_id`, when its indexed conditions are more
 * than one index read: they are combined inside SQLite, so a page of ten members of a segment
 * reads about ten documents (each still tested). Null when one index or none decides.
 */
export function filteredIdsInOrder(store: DocumentStore, coll: string, query: Query): Iterable<string> | null {
  const { filter } = compileFilter(store.specsOf(coll), query);
  if (leaves(filter) < 2) return null;
  return store.filteredIds(filterSql(coll, filter, sizesOf(store, coll), true));
}
