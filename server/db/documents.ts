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
