import { ErrorCodes } from '../../core/errors';
import { auditNow } from '../audit';
import type { Database } from '../runtime/cloud';
import { findStaff } from './require';

/** Codes that mean "you may not": every function's staff checks answer one of these. */
const ACCESS_REFUSALS: ReadonlySet<string> = new Set([ErrorCodes.NOT_STAFF, ErrorCodes.FORBIDDEN]);

export interface Refusal {
  fn: string;
  action: string;
  code: string;
  /** Fields the action's contract does not know (a forged `role`, a `__proto__`): an attempt, not a typo. */
  fields: readonly string[];
}

/**
 * The one rule for auditing refused calls, applied by the router to every action of every function:
 * an access refusal (not staff, wrong role or store, over a limit), a code the function declares
 * as a refusal, or input carrying fields its contract does not know. A plain typo is not audited.
 */
export function isAuditedRefusal(r: Refusal, declared: readonly string[] = []): boolean {
  if (r.code === ErrorCodes.INVALID_INPUT) return r.fields.length > 0;
  return ACCESS_REFUSALS.has(r.code) || declared.includes(r.code);
}

/** Writes `refused:<fn>.<action>` naming who tried (staff id, else OpenID) and why. */
export async function auditRefusal(db: Database, openid: string, at: Date, r: Refusal): Promise<void> {
  const staff = await findStaff(db, openid);
  await auditNow(db, {
    who: staff?._id ?? openid,
    role: staff?.role ?? 'none',
    at,
    action: `refused:${r.fn}.${r.action}`,
    target: r.fn,
    before: null,
    after: null,
    refused: { code: r.code, ...(r.fields.length ? { fields: [...r.fields] } : {}) },
  });
}
