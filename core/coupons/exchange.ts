import { DomainError, ErrorCodes } from '../errors';
import { planSpend, type Lot, type SpendPlan } from '../ledger';
import { DEFAULT_TIME_ZONE } from '../time';
import { decideClaim, type ClaimDecision } from './claim';
import { type CouponTemplate } from './template';

/**
 * Points mall: claim through the 'pointsMall' channel and pay its price in points, oldest
 * points first. Both decisions are taken together so the server writes them in one transaction.
 */
export function decideExchange(
  template: CouponTemplate,
  state: { claimedByMember: number; stockLeft: number | null; lots: readonly Lot[] },
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): { claim: ClaimDecision; spend: SpendPlan } {
  if (template.pointsCost === undefined)
    throw new DomainError(ErrorCodes.COUPON_CHANNEL_NOT_ALLOWED, '该券不能用积分兑换');
  const claim = decideClaim(template, { ...state, channel: 'pointsMall' }, now, tz);
  return { claim, spend: planSpend(state.lots, template.pointsCost, now) };
}
