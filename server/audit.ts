import { randomBytes } from 'node:crypto';
import type { Tx } from './db/transaction';

/** One staff action, as the audit trail keeps it: who did what to which record, and the record before and after. */
export interface AuditEntry {
  /** Staff id (or openid when the caller has no staff record). */
  who: string;
  role: string;
  at: Date;
  /** e.g. `appointment.confirm`, `coupon.redeem`, `points.adjust`. */
  action: string;
  /** The record acted on, e.g. `appointments/a_123`. */
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string;
}

/**
 * Writes the entry in the caller's transaction, so the trail and the change commit together.
 * `when` repeats `at` for the collection's `when` index (the coupons audit rows use that name).
 */
export async function audit(tx: Tx, entry: AuditEntry): Promise<string> {
  const _id = `au_${randomBytes(10).toString('hex')}`;
  await tx.collection('audit_log').add({ data: { _id, ...entry, when: entry.at } });
  return _id;
}
