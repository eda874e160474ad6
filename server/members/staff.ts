import { DomainError } from '../../core/errors';
import { memberErrors } from '../../core/contracts/member';
import type { ActionContext } from '../kit/context';

export type StaffRole = 'brand_admin' | 'store_manager' | 'advisor';
export interface StaffDoc {
  _id: string;
  openid: string;
  name: string;
  role: StaffRole;
  storeIds: string[];
  disabled?: boolean;
}

/** The caller as staff: looked up by OpenID in `staff`, the role from the database, never from input. */
export async function requireStaff(ctx: ActionContext, roles: StaffRole[] = ['brand_admin', 'store_manager', 'advisor']): Promise<StaffDoc> {
  const r = (await ctx.db.collection('staff').where({ openid: ctx.openid }).limit(1).get()) as unknown as { data: StaffDoc[] };
  const staff = r.data[0];
  if (!staff || staff.disabled || !roles.includes(staff.role)) throw new DomainError(memberErrors.NOT_STAFF, '仅限门店员工 / staff only');
  return staff;
}

export const worksAt = (s: StaffDoc, storeId: string): boolean => s.role === 'brand_admin' || s.storeIds.includes(storeId);
