import { DomainError, ErrorCodes } from '../../core/errors';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type MemberDoc } from '../members/documents';

/** Merges chain (a merged member may itself be merged later): a few hops at most; more means a cycle. */
const MAX_HOPS = 8;

async function follow(read: (id: string) => Promise<MemberDoc | null>, id: string): Promise<MemberDoc> {
  let current = id;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const m = await read(current);
    if (!m || m.deletedAt) throw new DomainError(ErrorCodes.NOT_FOUND, '会员不存在', { memberId: id });
    if (!m.mergedInto) return m;
    current = m.mergedInto;
  }
  throw new DomainError(ErrorCodes.INTERNAL, '会员合并链过长', { memberId: id });
}

/** The member an id stands for today: a merged-away id resolves to the survivor. */
export const resolveMember = (db: Database, id: string): Promise<MemberDoc> => follow((x) => readDoc<MemberDoc>(db, 'members', x), id);

/** Same, inside a transaction: the member document read here is locked until commit. */
export const resolveMemberTx = (tx: Tx, id: string): Promise<MemberDoc> =>
  follow(async (x) => (await tx.collection('members').doc(x).get()).data as MemberDoc | null, id);

/** The caller of a Mini Program action, by the OpenID the platform put into the context. */
export async function callerMember(db: Database, openid: string): Promise<MemberDoc> {
  const identity = await readDoc<IdentityDoc>(db, 'identities', identityId('mp_openid', openid));
  if (!identity) throw new DomainError(ErrorCodes.UNAUTHENTICATED, '请先登录', {});
  return resolveMember(db, identity.memberId);
}
