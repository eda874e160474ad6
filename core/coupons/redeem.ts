import { DomainError, ErrorCodes } from '../errors';
import { type Coupon, type CouponBenefit } from './template';

export type CouponStatus = 'available' | 'used' | 'expired';

/** Wallet tab of a coupon. A fixed-window coupon whose window has not begun is 'available' (shown, not yet redeemable). */
export function couponStatus(coupon: Pick<Coupon, 'usedAt' | 'validUntil'>, now: Date): CouponStatus {
  if (coupon.usedAt) return 'used';
  return now.getTime() >= coupon.validUntil.getTime() ? 'expired' : 'available';
}

/** Discount in fen: never more than the order; percent off is floored to the fen (9.99 → 9). */
export function discountFor(benefit: CouponBenefit, orderAmountFen: number): number {
  switch (benefit.kind) {
    case 'amountOff':
      return Math.min(benefit.amountFen, orderAmountFen);
    case 'percentOff': {
      const off = Math.floor((orderAmountFen * Math.round(benefit.percent * 10)) / 1000);
      return Math.min(off, benefit.maxDiscountFen ?? off);
    }
    case 'gift':
      return 0;
  }
}

export interface RedeemDecision {
  discountFen: number;
  payableFen: number;
  /** The gift to hand over, for a gift coupon. */
  gift: Extract<CouponBenefit, { kind: 'gift' }>['gift'] | null;
}

/**
 * May this coupon be used on this order, here, now? Ownership is checked first, so a stranger's
 * code reveals nothing about it. The server marks it used with a conditional write
 * (usedAt == null), so two staff scanning at once give one success.
 */
export function decideRedeem(
  coupon: Coupon,
  order: { memberId: string; storeId: string; orderAmountFen: number },
  now: Date,
): RedeemDecision {
  const { memberId, storeId, orderAmountFen } = order;
  if (!Number.isSafeInteger(orderAmountFen) || orderAmountFen < 0) {
    throw new DomainError(ErrorCodes.INVALID_INPUT, '订单金额必须是非负整数（分）', { orderAmountFen });
  }
  if (coupon.memberId !== memberId) throw new DomainError(ErrorCodes.COUPON_NOT_OWNED, '该券不属于此会员');
  if (coupon.usedAt)
    throw new DomainError(ErrorCodes.COUPON_ALREADY_USED, '该券已使用', { usedAt: coupon.usedAt.toISOString() });
  const t = now.getTime();
  if (t >= coupon.validUntil.getTime())
    throw new DomainError(ErrorCodes.COUPON_EXPIRED, '该券已过期', { validUntil: coupon.validUntil.toISOString() });
  if (t < coupon.validFrom.getTime())
    throw new DomainError(ErrorCodes.COUPON_NOT_YET_VALID, '该券尚未生效', {
      validFrom: coupon.validFrom.toISOString(),
    });
  if (coupon.storeIds && !coupon.storeIds.includes(storeId))
    throw new DomainError(ErrorCodes.COUPON_STORE_NOT_ALLOWED, '该券不能在本门店使用', { storeId });
  if (orderAmountFen < coupon.minSpendFen) {
    throw new DomainError(ErrorCodes.COUPON_MIN_SPEND, `未达到最低消费 ¥${(coupon.minSpendFen / 100).toFixed(2)}`, {
      minSpendFen: coupon.minSpendFen,
      orderAmountFen,
    });
  }
  const discountFen = discountFor(coupon.benefit, orderAmountFen);
  return {
    discountFen,
    payableFen: orderAmountFen - discountFen,
    gift: coupon.benefit.kind === 'gift' ? coupon.benefit.gift : null,
  };
}
