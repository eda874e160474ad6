import type { ActionContract, ActionResult } from '../../core/contracts/common';
import { ErrorCodes } from '../../core/errors';
import { auditNow } from '../audit';
import { createLogger } from '../kit/logger';
import { database, sdk } from '../runtime/cloud';
import { platformClock } from '../runtime/clock';
import { findStaff, staffErrors } from './require';

type Main = (event: Record<string, unknown>, context?: { time_limit_in_ms?: number }) => Promise<unknown>;

/** Fields the action's strict contract does not know (e.g. a forged `role`): none for a well-formed call. */
function forgedFields(contract: ActionContract, event: Record<string, unknown>): string[] {
  const raw = Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'action' && k !== 'userInfo'));
  const r = contract.input.safeParse(raw);
  return r.success ? [] : r.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
}

/**
 * Wraps a function's `main` so that a refused call of one of its staff actions (not staff, wrong
 * role, or extra fields such as a forged `role`) is written to the audit trail as
 * `refused:<fn>.<action>`, naming who tried (staff id, else OpenID). A plain typo is not audited.
 */
export function auditStaffRefusals(fn: string, contracts: Record<string, ActionContract>, staffActions: readonly string[], main: Main): Main {
  const watched = new Set(staffActions);
  return async (event, context) => {
    const result = (await main(event, context)) as ActionResult<unknown> | undefined;
    const name = typeof event?.action === 'string' ? event.action : '';
    if (!watched.has(name) || !result || typeof result !== 'object' || result.ok !== false) return result;
    const code = result.error.code;
    const fields = code === ErrorCodes.INVALID_INPUT ? forgedFields(contracts[name]!, event) : [];
    const refused = code === staffErrors.NOT_STAFF || code === staffErrors.FORBIDDEN || fields.length > 0;
    const openid = String(sdk().getWXContext().OPENID ?? '');
    if (!refused || !openid) return result;
    try {
      const db = database();
      const staff = await findStaff(db, openid);
      await auditNow(db, {
        who: staff?._id ?? openid, role: staff?.role ?? 'none', at: platformClock(),
        action: `refused:${fn}.${name}`, target: fn, before: null, after: null,
        refused: { code, ...(fields.length ? { fields } : {}) },
      });
    } catch (e) {
      createLogger({ fn, requestId: '-' }).error('refusal audit failed', { action: name, error: (e as Error).message });
    }
    return result;
  };
}
