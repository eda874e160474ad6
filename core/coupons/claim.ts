import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';
import { type Coupon, type CouponChannel, type CouponTemplate, type CouponValidity } from './template';

export interface ClaimDecision {
  validFrom: Date;
  validUntil: Date;
}

/** The validity of a coupon claimed at `claimedAt`; days end at local midnight in the brand's zone. */
export function validityFor(validity: CouponValidity, claimedAt: Date, tz: string = DEFAULT_TIME_ZONE): ClaimDecision {
  if (validity.kind === 'fixed') {
    return {
      validFrom: instantOf(validity.fromDate, '00:00', tz),
      validUntil: instantOf(addDays(validity.untilDate, 1), '00:00', tz),
    };
  }
  return { validFrom: claimedAt, validUntil: instantOf(addDays(localDate(claimedAt, tz), validity.days), '00:00', tz) };
}

/**
 * May this member get one more coupon of the template now? The counts come from the server's
 * transaction, which also applies the decision with conditional writes so stock and limits
 * hold under concurrency. The member's own limit is checked before stock: "已领取" tells more
 * than "已抢光" to someone who has one. `stockLeft` is what the claim may draw from (null: no
 * stock check here: unlimited, or the caller checks when it takes a unit).
 */
export function decideClaim(
  template: CouponTemplate,
  state: { claimedByMember: number; stockLeft: number | null; channel?: CouponChannel },
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): ClaimDecision {
  const t = now.getTime();
  if (template.paused) throw new DomainError(ErrorCodes.COUPON_PAUSED, '该券已暂停发放');
  const w = template.activeWindow;
  if (w && (t < w.from.getTime() || t >= w.until.getTime())) {
    throw new DomainError(ErrorCodes.COUPON_NOT_ACTIVE, '不在领取时间内', {
      from: w.from.toISOString(),
      until: w.until.toISOString(),
    });
  }
  if (state.channel && !template.channels.includes(state.channel)) {
    throw new DomainError(ErrorCodes.COUPON_CHANNEL_NOT_ALLOWED, '该券不支持此领取方式', { channel: state.channel });
  }
  const validity = validityFor(template.validity, now, tz);
  if (validity.validUntil.getTime() <= t)
    throw new DomainError(ErrorCodes.COUPON_NOT_ACTIVE, '该券有效期已结束', {
      validUntil: validity.validUntil.toISOString(),
    });
  if (template.perMemberLimit !== null && state.claimedByMember >= template.perMemberLimit) {
    throw new DomainError(ErrorCodes.COUPON_LIMIT_REACHED, '已达领取上限', { limit: template.perMemberLimit });
  }
  if (template.totalStock !== null && state.stockLeft !== null && state.stockLeft <= 0) {
    throw outOfStock();
  }
  return validity;
}

/** The refusal of a claim on a template with no stock left. */
export const outOfStock = (): DomainError => new DomainError(ErrorCodes.COUPON_OUT_OF_STOCK, '券已领完');

/** The coupon record a successful claim writes. */
export function buildCoupon(
  template: CouponTemplate,
  ids: { couponId: string; memberId: string; code: string },
  claim: ClaimDecision,
  now: Date,
): Coupon {
  return {
    ...ids,
    templateId: template.templateId,
    benefit: template.benefit,
    minSpendFen: template.minSpendFen,
    storeIds: template.storeIds,
    claimedAt: now,
    validFrom: claim.validFrom,
    validUntil: claim.validUntil,
    usedAt: null,
  };
}
