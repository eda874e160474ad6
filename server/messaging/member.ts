import { requireMember } from '../members/resolve';
import type { ActionContext } from '../kit/context';
import { requireStaff } from '../staff/require';
import { ErrorCodes } from '../../core/errors';

/** The caller's member id, from the platform OpenID only. */
export async function callerMemberId(ctx: ActionContext): Promise<string> {
  return (await requireMember(ctx.db, ctx.openid))._id;
}

/** Segments and campaigns are for brand staff: the role comes from the `staff` collection, by the caller's OpenID. */
export async function requireMarketingStaff(ctx: ActionContext): Promise<{ staffId: string; role: string }> {
  const s = await requireStaff(ctx, 'segments.manage', { refuseAs: ErrorCodes.NOT_STAFF });
  return { staffId: s._id, role: s.role };
}
