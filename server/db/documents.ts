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
