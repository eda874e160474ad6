import type { ActionContext } from '../kit/context';
import { requireStaff as requireStaffFor, type StaffDoc } from '../staff/require';
import { ErrorCodes } from '../../core/errors';

export { type StaffDoc } from '../staff/require';

/** Kept for callers outside this folder (server/orders/views.ts): a staff member who may look members up. */
export const requireStaff = (ctx: ActionContext): Promise<StaffDoc> =>
  requireStaffFor(ctx, 'member.lookup', { refuseAs: ErrorCodes.NOT_STAFF });
