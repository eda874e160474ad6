import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { body } from '../db/documents';
import type { MemberDoc } from './documents';

/**
 * The `members` collection for the other modules: they read and write member documents through
 * these functions. Merges are followed by `./resolve` only; what is read here is the raw document.
 */
const COLLECTION = 'members';

type Fields = Record<string, true>;
type Row = { _id: string } & Partial<MemberDoc>;

/** The collection, for the few bulk reads and updates (keyset pages, counts) that need the SDK's query builder. */
export const membersQuery = (db: Database) => db.collection(COLLECTION);

/** The raw document (a merged-away or deleted member too), read inside a transaction. */
export async function readMemberTx<T extends { _id: string } = MemberDoc>(tx: Tx, id: string): Promise<T | null> {
  const data = (await tx.collection(COLLECTION).doc(id).get()).data as T | null;
  return data ? { ...data, _id: id } : null;
}

export async function insertMemberTx(tx: Tx, member: MemberDoc): Promise<void> {
  await tx
    .collection(COLLECTION)
    .doc(member._id)
    .set({ data: body(member) });
}

export async function updateMemberTx(tx: Tx, id: string, patch: Record<string, unknown>): Promise<void> {
  await tx.collection(COLLECTION).doc(id).update({ data: patch });
}

/** Members by id, 100 per query (the server's read cap); the ones not found are left out. */
export async function membersByIds<T extends Row = MemberDoc>(
  db: Database,
  ids: string[],
  fields?: Fields,
): Promise<T[]> {
  const _ = db.command;
  const out: T[] = [];
  for (let i = 0; i < ids.length; i += 100) {
    const q = membersQuery(db).where({ _id: _.in(ids.slice(i, i + 100)) });
    const r = (await (fields ? q.field(fields) : q).limit(100).get()) as unknown as { data: T[] };
    out.push(...r.data);
  }
  return out;
}

/** The ids merged into a member (their documents hold `mergedInto` = the member). */
export async function membersMergedInto<T extends Row = { _id: string }>(
  db: Database,
  memberId: string,
  fields: Fields = { _id: true },
): Promise<T[]> {
  const q = membersQuery(db).where({ mergedInto: memberId }).field(fields).limit(1000);
  const r = (await q.get()) as unknown as { data: T[] };
  return r.data;
}

/** A member that still stands for a person: not merged away, not deleted. */
export const isLive = <T extends Pick<MemberDoc, 'mergedInto' | 'deletedAt'>>(m: T | null | undefined): m is T =>
  !!m && !m.mergedInto && !m.deletedAt;
