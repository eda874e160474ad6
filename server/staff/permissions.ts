/**
 * Which staff role may do what: the one table every staff action is checked against on the server.
 * Roles come from the `staff` collection, never from the request. Store-scoped roles act only on
 * their own stores (`requireStore`). Limits are per staff member per brand-local day.
 */
export type StaffRole = 'brand_admin' | 'store_manager' | 'advisor';
export const STAFF_ROLES: readonly StaffRole[] = ['brand_admin', 'store_manager', 'advisor'];

export interface Permission {
  roles: readonly StaffRole[];
  /** e.g. an advisor adjusts at most N points a day */
  dailyLimit?: Partial<Record<StaffRole, number>>;
}

const everyone = STAFF_ROLES;
const managers: readonly StaffRole[] = ['brand_admin', 'store_manager'];
const admins: readonly StaffRole[] = ['brand_admin'];

export const PERMISSIONS = {
  'member.lookup': { roles: everyone },
  'member.resolveMemberCode': { roles: everyone },
  'member.createStoreCode': { roles: managers },
  'member.tag': { roles: everyone },
  'points.adjust': { roles: everyone, dailyLimit: { advisor: 500, store_manager: 5000 } },
  'coupons.redeem': { roles: everyone },
  'coupons.manageTemplates': { roles: admins },
  'appointments.schedule': { roles: everyone },
  'appointments.confirm': { roles: everyone },
  'appointments.checkIn': { roles: everyone },
  'appointments.noShow': { roles: everyone },
  'appointments.reschedule': { roles: managers },
  'appointments.cancel': { roles: managers },
  'segments.manage': { roles: admins },
  'campaigns.send': { roles: admins },
  'journeys.manage': { roles: admins },
  'staff.invite': { roles: admins },
  'audit.read': { roles: admins },
  'dashboard.read': { roles: managers },
} as const satisfies Record<string, Permission>;

export type PermissionName = keyof typeof PERMISSIONS;

export const allows = (role: StaffRole, permission: PermissionName): boolean => (PERMISSIONS[permission].roles as readonly StaffRole[]).includes(role);
