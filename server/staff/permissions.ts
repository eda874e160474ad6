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
  // advisors make codes naming themselves only (server/members/store-code.ts)
  'member.createStoreCode': { roles: everyone },
  'member.tag': { roles: everyone },
  'points.adjust': { roles: everyone, dailyLimit: { advisor: 500, store_manager: 5000 } },
  'points.orders': { roles: managers },
  'coupons.redeem': { roles: everyone },
  'coupons.grant': { roles: everyone },
  'coupons.manageTemplates': { roles: admins },
  'appointments.schedule': { roles: everyone },
  'appointments.confirm': { roles: everyone },
  'appointments.checkIn': { roles: everyone },
  'appointments.noShow': { roles: everyone },
  'appointments.reschedule': { roles: managers },
  'appointments.cancel': { roles: managers },
  'segments.manage': { roles: admins },
  'tags.manage': { roles: admins },
  'campaigns.send': { roles: admins },
  'journeys.manage': { roles: admins },
  'staff.invite': { roles: admins },
  'staff.me': { roles: everyone },
  'audit.read': { roles: admins },
  'dashboard.read': { roles: managers },
  'webhooks.manage': { roles: admins },
  'lifecycle.rebuild': { roles: admins },
} as const satisfies Record<string, Permission>;

export type PermissionName = keyof typeof PERMISSIONS;

export const allows = (role: StaffRole, permission: PermissionName): boolean =>
  (PERMISSIONS[permission].roles as readonly StaffRole[]).includes(role);

export const dailyLimitOf = (role: StaffRole, permission: PermissionName): number | null =>
  (PERMISSIONS[permission] as Permission).dailyLimit?.[role] ?? null;

/** Every permission the role holds: what the "Me" page shows a staff member. */
export const permissionsOf = (role: StaffRole): PermissionName[] =>
  (Object.keys(PERMISSIONS) as PermissionName[]).filter((p) => allows(role, p));
