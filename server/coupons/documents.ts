import type { z } from 'zod';
import type { couponView } from '../../core/contracts/coupons';
import { couponStatus, type Coupon, type CouponChannel, type CouponStatus } from '../../core/coupons';

/** A `coupons` document: the issued coupon, a snapshot of its template's terms. */
export interface CouponDoc extends Omit<Coupon, 'couponId'> {
  _id: string;
  name: { zh: string; en?: string };
  channel: CouponChannel;
  /** Stored for queries (wallet tabs, expiry job); `couponStatus` at read time is the truth. */
  status: CouponStatus;
  redeemedBy?: string;
  redeemedStoreId?: string;
  orderAmountFen?: number;
  discountFen?: number;
}

/** `coupon_claims/<templateId>:<memberId>`: how many of a template the member has been issued. */
export interface ClaimCounterDoc {
  _id: string;
  templateId: string;
  memberId: string;
  count: number;
}

export const claimCounterId = (templateId: string, memberId: string): string => `${templateId}:${memberId}`;

const iso = (d: Date | string) => new Date(d).toISOString();

/** Stored dates may come back as Date or string; the core works with Dates. */
export const toCoupon = (d: CouponDoc): Coupon => ({
  couponId: d._id,
  templateId: d.templateId,
  memberId: d.memberId,
  code: d.code,
  benefit: d.benefit,
  minSpendFen: d.minSpendFen,
  storeIds: d.storeIds ?? null,
  claimedAt: new Date(d.claimedAt),
  validFrom: new Date(d.validFrom),
  validUntil: new Date(d.validUntil),
  usedAt: d.usedAt ? new Date(d.usedAt) : null,
});

export function viewOf(d: CouponDoc, now: Date): z.input<typeof couponView> {
  return {
    couponId: d._id,
    templateId: d.templateId,
    name: d.name,
    benefit: d.benefit,
    minSpendFen: d.minSpendFen,
    storeIds: d.storeIds ?? null,
    claimedAt: iso(d.claimedAt),
    validFrom: iso(d.validFrom),
    validUntil: iso(d.validUntil),
    usedAt: d.usedAt ? iso(d.usedAt) : null,
    status: couponStatus({ usedAt: d.usedAt ? new Date(d.usedAt) : null, validUntil: new Date(d.validUntil) }, now),
  };
}
