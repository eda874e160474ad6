import { membersQuery } from '../members/store';
import type { setTrackingConsent as consentContract, track as trackContract } from '../../core/contracts/behaviour';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { Handler } from '../kit/router';
import { requireMember } from '../members/resolve';
import { storeBehaviour } from './ingest';

type Removed = { stats?: { removed?: number } };
const NOT_CONSENTED = '未同意行为数据收集 / behaviour tracking not agreed';

/** The Mini Program tracker's batch: stored only for a member who agreed to tracking. */
export const track: Handler<typeof trackContract> = async (input, ctx) => {
  const m = await requireMember(ctx.db, ctx.openid);
  if (m.consents?.trackingOptIn !== true) throw new DomainError(ErrorCodes.TRACKING_NOT_CONSENTED, NOT_CONSENTED);
  return storeBehaviour(ctx.db, ctx.now(), [{ subject: { memberId: m._id, via: 'mp' }, events: input.events }]);
};

/**
 * Agreeing turns the tracker on; declining turns it off and erases the behaviour collected so far
 * (interests and recommendations then start from orders only).
 */
export const setTrackingConsent: Handler<typeof consentContract> = async (input, ctx) => {
  const now = ctx.now();
  const m = await requireMember(ctx.db, ctx.openid);
  const choice = { 'consents.trackingOptIn': input.optIn, 'consents.trackingChangedAt': now };
  await membersQuery(ctx.db).doc(m._id).update({ data: choice });
  let erased = 0;
  if (!input.optIn) {
    const r = (await ctx.db.collection('behaviour').where({ memberId: m._id }).remove()) as Removed;
    erased = r.stats?.removed ?? 0;
  }
  return { trackingOptIn: input.optIn, changedAt: now.toISOString(), erased };
};
