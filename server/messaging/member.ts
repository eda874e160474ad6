import { DomainError } from '../../core/errors';
import { messagingErrors } from '../../core/contracts/messaging';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc } from '../members/documents';
import type { ActionContext } from '../kit/context';
import { requireStaff } from '../staff/require';

/** The caller's member id, from the platform OpenID only. */
export async function callerMemberId(ctx: ActionContext): Promise<string> {
  const identity = await readDoc<IdentityDoc>(ctx.db, 'identities', identityId('mp_openid', ctx.openid));
  if (!identity) throw new DomainError(messagingErrors.MEMBER_NOT_FOUND, '请先登录 / please log in first');
  return identity.memberId;
}

/** Segments and campaigns are for brand staff: the role comes from the `staff` collection, by the caller's OpenID. */
export async function requireMarketingStaff(ctx: ActionContext): Promise<{ staffId: string; role: string }> {
  const s = await requireStaff(ctx, 'segments.manage', { refuseAs: messagingErrors.NOT_STAFF });
  return { staffId: s._id, role: s.role };
}
