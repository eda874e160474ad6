import { randomBytes } from 'node:crypto';
import { buildCoupon, generateCouponCode, COUPON_CODE_RANDOM_BYTES, type ClaimDecision, type CouponChannel, type CouponTemplate } from '../../core/coupons';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import { body } from '../db/documents';
import { insert } from '../points/account';
import { claimCounterId, type ClaimCounterDoc, type CouponDoc } from './documents';
import { readTemplateTx } from './templates';

export type Decide = (template: CouponTemplate, state: { claimedByMember: number; issuedTotal: number }) => ClaimDecision;

/**
 * Issues one coupon of a template to a member inside the caller's transaction. The member's
 * counter and then the template (stock) are read with `doc().get()`, so concurrent issues of one
 * template queue on its document and each sees the count the previous one wrote: stock is never
 * oversold and the per-member limit never exceeded. `decide` is the core rule (claim, grant or exchange).
 */
export async function issueCoupon(
  tx: Tx,
  input: { templateId: string; memberId: string; channel: CouponChannel; now: Date; decide: Decide },
): Promise<CouponDoc> {
  const { templateId, memberId, channel, now } = input;
  const counterRef = tx.collection('coupon_claims').doc(claimCounterId(templateId, memberId));
  const counter = (await counterRef.get()).data as ClaimCounterDoc | null;
  const { template, issued } = await readTemplateTx(tx, templateId);
  const claimed = counter?.count ?? 0;
  const decision = input.decide(template, { claimedByMember: claimed, issuedTotal: issued });

  const coupon = buildCoupon(template, { couponId: `cp_${randomBytes(10).toString('hex')}`, memberId, code: generateCouponCode(randomBytes(COUPON_CODE_RANDOM_BYTES)) }, decision, now);
  const { couponId, ...rest } = coupon;
  const doc: CouponDoc = { _id: couponId, ...rest, name: template.name, channel, status: 'available' };
  await insert(tx, 'coupons', couponId, body(doc));
  await tx.collection('coupon_templates').doc(templateId).update({ data: { issued: issued + 1 } });
  if (counter) await counterRef.update({ data: { count: claimed + 1 } });
  else await insert(tx, 'coupon_claims', claimCounterId(templateId, memberId), { templateId, memberId, count: 1 });
  await emit(tx, { type: 'coupon.issued', memberId, at: now, data: { couponId, templateId, channel } });
  return doc;
}
