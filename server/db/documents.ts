import type { Database } from '../runtime/cloud';

/** Typed reads over the SDK, whose own typings answer `string | void | …` for a document get. */
export async function readDoc<T>(db: Database, coll: string, id: string): Promise<T | null> {
  const r = (await db.collection(coll).doc(id).get()) as { data?: T | null };
  return r.data ?? null;
}

/** `doc(id).set()` takes the body without `_id`; the id is the doc's address. */
export function body<T extends { _id: string }>(doc: T): Record<string, unknown> {
  const { _id, ...rest } = doc;
  void _id;
  return rest;
}

/** A document body without undefined fields, at any depth (the SDK's serializer does not take them). */
export const clean = <T extends object>(o: T): Record<string, unknown> => stripUndefined(o as Record<string, unknown>);

/** Plain data only: SDK commands (`_.inc()`, `_.remove()`) and Dates are instances of classes and pass untouched. */
const isPlain = (x: unknown): x is Record<string, unknown> => {
  if (!x || typeof x !== 'object') return false;
  const proto = Object.getPrototypeOf(x) as object | null;
  // any realm's Object.prototype (test sandboxes have their own) has no prototype above it
  return proto === null || Object.getPrototypeOf(proto) === null;
};
const cleanValue = (x: unknown): unknown => (isPlain(x) ? stripUndefined(x) : x);

function stripUndefined(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === undefined) continue;
    out[k] = Array.isArray(x) ? x.map(cleanValue) : cleanValue(x);
  }
  return out;
}

const sortedKeys = (x: Record<string, unknown>) =>
  Object.fromEntries(
    Object.keys(x)
      .filter((k) => x[k] !== undefined)
      .sort()
      .map((k) => [k, x[k]]),
  );

/** Canonical text of a value with sorted keys, for "did anything change" checks. */
export function canonical(v: unknown): string {
  const sortable = (x: unknown): x is Record<string, unknown> =>
    !!x && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Date);
  return JSON.stringify(v, (_k, x: unknown) => (sortable(x) ? sortedKeys(x) : x));
}

/** A value as JSON.stringify sees it: after `toJSON` (a Date becomes its ISO text), a non-finite number as null. */
function jsonValue(x: unknown): unknown {
  if (x === null || typeof x !== 'object') return typeof x === 'number' && !Number.isFinite(x) ? null : x;
  const v =
    x !== null && typeof x === 'object' && typeof (x as { toJSON?: unknown }).toJSON === 'function'
      ? (x as { toJSON: () => unknown }).toJSON()
      : x;
  return typeof v === 'number' && !Number.isFinite(v) ? null : v;
}

const leftOut = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

/**
 * `canonical(a) === canonical(b)` without writing either out: compared field by field, stopping at
 * the first difference (the rebuild asks it of every member, and the text cost more than the rest).
 */
export function sameCanonical(a: unknown, b: unknown, inArray = false): boolean {
  if (a instanceof Date && b instanceof Date) {
    const [s, t] = [a.getTime(), b.getTime()];
    return s === t || (Number.isNaN(s) && Number.isNaN(t));
  }
  let x = jsonValue(a);
  let y = jsonValue(b);
  if (inArray) {
    if (leftOut(x)) x = null;
    if (leftOut(y)) y = null;
  }
  if (x === y) return true;
  if (x === null || y === null || typeof x !== 'object' || typeof y !== 'object') return false;
  if (Array.isArray(x) || Array.isArray(y)) {
    if (!Array.isArray(x) || !Array.isArray(y) || x.length !== y.length) return false;
    for (let i = 0; i < x.length; i++) if (!sameCanonical(x[i], y[i], true)) return false;
    return true;
  }
  const xo = x as Record<string, unknown>;
  const yo = y as Record<string, unknown>;
  let fields = 0;
  for (const k of Object.keys(xo)) {
    const v = xo[k];
    if (leftOut(v)) continue;
    fields++;
    if (!Object.prototype.hasOwnProperty.call(yo, k) || !sameCanonical(v, yo[k])) return false;
  }
  for (const k of Object.keys(yo)) if (!leftOut(yo[k])) fields--;
  return fields === 0;
}
