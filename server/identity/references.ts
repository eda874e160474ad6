import { foldRow } from '../../core/members/fold';
import { MEMBER_DATA, repointedFields, type MemberDataEntry } from '../../core/members/registry';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';

/**
 * Every collection that points at a member, and by which field: read from the member-data
 * registry (core/members/registry.ts), which is the one place to add a collection.
 */
export const MEMBER_REFERENCES: ReadonlyArray<{ collection: string; field: string }> = repointedFields();

const BATCH = 100;

type Row = Record<string, unknown> & { _id: string };
type Updated = { stats: { updated: number } };

type Ids = { data: { _id: string }[] };

async function idsWhere(db: Database, collection: string, where: Record<string, unknown>, limit: number) {
  const page = (await db.collection(collection).where(where).field({ _id: true }).limit(limit).get()) as Ids;
  return page.data.map((d) => d._id);
}

async function repoint(db: Database, collection: string, field: string, from: string, to: string): Promise<number> {
  const _ = db.command;
  let n = 0;
  for (;;) {
    const ids = await idsWhere(db, collection, { [field]: from }, BATCH);
    if (ids.length === 0) break;
    const r = (await db
      .collection(collection)
      .where({ _id: _.in(ids), [field]: from })
      .update({ data: { [field]: to } })) as Updated;
    n += r.stats.updated;
    if (ids.length < BATCH) break;
  }
  return n;
}

/** The survivor's id for a row keyed by the loser's id (`_id` = memberId, `key:memberId` or `memberId:key`). */
function survivorRowId(entry: MemberDataEntry, rowId: string, from: string, to: string): string {
  const rule = entry.merge;
  if (rule.kind === 'fold') return to;
  if (rule.kind !== 'rekey') return rowId;
  if (rule.idOrder === 'memberLast' && rowId.endsWith(`:${from}`)) return `${rowId.slice(0, -from.length)}${to}`;
  if (rule.idOrder === 'memberFirst' && rowId.startsWith(`${from}:`)) return `${to}${rowId.slice(from.length)}`;
  return rowId;
}

/** Folds one loser row into the survivor's and removes it, in one transaction (a rerun finds it gone). */
async function foldOne(db: Database, entry: MemberDataEntry, rowId: string, from: string, to: string) {
  if (entry.merge.kind !== 'fold' && entry.merge.kind !== 'rekey') return false;
  const rule = entry.merge.folds;
  const target = survivorRowId(entry, rowId, from, to);
  if (target === rowId) return false;
  return inTransaction(db, async (tx) => {
    const loser = (await tx.collection(entry.collection).doc(rowId).get()).data as Row | null;
    if (!loser) return false;
    const survivor = (await tx.collection(entry.collection).doc(target).get()).data as Row | null;
    await tx
      .collection(entry.collection)
      .doc(target)
      .set({ data: foldRow(rule, survivor, loser, to) });
    await tx.collection(entry.collection).doc(rowId).remove();
    return true;
  });
}

async function foldRows(db: Database, entry: MemberDataEntry, from: string, to: string): Promise<number> {
  let ids: string[];
  if (entry.find.some((f) => f.by === 'id')) ids = [from];
  else {
    const field = entry.find.find((f) => f.by === 'field');
    if (!field || field.by !== 'field') return 0;
    ids = await idsWhere(db, entry.collection, { [field.field]: from }, 1000);
  }
  let n = 0;
  for (const id of ids) if (await foldOne(db, entry, id, from, to)) n++;
  return n;
}

/**
 * Moves every row of the loser to the survivor, as the registry says: references re-pointed,
 * rows keyed by member id folded into the survivor's. Each step is idempotent, so a later call for
 * the same pair finishes what a crash left.
 */
export async function moveReferences(db: Database, from: string, to: string): Promise<Record<string, number>> {
  const moved: Record<string, number> = {};
  for (const { collection, field } of MEMBER_REFERENCES) {
    const n = await repoint(db, collection, field, from, to);
    if (n) moved[`${collection}.${field}`] = n;
  }
  for (const entry of MEMBER_DATA.filter((e) => e.merge.kind === 'fold' || e.merge.kind === 'rekey')) {
    const n = await foldRows(db, entry, from, to);
    if (n) moved[`${entry.collection}._id`] = n;
  }
  return moved;
}
