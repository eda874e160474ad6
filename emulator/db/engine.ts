import { randomUUID } from 'node:crypto';
import { Aggregator } from 'mingo/aggregator';
import { Query } from 'mingo/query';
import { isDeepStrictEqual } from 'node:util';
import { updateMany } from 'mingo/updater';
import { resolve } from 'mingo/util';
import { TcbCodes, TcbError, duplicateKey } from './errors';
import { exactCount, filteredCount, filteredIdsInOrder, plan, rangeIds } from './planner';
import type { IdBound, Order, Plan } from './planner';
import type { DocumentStore, Write } from './store';
import { cloneDoc, type Doc } from './values';
import { emulatorContext as context } from './operators';

export type Q = Record<string, unknown>;
export interface FindOptions {
  order?: Record<string, 1 | -1>;
  offset?: number;
  limit: number;
  projection?: Record<string, 0 | 1>;
}
export interface ModifyOptions {
  multi: boolean;
  merge: boolean;
  upsert: boolean;
}

/** Documents that may match a query (a superset), each once; `ordered` when they come in the order asked for. */
export interface Candidates {
  docs: Iterable<Doc>;
  ordered: boolean;
}

/** What a read sees: committed documents, or committed documents under a transaction's own writes. */
export interface View {
  get(coll: string, id: string): Doc | undefined;
  candidates(coll: string, query: Q, order?: Order): Candidates;
  /** The number of matches when indexes alone answer it (committed data only). */
  exactCount?(coll: string, query: Q): number | null;
}

const idOrder = (order: Order) =>
  order.length === 0 || (order.length === 1 && order[0]![0] === '_id' && order[0]![1] === 1);

/** 32 hex characters, like CloudBase's generated ids. */
export const newId = (): string => randomUUID().replace(/-/g, '');

function* docsOf(store: DocumentStore, coll: string, ids: Iterable<string>): Generator<Doc> {
  for (const id of ids) {
    const d = store.get(coll, id);
    if (d) yield d.doc;
  }
}

function* scanDocs(
  store: DocumentStore,
  coll: string,
  afterId: string,
  upTo?: IdBound,
  dir: 1 | -1 = 1,
): Generator<Doc> {
  for (const row of store.scan(coll, afterId, upTo, dir)) yield row.doc;
}

function* unique(lists: Iterable<string>[]): Generator<string> {
  const seen = new Set<string>();
  for (const list of lists)
    for (const id of list)
      if (!seen.has(id)) {
        seen.add(id);
        yield id;
      }
}

function idsOfPlan(store: DocumentStore, coll: string, p: Exclude<Plan, { kind: 'scan' }>): Iterable<string> {
  if (p.kind === 'ids') return p.ids;
  if (p.kind === 'range') return rangeIds(store, coll, p);
  return unique(p.plans.map((b) => idsOfPlan(store, coll, b as Exclude<Plan, { kind: 'scan' }>)));
}

function* insertedDocs(store: DocumentStore, coll: string): Generator<Doc> {
  for (const row of store.scanInserted(coll)) yield row.doc;
}

/**
 * Without an orderBy, documents come in insertion order from a scan or an equality lookup (as the
 * service's collection scans give them); a range or union read gives index order.
 */
export const committedView = (store: DocumentStore): View => ({
  get: (coll, id) => store.get(coll, id)?.doc,
  candidates(coll, query, order = []) {
    if (order.length === 1 && idOrder(order)) {
      const ids = filteredIdsInOrder(store, coll, query);
      if (ids) return { docs: docsOf(store, coll, ids), ordered: true };
    }
    const p = plan(store, coll, query, order);
    if (p.kind === 'scan' && order.length === 0) return { docs: insertedDocs(store, coll), ordered: true };
    // `_id` descending alone (the last member): the scan read backwards
    if (p.kind === 'scan' && !p.upTo && order.length === 1 && order[0]![0] === '_id' && order[0]![1] === -1)
      return { docs: scanDocs(store, coll, p.afterId, undefined, -1), ordered: true };
    if (p.kind === 'scan') return { docs: scanDocs(store, coll, p.afterId, p.upTo), ordered: idOrder(order) };
    if (p.kind === 'ids' && order.length === 0 && p.ids.length > 1) {
      return { docs: docsOf(store, coll, store.inInsertionOrder(coll, p.ids)), ordered: true };
    }
    if (p.kind === 'range' && p.ranges.length === 1) {
      const r = p.ranges[0]!;
      return { docs: store.rangeDocs(coll, p.index, r.lower, r.upper, p.dir, p.afterId), ordered: p.serves };
    }
    // a union's branches come one after the other: in order only when none was asked for
    const ordered = p.kind === 'ids' ? idOrder(order) : p.kind === 'range' ? p.serves : order.length === 0;
    return { docs: docsOf(store, coll, idsOfPlan(store, coll, p)), ordered };
  },
  exactCount: (coll, query) => filteredCount(store, coll, query) ?? exactCount(store, coll, query),
});

/**
 * A where-query as a test. `{ _id: <id> }` (every document get, update and remove by id) is
 * compared directly: mingo copies its operator tables into each new Query, which cost more than the
 * rest of such a call.
 */
function compile(query: Q): { test(doc: Doc): boolean } {
  const keys = Object.keys(query);
  const id = query._id;
  if (keys.length === 1 && keys[0] === '_id' && (typeof id === 'string' || typeof id === 'number'))
    return { test: (doc) => doc._id === id };
  return new Query(query, { context });
}

/** Runs a where-query: filter, then order / offset / limit / projection, stopping early when order allows. */
export function find(view: View, coll: string, query: Q, opts: FindOptions): Doc[] {
  const q = compile(query);
  const order = Object.entries(opts.order ?? {}) as Order;
  const offset = opts.offset ?? 0;
  const matched: Doc[] = [];
  const { docs, ordered } = view.candidates(coll, query, order);
  for (const doc of docs) {
    if (!q.test(doc)) continue;
    matched.push(doc);
    if (ordered && matched.length >= offset + opts.limit) break;
  }
  const projection = opts.projection && Object.keys(opts.projection).length ? opts.projection : undefined;
  if (!projection && (ordered || order.length === 0)) return matched.slice(offset, offset + opts.limit);
  const picked = projection && (ordered || order.length === 0) ? topLevelInclusion(projection) : null;
  if (picked) return matched.slice(offset, offset + opts.limit).map(picked);
  let cursor = new Query({}, { context }).find<Doc>(matched, projection);
  if (!ordered && order.length) cursor = cursor.sort(opts.order!);
  return cursor.skip(offset).limit(opts.limit).all() as Doc[];
}

/**
 * A projection that keeps some top-level fields (and `_id` unless it says 0): each document's
 * fields taken in its own order, as mingo's projection gives them, without its per-call set-up.
 * Null for any other projection (paths, operators, exclusions).
 */
function topLevelInclusion(projection: Record<string, unknown>): ((doc: Doc) => Doc) | null {
  const keep = new Set<string>(['_id']);
  for (const [field, v] of Object.entries(projection)) {
    if (field === '_id' && (v === 0 || v === false)) keep.delete('_id');
    else if (field.includes('.') || field.startsWith('$') || (v !== 1 && v !== true)) return null;
    else keep.add(field);
  }
  return (doc) => {
    const out: Doc = {};
    for (const k of Object.keys(doc)) if (keep.has(k)) out[k] = cloneDoc(doc[k]);
    return out;
  };
}

export function count(view: View, coll: string, query: Q): number {
  const exact = view.exactCount?.(coll, query);
  if (exact !== null && exact !== undefined) return exact;
  const q = compile(query);
  let n = 0;
  for (const doc of view.candidates(coll, query).docs) if (q.test(doc)) n++;
  return n;
}

/**
 * mingo 7.2.7 puts a value equal to an inner boundary in the bucket below it (Mongo: lower bound
 * inclusive), so `$bucket` runs as the equivalent `$group` over a `$switch`, then sorts by bucket.
 */
function bucketAsGroup(spec: { groupBy: unknown; boundaries: unknown[]; default?: unknown; output?: Q }): Q[] {
  const branches = spec.boundaries.slice(0, -1).map((low, i) => ({
    case: { $and: [{ $gte: [spec.groupBy, low] }, { $lt: [spec.groupBy, spec.boundaries[i + 1]] }] },
    then: low,
  }));
  return [
    {
      $group: {
        _id: { $switch: { branches, default: spec.default ?? null } },
        ...(spec.output ?? { count: { $sum: 1 } }),
      },
    },
    { $sort: { _id: 1 } },
  ];
}

const rewrite = (pipeline: Q[]): Q[] =>
  pipeline.flatMap((stage) => ('$bucket' in stage ? bucketAsGroup(stage.$bucket as never) : [stage]));

type Lookup = { from?: unknown; localField?: string; foreignField?: string; pipeline?: unknown; let?: unknown };

/**
 * A `$lookup` by fields joins only the documents its local values can match, read as a query's
 * candidates (an index or `_id` lookup), rather than the whole collection; any other stays as it is.
 */
function narrowLookup(view: View, stage: Q, docs: Doc[]): Q {
  const l = stage.$lookup as Lookup | undefined;
  if (!l || typeof l.from !== 'string' || !l.localField || !l.foreignField || l.pipeline || l.let) return stage;
  const values = new Set<string | number>();
  for (const doc of docs)
    for (const v of [resolve(doc, l.localField)].flat()) {
      // null, missing or nested values match as mingo decides: keep the whole collection for them
      if (typeof v !== 'string' && typeof v !== 'number') return stage;
      values.add(v);
    }
  const from = [...view.candidates(l.from, { [l.foreignField]: { $in: [...values] } }).docs];
  return { $lookup: { ...l, from } };
}

export function aggregate(store: DocumentStore, coll: string, input: Q[]): Doc[] {
  const pipeline = rewrite(input);
  const view = committedView(store);
  const match = (pipeline[0] as { $match?: Q } | undefined)?.$match;
  let docs = [...view.candidates(coll, match ?? {}).docs];
  // a leading $match is applied here as a query would be (a lone `_id` compared directly)
  if (match) {
    const q = compile(match);
    docs = docs.filter((doc) => q.test(doc));
  }
  const options = {
    context,
    collectionResolver: (name: string) => [...committedView(store).candidates(name, {}).docs],
  } as never;
  // each lookup learns the local values it joins on from the stages before it
  const stages: Q[] = [];
  for (const stage of match ? pipeline.slice(1) : pipeline) {
    if (!('$lookup' in stage)) stages.push(stage);
    else {
      const before = stages.length ? (new Aggregator(stages as never, options).run(docs) as Doc[]) : docs;
      stages.push(narrowLookup(view, stage, before));
    }
  }
  return stages.length ? (new Aggregator(stages as never, options).run(docs) as Doc[]) : docs;
}

/** Prepares inserts: assigns missing ids and refuses ids already present (in the view or twice in the batch). */
export function planInsert(view: View, coll: string, docs: Doc[]): Write[] {
  const seen = new Set<string>();
  return docs.map((input) => {
    refuseDollarKeys(input);
    const doc = { ...input };
    const generated = doc._id === undefined || doc._id === null;
    if (generated) doc._id = newId();
    if (typeof doc._id !== 'string' && typeof doc._id !== 'number')
      throw new TcbError(TcbCodes.invalidParam, '_id must be a string or a number');
    const id = String(doc._id);
    // a generated id is 122 random bits: only a caller's own id can collide
    if (!generated && (seen.has(id) || view.get(coll, id))) throw duplicateKey(coll, '_id_', JSON.stringify([id]));
    seen.add(id);
    // a generated id is new; a given one was just checked absent
    return { coll, id, doc, before: null };
  });
}

/**
 * Applies one update document to copies of `docs`; returns each copy and whether anything changed.
 * One mingo call for all of them: mingo builds its operator tables on every call, which used to
 * cost more than the update itself when a multi-document update called it once per document.
 */
export function updatedAll(docs: Doc[], data: Q): { doc: Doc; changed: boolean }[] {
  const ops = Object.keys(data).some((k) => k.startsWith('$')) ? data : { $set: data };
  for (const fields of Object.values(ops)) {
    if (fields && typeof fields === 'object' && '_id' in (fields as object))
      throw new TcbError(TcbCodes.invalidParam, 'cannot update _id');
  }
  if (docs.length === 0) return [];
  const copies = docs.map(cloneDoc);
  if (setsPlainPaths(copies, ops)) return copies.map((doc, i) => ({ doc, changed: !isDeepStrictEqual(doc, docs[i]) }));
  try {
    updateMany(copies, {}, ops as never, { cloneMode: 'deep' }, { context });
  } catch (e) {
    throw new TcbError(TcbCodes.invalidParam, `invalid update: ${(e as Error).message}`);
  }
  return copies.map((doc, i) => ({ doc, changed: !isDeepStrictEqual(doc, docs[i]) }));
}

/**
 * The common update, a `$set` of fields whose parents are objects or absent, applied directly to
 * the copies (what mingo does for it, without building its operator tables per call). False, with
 * the copies untouched, for anything else: mingo applies it.
 */
function setsPlainPaths(copies: Doc[], ops: Q): boolean {
  const keys = Object.keys(ops);
  if (keys.length !== 1 || keys[0] !== '$set') return false;
  const fields = ops.$set as Q;
  if (!fields || typeof fields !== 'object' || Array.isArray(fields)) return false;
  const paths = Object.keys(fields).map((p) => p.split('.'));
  const plainObject = (v: unknown) =>
    v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
  const fits = (doc: Doc, path: string[]) => {
    let at: unknown = doc;
    for (const part of path.slice(0, -1)) {
      at = (at as Q)[part];
      if (at === undefined) return true;
      if (!plainObject(at)) return false;
    }
    return true;
  };
  const joined = paths.map((p) => p.join('.'));
  const nested = joined.some((p) => joined.some((q) => q !== p && q.startsWith(`${p}.`)));
  if (nested || paths.some((p) => p.some((part) => part === '' || /^\d+$/.test(part)))) return false;
  if (!copies.every((doc) => paths.every((p) => fits(doc, p)))) return false;
  for (const doc of copies) {
    paths.forEach((path, i) => {
      let at = doc as Q;
      for (const part of path.slice(0, -1)) at = (at[part] ??= {}) as Q;
      at[path[path.length - 1]!] = cloneDoc(fields[joined[i]!]);
    });
  }
  return true;
}

/** The top-level fields in which two versions of a document differ. */
function touched(before: Doc, after: Doc): string[] {
  const fields = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...fields].filter((f) => !isDeepStrictEqual(before[f], after[f]));
}

/**
 * Plans a modifyDocument: the writes, the number of documents matched (changed or not, as the
 * service counts), each matched document as it is after the update, and the id of an upserted one.
 */
export function planModify(view: View, coll: string, query: Q, data: Q, opts: ModifyOptions) {
  refuseDollarFields(data, opts.merge);
  const q = compile(query);
  const writes: Write[] = [];
  const matches: Doc[] = [];
  for (const doc of view.candidates(coll, query).docs) {
    if (!q.test(doc)) continue;
    matches.push(doc);
    if (!opts.multi) break;
  }
  // a replacement (`set`) is compared field by field once, for both whether and where it changed
  const replaced = opts.merge
    ? null
    : matches.map((before) => {
        const doc = { ...data, _id: before._id } as Doc;
        return { doc, fields: touched(before, doc) };
      });
  const next = replaced?.map((r) => ({ doc: r.doc, changed: r.fields.length > 0 })) ?? updatedAll(matches, data);
  const docs = next.map((n, i) => {
    const before = matches[i]!;
    const fields = replaced ? replaced[i]!.fields : n.changed ? touched(before, n.doc) : [];
    if (n.changed) writes.push({ coll, id: String(before._id), doc: n.doc, before, touched: fields });
    return n.doc;
  });
  let upsertId: string | null = null;
  if (matches.length === 0 && opts.upsert) {
    const id = typeof query._id === 'string' ? query._id : newId();
    const base: Doc = { _id: id };
    const doc = opts.merge ? updatedAll([base], data)[0]!.doc : { ...data, _id: id };
    writes.push({ coll, id, doc, before: null });
    docs.push(doc);
    upsertId = id;
  }
  return { writes, updated: upsertId ? 0 : matches.length, upsertId, docs };
}

const dollarField = (path: string) =>
  new TcbError(TcbCodes.requestFailed, `The dollar ($) prefixed field '${path}' is not valid for storage.`);

/** Refuses field names starting with `$` anywhere in a stored value (Mongo's storage rule). */
export function refuseDollarKeys(value: unknown, path = ''): void {
  if (Array.isArray(value)) return value.forEach((v, i) => refuseDollarKeys(v, `${path}.${i}`));
  if (!value || typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return;
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (k.startsWith('$')) throw dollarField(at);
    refuseDollarKeys(v, at);
  }
}

/** In update data the top-level keys are operators; the fields and values under them are checked. */
function refuseDollarFields(data: Q, merge: boolean): void {
  if (!merge || !Object.keys(data).some((k) => k.startsWith('$'))) return refuseDollarKeys(data);
  for (const [op, fields] of Object.entries(data)) {
    if (!fields || typeof fields !== 'object') continue;
    for (const [field, v] of Object.entries(fields)) {
      if (field.split('.').some((part) => part.startsWith('$'))) throw dollarField(field);
      // what these store is checked; the others hold modifiers or conditions ($each, $gt, …)
      if (op === '$set' || op === '$setOnInsert') refuseDollarKeys(v, field);
      const added = v && typeof v === 'object' && '$each' in v ? v.$each : v;
      if (op === '$push' || op === '$addToSet') refuseDollarKeys(added, field);
    }
  }
}

export function planRemove(view: View, coll: string, query: Q, multi: boolean): Write[] {
  const q = compile(query);
  const writes: Write[] = [];
  for (const doc of view.candidates(coll, query).docs) {
    if (!q.test(doc)) continue;
    writes.push({ coll, id: String(doc._id), doc: null, before: doc });
    if (!multi) break;
  }
  return writes;
}
