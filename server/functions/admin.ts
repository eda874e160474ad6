import { adminContracts, adminErrors } from '../../core/contracts/admin';
import { ErrorCodes } from '../../core/errors';
import type { ActionResult } from '../../core/contracts/common';
import { action, createFunction } from '../kit/router';
import { createLogger } from '../kit/logger';
import { database, sdk } from '../runtime/cloud';
import { platformClock } from '../runtime/clock';
import { auditNow } from '../audit';
import { findStaff } from '../staff/require';
import { listAudit } from '../admin/audit-list';
import { dashboardSummary } from '../admin/dashboard';
import { createInvite, redeem } from '../admin/invites';
import { staffMe } from '../admin/me';
import { lookupMembers, tagMember } from '../admin/members';

const routed = createFunction({
  name: 'admin',
  actions: {
    'staff.invite': action(adminContracts['staff.invite'], createInvite),
    'staff.redeemInvite': action(adminContracts['staff.redeemInvite'], redeem),
    'staff.me': action(adminContracts['staff.me'], (_input, ctx) => staffMe(ctx)),
    'members.lookup': action(adminContracts['members.lookup'], lookupMembers),
    'members.tag': action(adminContracts['members.tag'], tagMember),
    'audit.list': action(adminContracts['audit.list'], listAudit),
    'dashboard.summary': action(adminContracts['dashboard.summary'], dashboardSummary),
  },
});

const REFUSALS = new Set<string>([ErrorCodes.FORBIDDEN, adminErrors.NOT_STAFF, adminErrors.INVITE_USED, adminErrors.INVITE_INVALID, adminErrors.INVITE_EXPIRED, adminErrors.ALREADY_STAFF]);
type Contract = (typeof adminContracts)[keyof typeof adminContracts];

/** Fields the action's strict contract does not know (e.g. a forged `role`): none for a well-formed call. */
function forgedFields(name: string, event: Record<string, unknown>): string[] {
  const contract = (adminContracts as Record<string, Contract | undefined>)[name];
  if (!contract) return [];
  const raw = Object.fromEntries(Object.entries(event).filter(([k]) => k !== 'action' && k !== 'userInfo'));
  const r = contract.input.safeParse(raw);
  return r.success ? [] : r.error.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys : []));
}

/** A refused attempt goes to the audit trail with who tried (staff id, else OpenID) what, and why it was refused. */
async function auditRefusal(name: string, event: Record<string, unknown>, code: string): Promise<void> {
  const fields = code === ErrorCodes.INVALID_INPUT ? forgedFields(name, event) : [];
  if (code === ErrorCodes.INVALID_INPUT && fields.length === 0) return; // a plain typo is not an attempt
  const openid = String(sdk().getWXContext().OPENID ?? '');
  if (!openid) return;
  const db = database();
  const staff = await findStaff(db, openid);
  await auditNow(db, {
    who: staff?._id ?? openid, role: staff?.role ?? 'none', at: platformClock(),
    action: `refused:admin.${name}`, target: 'admin', before: null, after: null,
    refused: { code, ...(fields.length ? { fields } : {}) },
  });
}

/**
 * The `admin` cloud function: staff invitations, "Me", member lookup and tags, the audit trail and
 * the dashboard. Roles come from the `staff` collection; a refused call is itself audited.
 */
export async function adminFunction(
  event: Record<string, unknown>,
  context?: { time_limit_in_ms?: number },
): Promise<unknown> {
  const result = await routed(event, context);
  const name = typeof event?.action === 'string' ? event.action : '';
  const failed = result as ActionResult<unknown>;
  if (name && failed && typeof failed === 'object' && failed.ok === false && (REFUSALS.has(failed.error.code) || failed.error.code === ErrorCodes.INVALID_INPUT)) {
    try {
      await auditRefusal(name, event, failed.error.code);
    } catch (e) {
      createLogger({ fn: 'admin', requestId: '-' }).error('refusal audit failed', { action: name, error: (e as Error).message });
    }
  }
  return result;
}
