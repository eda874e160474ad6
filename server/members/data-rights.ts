import { createHmac, randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { deleteAccount as deleteContract, exportData as exportContract } from '../../core/contracts/member';
import { eraseRow, personalValuesOf, type Pseudonymiser } from '../../core/members/erase';
import { MEMBER_DATA, registryEntry } from '../../core/members/registry';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { rowsOf, subjectOf, type Subject } from './registry-rows';
import { requireMember } from './resolve';

/** Dates as ISO strings, so the export is plain JSON. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/**
 * PIPL: everything held about the caller: the member record, then every collection of the
 * member-data registry (core/members/registry.ts), its merged-away records included.
 */
export async function exportData(ctx: ActionContext): Promise<z.input<typeof exportContract.output>> {
  const m = await requireMember(ctx.db, ctx.openid);
  const subject = await subjectOf(ctx.db, m._id);
  const data: Record<string, unknown> = { member: plain(m) };
  for (const entry of MEMBER_DATA) {
    const rows = await rowsOf(ctx.db, entry, subject);
    data[entry.collection] = plain(entry.collection === 'members' ? rows.filter((r) => r._id !== m._id) : rows);
  }
  return { exportedAt: ctx.now().toISOString(), memberId: m._id, data };
}

/** A pseudonym keyed by a secret nobody keeps: the same value maps to the same pseudonym within one deletion only. */
function oneWay(): Pseudonymiser {
  const key = randomBytes(32);
  return (value) => `erased:${createHmac('sha256', key).update(value).digest('hex').slice(0, 16)}`;
}

interface Erasing {
  subject: Subject;
  values: string[];
  pseudonym: Pseudonymiser;
}

async function eraseCollection(db: Database, collection: string, erasing: Erasing): Promise<void> {
  const { subject, values, pseudonym } = erasing;
  const entry = registryEntry(collection);
  if (!entry) return;
  for (const row of await rowsOf(db, entry, subject)) {
    const r = eraseRow(entry, row, values, pseudonym);
    if (r.drop) await db.collection(collection).doc(row._id).remove();
    else if (r.changed) {
      const { _id, ...rest } = r.row;
      await db.collection(collection).doc(_id).set({ data: rest });
      if (_id !== row._id) await db.collection(collection).doc(row._id).remove();
    }
  }
}

/**
 * Deletes the account: every personal value the registry lists is erased or replaced by a one-way
 * pseudonym, in every collection, and every identity is removed, so nobody can be found through it
 * again. The member document stays as an anonymous anchor so ledgers, orders and totals remain
 * true. Messages still waiting for the member are not sent. The next login of the same person
 * starts a new, empty member.
 */
export async function deleteAccount(ctx: ActionContext): Promise<z.input<typeof deleteContract.output>> {
  const now = ctx.now();
  const db = ctx.db;
  const _ = db.command;
  const m = await requireMember(ctx.db, ctx.openid);
  const subject = await subjectOf(ctx.db, m._id);
  const values = personalValuesOf(subject.members, subject.identities as { _id: string; value?: unknown }[]);
  const pseudonym = oneWay();
  const erase = Object.fromEntries((registryEntry('members')?.personal ?? []).map((p) => [p.path, _.remove()]));
  const withdrawn = { 'consents.marketingOptIn': false, 'consents.marketingChangedAt': now };
  await db
    .collection('outbox')
    .where({ memberId: _.in(subject.memberIds), state: _.in(['pending', 'deferred']) })
    .update({ data: { state: 'skipped', reason: 'member_deleted', endedAt: now } });
  // the other collections first: until the member document is erased, a retry still knows every value to look for
  const erasing: Erasing = { subject, values, pseudonym };
  for (const entry of MEMBER_DATA) {
    if (entry.collection === 'members' || entry.collection === 'identities') continue;
    await eraseCollection(db, entry.collection, erasing);
  }
  const merged = subject.memberIds.filter((id) => id !== m._id);
  for (const id of merged)
    await db
      .collection('members')
      .doc(id)
      .update({ data: { ...erase, deletedAt: now } });
  await inTransaction(ctx.db, async (tx) => {
    await tx
      .collection('members')
      .doc(m._id)
      .update({
        data: { ...erase, state: 'deleted', deletedAt: now, ...withdrawn },
      });
    await emit(tx, { type: 'member.deleted', memberId: m._id, at: now });
  });
  // identities last: until they are gone a retry still finds the member
  await eraseCollection(db, 'identities', erasing);
  return { deleted: true, deletedAt: now.toISOString() };
}
