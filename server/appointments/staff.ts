import { appointmentErrors } from '../../core/contracts/appointments';
import { DomainError } from '../../core/errors';
import type { Database } from '../runtime/cloud';
import { allows, type PermissionName, type StaffRole } from '../staff/permissions';

/** `staff/{staffId}`: roles come from here, never from the page. */
export interface StaffDoc {
  _id: string;
  openid: string;
  name?: string;
  role: StaffRole;
  storeIds?: string[];
  skills?: string[];
  disabled?: boolean;
  active?: boolean;
}

/** The caller as staff of `storeId` (brand admins work at every store) with the permission; anyone else is refused. */
export async function requireStaff(db: Database, openid: string, storeId: string, permission: PermissionName): Promise<StaffDoc> {
  const r = (await db.collection('staff').where({ openid }).limit(1).get()) as unknown as { data: StaffDoc[] };
  const s = r.data[0];
  if (!s || s.disabled || s.active === false) throw new DomainError(appointmentErrors.NOT_STAFF, '仅门店员工可执行该操作');
  if (s.role !== 'brand_admin' && !(s.storeIds ?? []).includes(storeId)) {
    throw new DomainError(appointmentErrors.NOT_STAFF, '您不是该门店的员工', { storeId });
  }
  if (!allows(s.role, permission)) throw new DomainError(appointmentErrors.NOT_STAFF, '您的角色不能执行该操作', { permission, role: s.role });
  return s;
}
