import { DomainError, ErrorCodes } from '../../core/errors';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type IdentityType, type MemberDoc } from './documents';

/** Merges chain (a merged member may itself be merged later): a few hops at most; more means a cycle. */
const MAX_HOPS = 8;

type Read = (id: string) => Promise<MemberDoc | null>;

/** The one resolve rule: follow `mergedInto` to the survivor; a missing or deleted member is no member. */
async function follow(read: Read, memberId: string, first?: MemberDoc | null): Promise<MemberDoc | null> {
  let id = memberId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const m = hop === 0 && first !== undefined ? first : await read(id);
    if (!m) return null;
    if (!m.mergedInto) return m.deletedAt ? null : { ...m, _id: id };
    id = m.mergedInto;
  }
  throw new DomainError(ErrorCodes.INTERNAL, '会员合并链过长', { memberId });
}

const found = (m: MemberDoc | null, memberId: string): MemberDoc => {
  if (!m) throw new DomainError(ErrorCodes.NOT_FOUND, '会员不存在', { memberId });
  return m;
};

const txRead =
  (tx: Tx): Read =>
  async (id) =>
    (await tx.collection('members').doc(id).get()).data as MemberDoc | null;

/** The member an id stands for today: old ids of merged members lead to the survivor; null when gone. */
export const resolveMember = (db: Database, memberId: string): Promise<MemberDoc | null> =>
  follow((id) => readDoc<MemberDoc>(db, 'members', id), memberId);

/** Same, inside a transaction: the member documents read here are locked until commit. */
export const resolveMemberTx = (tx: Tx, memberId: string): Promise<MemberDoc | null> => follow(txRead(tx), memberId);

/** The member an id stands for, which must exist (`NOT_FOUND` otherwise). */
export const existingMember = async (db: Database, memberId: string): Promise<MemberDoc> =>
  found(await resolveMember(db, memberId), memberId);

/** Same, inside a transaction. */
export const existingMemberTx = async (tx: Tx, memberId: string): Promise<MemberDoc> =>
  found(await resolveMemberTx(tx, memberId), memberId);

export async function memberByIdentity(db: Database, type: IdentityType, value: string): Promise<MemberDoc | null> {
  const identity = await readDoc<IdentityDoc>(db, 'identities', identityId(type, value));
  return identity ? resolveMember(db, identity.memberId) : null;
}

/** Same, inside a transaction. */
/**
 * The caller's member (by Mini Program OpenID); the page logs in first. Every action refuses a caller
 * without a member the same way: `MEMBER_NOT_FOUND`.
 */
export async function requireMember(db: Database, openid: string): Promise<MemberDoc> {
  const m = await memberByIdentity(db, 'mp_openid', openid);
  if (!m) throw noMember();
  return m;
}

/** The caller's identity with the member it names (only `fields` of it) in one call. */
async function identityWithMember(
  db: Database,
  openid: string,
  fields: Record<string, true>,
): Promise<(IdentityDoc & { members: MemberDoc[] }) | null> {
  const kept = Object.fromEntries(
    ['memberId', 'members._id', ...Object.keys(fields).map((f) => `members.${f}`)].map((f) => [f, 1]),
  );
  const r = (await db
    .collection('identities')
    .aggregate()
    .match({ _id: identityId('mp_openid', openid) })
    .lookup({ from: 'members', localField: 'memberId', foreignField: '_id', as: 'members' })
    .project(kept)
    .end()) as { list: (IdentityDoc & { members: MemberDoc[] })[] };
  return r.list[0] ?? null;
}

/** How long an instance remembers which member an OpenID leads to (by the injected clock). */
const CALLER_TTL_MS = 60_000;
const callers = new Map<string, { at: number; memberId: string }>();

/**
 * `requireMember` for the hot paths: the member id an OpenID leads to is remembered per instance for
 * CALLER_TTL_MS, and only `fields` of the member are read. The member document is still read on every
 * call, so a merge is followed and a deleted member refused at once; when the remembered member is
 * gone, the identity is read again (after a deletion the same person may have a new member), with
 * the member it names in the same call.
 */
export async function requireCaller<T extends Partial<MemberDoc>>(
  db: Database,
  openid: string,
  nowMs: number,
  fields: Partial<Record<keyof MemberDoc, true>>,
): Promise<T & Pick<MemberDoc, '_id'>> {
  const projection: Record<string, true> = { ...(fields as Record<string, true>), mergedInto: true, deletedAt: true };
  const read: Read = async (id) =>
    ((await db.collection('members').doc(id).field(projection).get()) as { data?: MemberDoc | null }).data ?? null;
  const hit = callers.get(openid);
  const fresh = hit && nowMs >= hit.at && nowMs - hit.at < CALLER_TTL_MS;
  const remembered = fresh ? await follow(read, hit.memberId) : null;
  if (remembered) return remembered as unknown as T & Pick<MemberDoc, '_id'>;
  const identity = await identityWithMember(db, openid, projection);
  const m = identity ? await follow(read, identity.memberId, identity.members[0] ?? null) : null;
  if (!m) {
    callers.delete(openid);
    throw noMember();
  }
  if (callers.size >= 10_000) callers.clear();
  callers.set(openid, { at: nowMs, memberId: m._id });
  return m as unknown as T & Pick<MemberDoc, '_id'>;
}

/** The refusal for a caller who has no member yet (or no longer has one). */
export const noMember = (): DomainError =>
  new DomainError(ErrorCodes.MEMBER_NOT_FOUND, '请先登录 / please log in first');
