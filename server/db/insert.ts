import type { Database } from '../runtime/cloud';

/** A write refused because a document with that id is already there (the one test for it). */
export const isDuplicateKey = (e: unknown): boolean =>
  /E11000|duplicate|already exists?/i.test(String((e as { message?: unknown } | null)?.message ?? ''));

/**
 * Outside a transaction, documents with ids of their own: one array insert. If some are already
 * there (a batch delivered again after a crash, or concurrently), the ones present are read by id
 * and the others inserted; a race with another writer of the same ids falls back to one `set` each.
 */
export async function insertMissing(
  db: Database,
  collection: string,
  docs: (Record<string, unknown> & { _id: string })[],
): Promise<void> {
  if (docs.length === 0) return;
  try {
    await db.collection(collection).add({ data: docs });
    return;
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
  }
  const present = new Set<string>();
  for (let i = 0; i < docs.length; i += 1000) {
    const ids = docs.slice(i, i + 1000).map((e) => e._id);
    const q = db
      .collection(collection)
      .where({ _id: db.command.in(ids) })
      .field({ _id: true })
      .limit(1000);
    const r = (await q.get()) as { data: { _id: string }[] };
    for (const d of r.data) present.add(d._id);
  }
  const missing = docs.filter((e) => !present.has(e._id));
  if (missing.length === 0) return;
  try {
    await db.collection(collection).add({ data: missing });
  } catch (e) {
    if (!isDuplicateKey(e)) throw e;
    for (const { _id, ...d } of missing) await db.collection(collection).doc(_id).set({ data: d });
  }
}
