import { randomBytes } from 'node:crypto';
import type { Tx } from './db/transaction';
import { insertMissing } from './db/insert';
import type { Database } from './runtime/cloud';

/** Who did it: a staff id with its role, or a signed system (`who: 'pos', role: 'system'`). */
export interface AuditActor {
  /** Staff id, a system name, or the OpenID of a caller with no staff record. */
  who: string;
  role: string;
}

/** One staff action, as the audit trail keeps it: who did what to which record, and the record before and after. */
export interface AuditEntry extends AuditActor {
  at: Date;
  /** e.g. `appointment.confirm`, `coupons.redeem`, `points.adjust`, `refused:admin.audit.list`. */
  action: string;
  /** The record acted on, e.g. `appointments/a_123` or a member id. */
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string;
  /** For rows that record a refused attempt: what was refused and why. */
  refused?: { code: string; fields?: string[] };
}

export const systemActor = (name: string): AuditActor => ({ who: name, role: 'system' });

const row = (entry: AuditEntry) => ({ _id: `au_${randomBytes(10).toString('hex')}`, ...entry, when: entry.at });

/**
 * THE audit helper: writes the entry in the caller's transaction, so the trail and the change
 * commit together. `when` repeats `at` for the collection's `when` index.
 */
export async function audit(tx: Tx, entry: AuditEntry): Promise<string> {
  const data = row(entry);
  await tx.collection('audit_log').add({ data });
  return data._id;
}

/** For actions with no transaction to join (refused attempts, single-document writes). */
export async function auditNow(db: Database, entry: AuditEntry): Promise<string> {
  const data = row(entry);
  await db.collection('audit_log').add({ data });
  return data._id;
}

/**
 * Many entries outside a transaction, each under an id the caller derives from what it records, so
 * that a rerun of the same work finds the rows it already wrote; one array insert, rows already
 * there left as they are.
 */
export async function auditAll(db: Database, entries: (AuditEntry & { _id: string })[]): Promise<void> {
  await insertMissing(
    db,
    'audit_log',
    entries.map((e) => ({ ...e, when: e.at })),
  );
}
