import type { Database, AnyDb } from '../runtime/cloud';

/** A reader's position in (field, _id) order: the last document it took. */
export interface KeysetCursor {
  at: Date;
  id: string;
}

/**
 * The next page of `coll` in (field, _id) order after `after`, among the documents matching
 * `where` whose field is at most `upTo`: the rest of the documents at the cursor's instant, then
 * the later ones. Two queries, each an ordered range of an index on (…where's fields, field), so a
 * page costs the same however many documents lie behind or ahead; the one-query form
 * `_.or([{ field: _.gt(at) }, { field: at, _id: _.gt(id) }])` would be read as an unordered union.
 */
export async function pageAfter(
  db: Database,
  coll: string,
  q: { where: Record<string, unknown>; field: string; upTo: Date; after: KeysetCursor | null; limit: number },
): Promise<Record<string, unknown>[]> {
  const _ = (db as AnyDb).command;
  const c = (db as AnyDb).collection(coll);
  const later = async (cond: unknown, limit: number) =>
    (
      await c
        .where({ ...q.where, [q.field]: cond })
        .orderBy(q.field, 'asc')
        .orderBy('_id', 'asc')
        .limit(limit)
        .get()
    ).data as Record<string, unknown>[];
  if (!q.after) return later(_.lte(q.upTo), q.limit);
  const same = (
    await c
      .where({ ...q.where, [q.field]: q.after.at, _id: _.gt(q.after.id) })
      .orderBy('_id', 'asc')
      .limit(q.limit)
      .get()
  ).data as Record<string, unknown>[];
  if (same.length === q.limit) return same;
  return [...same, ...(await later(_.gt(q.after.at).and(_.lte(q.upTo)), q.limit - same.length))];
}
