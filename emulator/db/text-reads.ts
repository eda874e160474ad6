import { conjuncts, plan, type Order } from './planner';
import type { DocumentStore } from './store';
import type { FindOptions, Q } from './engine';

const RANGE_OPS = new Set(['$gt', '$gte', '$lt', '$lte']);
const isPlain = (v: unknown): v is Record<string, unknown> =>
  Boolean(v) && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** Whether every condition is a string range on `field` (what a key range or an `_id` scan enforces exactly). */
function onlyStringRanges(parts: [string, unknown][], field: string, ops: Set<string>): boolean {
  return parts.every(
    ([f, cond]) =>
      f === field && isPlain(cond) && Object.entries(cond).every(([op, v]) => ops.has(op) && typeof v === 'string'),
  );
}

/** What a projection keeps under a field: the whole value (true) or some of its fields, by path. */
type Kept = Map<string, true | Kept>;

/**
 * What an inclusion projection keeps (`_id` unless it says 0), its dotted paths as a tree; null for
 * anything else (exclusions, operators, a path that is both kept whole and in part).
 */
function keptFields(projection: Record<string, unknown> | undefined): Kept | null {
  const keep: Kept = new Map([['_id', true]]);
  for (const [field, v] of Object.entries(projection ?? {})) {
    if (field === '_id' && (v === 0 || v === false)) {
      keep.delete('_id');
      continue;
    }
    const path = field.split('.');
    if ((v !== 1 && v !== true) || path.some((f) => f === '' || f.startsWith('$') || f === '__proto__')) return null;
    let node = keep;
    for (const [i, f] of path.entries()) {
      const at = node.get(f);
      if (i === path.length - 1) {
        if (at !== undefined && !(at === true && f === '_id' && node === keep)) return null;
        node.set(f, true);
      } else if (at === true) return null;
      else if (at) node = at;
      else {
        const sub: Kept = new Map();
        node.set(f, sub);
        node = sub;
      }
    }
  }
  return keep;
}

/**
 * A committed read answered from the stored text, when the index range or `_id` scan it reads
 * decides the whole query and gives its order: no document is revived, tested and written out again,
 * only the kept fields cut out of the stored JSON (which already is the relaxed EJSON the SDK parses).
 * Null when the read needs the documents themselves (the usual path then answers it).
 */
export function findText(store: DocumentStore, coll: string, query: Q, opts: FindOptions): string[] | null {
  const { parts, whole } = conjuncts(query);
  const order = Object.entries(opts.order ?? {}) as Order;
  const keep = keptFields(opts.projection);
  if (!whole || !keep) return null;
  const p = plan(store, coll, query, order);
  let texts: Iterable<string>;
  if (p.kind === 'scan') {
    const byId = order.length === 1 && order[0]![0] === '_id' && order[0]![1] === 1;
    if (!byId || !onlyStringRanges(parts, '_id', new Set(['$gt', '$lt', '$lte']))) return null;
    texts = store.scanText(coll, p.afterId, p.upTo);
  } else if (p.kind === 'range' && p.ranges.length === 1 && p.serves && p.dir === 1 && !p.afterId) {
    const spec = store.specsOf(coll).find((s) => s.name === p.index);
    if (!spec || spec.multikey || !onlyStringRanges(parts, spec.fields[0]!, RANGE_OPS)) return null;
    texts = store.rangeText(coll, p.index, p.ranges[0]!.lower, p.ranges[0]!.upper);
  } else return null;
  const out: string[] = [];
  const skip = opts.offset ?? 0;
  let seen = 0;
  const all = opts.projection === undefined || Object.keys(opts.projection).length === 0;
  for (const text of texts) {
    if (seen++ < skip) continue;
    out.push(all ? text : pick(text, keep));
    if (out.length >= opts.limit) break;
  }
  return out;
}

/** Whether a stored value is a document (not an array, nor a typed value such as `{"$date": …}`). */
const isDocument = (v: unknown): v is Record<string, unknown> =>
  isPlain(v) && !Object.keys(v).some((k) => k.startsWith('$'));

/**
 * A stored value cut to the kept paths, as the general path's projection gives it: a document keeps
 * the kept fields it has, an array its documents and arrays each cut alike, any other value nothing.
 */
function cut(value: unknown, keep: Kept): unknown {
  if (Array.isArray(value)) return value.filter((v) => Array.isArray(v) || isDocument(v)).map((v) => cut(v, keep));
  if (!isDocument(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) {
    const sub = keep.get(k);
    if (sub === undefined) continue;
    const v = sub === true ? value[k] : cut(value[k], sub);
    if (v !== undefined) out[k] = v;
  }
  return out;
}

function pick(text: string, keep: Kept): string {
  return JSON.stringify(cut(JSON.parse(text), keep));
}
