import type { MemberDataEntry, RowFinder } from '../../core/members/registry';
import type { Database } from '../runtime/cloud';

/** Who a walk of the registry is about: the member, its merged-away records, and their identity ids. */
export interface Subject {
  memberIds: string[];
  identityIds: string[];
}

export type Row = Record<string, unknown> & { _id: string };

const PAGE = 1000;
type Page = { data: Row[] };

function queryOf(db: Database, finder: RowFinder, subject: Subject): Record<string, unknown> | null {
  const _ = db.command;
  if (finder.by === 'id') return { _id: _.in(subject.memberIds) };
  if (finder.by === 'field') return { [finder.field]: _.in(subject.memberIds) };
  return subject.identityIds.length ? { [finder.field]: _.in(subject.identityIds) } : null;
}

/** Every row of one registry entry that belongs to the subject, each once, a page of 1000 at a time in `_id` order. */
export async function rowsOf(db: Database, entry: MemberDataEntry, subject: Subject): Promise<Row[]> {
  const _ = db.command;
  const out = new Map<string, Row>();
  for (const finder of entry.find) {
    const where = queryOf(db, finder, subject);
    if (!where) continue;
    let after: string | null = null;
    for (;;) {
      const q = after === null ? where : _.and([where, { _id: _.gt(after) }]);
      const page = (await db.collection(entry.collection).where(q).orderBy('_id', 'asc').limit(PAGE).get()) as Page;
      for (const r of page.data) out.set(r._id, r);
      if (page.data.length < PAGE) break;
      after = page.data[page.data.length - 1]!._id;
    }
  }
  return [...out.values()];
}

/** The member and the records merged into it, and every identity id they hold. */
export type SubjectRows = Subject & { identities: Row[]; members: Row[] };

export async function subjectOf(db: Database, memberId: string): Promise<SubjectRows> {
  const _ = db.command;
  const merged = (await db.collection('members').where({ mergedInto: memberId }).limit(PAGE).get()) as Page;
  const self = (await db.collection('members').doc(memberId).get()) as { data: Row | null };
  const members = [...(self.data ? [self.data] : []), ...merged.data];
  const memberIds = members.map((m) => m._id);
  const identities = (await db
    .collection('identities')
    .where({ memberId: _.in(memberIds) })
    .limit(PAGE)
    .get()) as Page;
  return { memberIds, identityIds: identities.data.map((i) => i._id), identities: identities.data, members };
}
