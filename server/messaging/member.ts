import { DomainError } from '../../core/errors';
import { messagingErrors } from '../../core/contracts/messaging';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc } from '../members/documents';
import type { ActionContext } from '../kit/context';

/** The caller's member id, from the platform OpenID only. */
export async function callerMemberId(ctx: ActionContext): Promise<string> {
  const identity = await readDoc<IdentityDoc>(ctx.db, 'identities', identityId('mp_openid', ctx.openid));
  if (!identity) throw new DomainError(messagingErrors.MEMBER_NOT_FOUND, '请先登录 / please log in first');
  return identity.memberId;
}

const MARKETING_ROLES = new Set(['brand_admin', 'marketing']);

/** Segments and campaigns are for brand staff: the role comes from the `staff` collection, by the caller's OpenID. */
export async function requireMarketingStaff(ctx: ActionContext): Promise<{ staffId: string; role: string }> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const r = await (ctx.db as any).collection('staff').where({ openid: ctx.openid }).limit(1).get();
  const s = r.data[0] as { _id: string; role: string; disabled?: boolean } | undefined;
  if (!s || s.disabled || !MARKETING_ROLES.has(s.role)) throw new DomainError(messagingErrors.NOT_STAFF, '无权操作 / staff only');
  return { staffId: s._id, role: s.role };
}
