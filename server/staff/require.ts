import { DomainError, ErrorCodes, type ErrorCode } from '../../core/errors';
import { DEFAULT_TIME_ZONE, localDate } from '../../core/time';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import type { AuditActor } from '../audit';
import { allows, dailyLimitOf, type PermissionName, type StaffRole } from './permissions';

/** `staff/{staffId}`: the role lives here, never in the request. */
export interface StaffDoc {
  _id: string;
  openid: string;
  name?: string;
  role: StaffRole;
  /** Stores the person works at; empty for a brand admin (every store). */
  storeIds?: string[];
  skills?: string[];
  disabled?: boolean;
  active?: boolean;
}

export interface RequireOptions {
  /** The store acted for: store-scoped roles must work there. */
  storeId?: string;
  /** One code for every refusal, for features whose clients already read one (e.g. FORBIDDEN or NOT_STAFF). */
  refuseAs?: ErrorCode;
}

/** Anything that knows the database and the caller's OpenID, such as an ActionContext. */
export interface Caller {
  db: Database;
  openid: string;
}

export async function findStaff(db: Database, openid: string): Promise<StaffDoc | null> {
  if (!openid) return null;
  const r = (await db.collection('staff').where({ openid }).limit(1).get()) as unknown as { data: StaffDoc[] };
  const s = r.data[0];
  return s && !s.disabled && s.active !== false ? s : null;
}

export const worksAt = (s: StaffDoc, storeId: string): boolean =>
  s.role === 'brand_admin' || (s.storeIds ?? []).includes(storeId);

export function requireStore(staff: StaffDoc, storeId: string, refuseAs: ErrorCode = ErrorCodes.FORBIDDEN): void {
  if (!worksAt(staff, storeId)) throw new DomainError(refuseAs, '不能代表其他门店操作 / not your store', { storeId });
}

/**
 * The caller as staff holding `permission` (per the one table in ./permissions), and working at
 * `opts.storeId` when given. Not staff → NOT_STAFF; staff without the permission or store → FORBIDDEN.
 */
export async function requireStaff(
  caller: Caller,
  permission: PermissionName,
  opts: RequireOptions = {},
): Promise<StaffDoc> {
  const staff = await findStaff(caller.db, caller.openid);
  if (!staff) throw new DomainError(opts.refuseAs ?? ErrorCodes.NOT_STAFF, '仅限门店员工 / staff only');
  if (!allows(staff.role, permission)) {
    throw new DomainError(opts.refuseAs ?? ErrorCodes.FORBIDDEN, '当前角色无权进行此操作 / your role may not do this', {
      permission,
      role: staff.role,
    });
  }
  if (opts.storeId !== undefined) requireStore(staff, opts.storeId, opts.refuseAs);
  return staff;
}

/** How the audit trail names a staff member. */
export const staffActor = (s: StaffDoc): AuditActor => ({ who: s._id, role: s.role });

/** `staff_limits/{staffId}:{localDate}`: what a staff member used of each limited permission that day. */
export interface StaffLimitDoc {
  staffId: string;
  date: string;
  used: Record<string, number>;
}

/**
 * Counts `amount` against the staff member's daily limit for `permission`, in the caller's
 * transaction (so a refused or rolled-back action uses nothing). Over the limit → FORBIDDEN.
 */
export async function useDailyLimit(
  tx: Tx,
  staff: StaffDoc,
  permission: PermissionName,
  amount: number,
  now: Date,
  tz = DEFAULT_TIME_ZONE,
): Promise<{ used: number; limit: number | null }> {
  const limit = dailyLimitOf(staff.role, permission);
  if (limit === null) return { used: 0, limit };
  const date = localDate(now, tz);
  const ref = tx.collection('staff_limits').doc(`${staff._id}:${date}`);
  const doc = (await ref.get()).data as StaffLimitDoc | null;
  const used = (doc?.used?.[permission] ?? 0) + Math.abs(amount);
  if (used > limit) {
    throw new DomainError(ErrorCodes.FORBIDDEN, `超出今日额度 / over today's limit (${limit})`, {
      permission,
      limit,
      used: used - Math.abs(amount),
      reason: 'DAILY_LIMIT',
    });
  }
  await ref.set({
    data: { staffId: staff._id, date, used: { ...(doc?.used ?? {}), [permission]: used }, updatedAt: now },
  });
  return { used, limit };
}
