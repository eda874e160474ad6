import { DomainError, ErrorCodes } from '../../core/errors';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';

export type StaffRole = 'brand_admin' | 'store_manager' | 'advisor';

export interface StaffDoc {
  _id: string;
  openid: string;
  name: string;
  role: StaffRole;
  /** Stores the person works at; empty for a brand admin (every store). */
  storeIds: string[];
  disabled?: boolean;
}

/** The caller as staff, by the OpenID of the call; only the listed roles when given. */
export async function requireStaff(db: Database, openid: string, roles?: readonly StaffRole[]): Promise<StaffDoc> {
  const found = (await db.collection('staff').where({ openid }).limit(1).get()) as unknown as { data: StaffDoc[] };
  const staff = found.data[0];
  if (!staff || staff.disabled) throw new DomainError(ErrorCodes.FORBIDDEN, '仅限门店员工操作');
  if (roles && !roles.includes(staff.role)) throw new DomainError(ErrorCodes.FORBIDDEN, '当前角色无权进行此操作', { role: staff.role });
  return staff;
}

export function requireStore(staff: StaffDoc, storeId: string): void {
  if (staff.role === 'brand_admin') return;
  if (!staff.storeIds.includes(storeId)) throw new DomainError(ErrorCodes.FORBIDDEN, '不能代表其他门店操作', { storeId });
}

export interface AuditEntry {
  who: { staffId: string; name?: string; role?: string } | { system: string };
  when: Date;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** Written in the transaction of the change it records, so there is no change without its audit row. */
export async function audit(tx: Tx, entry: AuditEntry): Promise<void> {
  await tx.collection('audit_log').add({ data: { ...entry } });
}

export const staffActor = (s: StaffDoc): AuditEntry['who'] => ({ staffId: s._id, name: s.name, role: s.role });
