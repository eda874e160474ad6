import { DomainError } from '../../core/errors';
import { memberErrors } from '../../core/contracts/member';
import type { Database } from '../runtime/cloud';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc, type IdentityType, type MemberDoc } from '../members/documents';

const MAX_HOPS = 8;

/** The member an id stands for today: old ids of merged members lead to the survivor. */
export async function resolveMember(db: Database, memberId: string): Promise<MemberDoc | null> {
  let id = memberId;
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const m = await readDoc<MemberDoc>(db, 'members', id);
    if (!m) return null;
    if (!m.mergedInto) return m.deletedAt ? null : m;
    id = m.mergedInto;
  }
  throw new Error(`merge chain longer than ${MAX_HOPS} from ${memberId}`);
}

export async function memberByIdentity(db: Database, type: IdentityType, value: string): Promise<MemberDoc | null> {
  const identity = await readDoc<IdentityDoc>(db, 'identities', identityId(type, value));
  return identity ? resolveMember(db, identity.memberId) : null;
}

/** The caller's member (by Mini Program OpenID); the page logs in first. */
export async function requireMember(db: Database, openid: string): Promise<MemberDoc> {
  const m = await memberByIdentity(db, 'mp_openid', openid);
  if (!m) throw new DomainError(memberErrors.MEMBER_NOT_FOUND, '请先登录 / please log in first');
  return m;
}
