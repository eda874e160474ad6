import type { z } from 'zod';
import type { deleteAccount as deleteContract, exportData as exportContract } from '../../core/contracts/member';
import { PERSONAL_FIELDS } from '../../core/identity/member';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { requireMember } from '../identity/resolve';
import { MEMBER_REFERENCES } from '../identity/references';

const EXPORT_LIMIT = 1000;

/** Dates as ISO strings, so the export is plain JSON. */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

async function rowsOf(db: Database, collection: string, field: string, memberId: string): Promise<unknown[]> {
  try {
    const r = (await db.collection(collection).where({ [field]: memberId }).limit(EXPORT_LIMIT).get()) as { data: unknown[] };
    return r.data;
  } catch (e) {
    if (/COLLECTION_NOT_EXIST|not exist/i.test(`${(e as { code?: string }).code ?? ''} ${(e as Error).message}`)) return [];
    throw e;
  }
}

/** PIPL: everything held about the caller, from the member record and every collection that references it. */
export async function exportData(ctx: ActionContext): Promise<z.input<typeof exportContract.output>> {
  const m = await requireMember(ctx.db, ctx.openid);
  const data: Record<string, unknown> = { member: plain(m) };
  for (const { collection, field } of MEMBER_REFERENCES) {
    const rows = await rowsOf(ctx.db, collection, field, m._id);
    const key = MEMBER_REFERENCES.filter((r) => r.collection === collection).length > 1 ? `${collection}.${field}` : collection;
    data[key] = plain(rows);
  }
  return { exportedAt: ctx.now().toISOString(), memberId: m._id, data };
}

/**
 * Deletes the account: personal fields erased and every identity removed, so nobody can be found
 * through it again; the member document stays as an anonymous anchor so ledgers, orders and
 * totals remain true. The next login of the same person starts a new, empty member.
 */
export async function deleteAccount(ctx: ActionContext): Promise<z.input<typeof deleteContract.output>> {
  const now = ctx.now();
  const m = await requireMember(ctx.db, ctx.openid);
  const _ = ctx.db.command;
  const erase: Record<string, unknown> = Object.fromEntries(PERSONAL_FIELDS.map((f) => [f, _.remove()]));
  await inTransaction(ctx.db, async (tx) => {
    await tx.collection('members').doc(m._id).update({
      data: { ...erase, attribution: _.remove(), mergedCardNo: _.remove(), state: 'deleted', deletedAt: now, 'consents.marketingOptIn': false, 'consents.marketingChangedAt': now },
    });
    await emit(tx, { type: 'member.deleted', memberId: m._id, at: now });
  });
  // identities last: until they are gone a retry still finds the (already erased) member
  for (;;) {
    const r = (await ctx.db.collection('identities').where({ memberId: m._id }).limit(100).get()) as { data: { _id: string }[] };
    if (r.data.length === 0) break;
    await ctx.db.collection('identities').where({ _id: _.in(r.data.map((d) => d._id)) }).remove();
  }
  // merged-away records of the same person hold personal fields too
  const losers = (await ctx.db.collection('members').where({ mergedInto: m._id }).limit(100).get()) as { data: { _id: string }[] };
  for (const l of losers.data) await ctx.db.collection('members').doc(l._id).update({ data: { ...erase, attribution: _.remove(), mergedCardNo: _.remove(), deletedAt: now } });
  return { deleted: true, deletedAt: now.toISOString() };
}
