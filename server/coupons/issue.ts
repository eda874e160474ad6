import { randomBytes } from 'node:crypto';
import {
  buildCoupon,
  generateCouponCode,
  COUPON_CODE_RANDOM_BYTES,
  type ClaimDecision,
  type CouponChannel,
  type CouponTemplate,
} from '../../core/coupons';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import { body } from '../db/documents';
import { insert } from '../points/account';
import { claimCounterId, type ClaimCounterDoc, type CouponDoc } from './documents';
import { takeUnit, type StockSnapshot } from './stock';

export type Decide = (
  template: CouponTemplate,
  state: { claimedByMember: number; stockLeft: number | null },
) => ClaimDecision;

/** The member's counter of a template, read locked: concurrent issues to one member queue on it. */
export const readCounterTx = async (tx: Tx, templateId: string, memberId: string): Promise<ClaimCounterDoc | null> =>
  (await tx.collection('coupon_claims').doc(claimCounterId(templateId, memberId)).get()).data as ClaimCounterDoc | null;

/**
 * Issues one coupon of a template to a member inside the caller's transaction. The member's
 * counter is read locked (pass it when already read in this transaction), so the per-member limit
 * is never exceeded; then a unit is taken from one stock shard (`takeUnit`), so stock is never
 * oversold while claims of one template run side by side. The template's terms come from the
 * snapshot, not the transaction: claims never lock the template document. `decide` is the core
 * rule (claim, grant or exchange): first for the member's limit and the terms, then for stock.
 * `couponId` is random unless the caller derives it (a claim: from its request, see claim.ts).
 */
export async function issueCoupon(
  tx: Tx,
  input: {
    snap: StockSnapshot;
    memberId: string;
    channel: CouponChannel;
    now: Date;
    decide: Decide;
    counter?: ClaimCounterDoc | null;
    couponId?: string;
  },
): Promise<CouponDoc> {
  const { snap, memberId, channel, now } = input;
  const template = snap.stored.template;
  const templateId = template.templateId;
  const counter = input.counter !== undefined ? input.counter : await readCounterTx(tx, templateId, memberId);
  const claimed = counter?.count ?? 0;
  input.decide(template, { claimedByMember: claimed, stockLeft: null });
  const taken = await takeUnit(tx, snap);
  const decision = input.decide(template, { claimedByMember: claimed, stockLeft: taken ? 1 : 0 });

  const coupon = buildCoupon(
    template,
    {
      couponId: input.couponId ?? `cp_${randomBytes(10).toString('hex')}`,
      memberId,
      code: generateCouponCode(randomBytes(COUPON_CODE_RANDOM_BYTES)),
    },
    decision,
    now,
  );
  const { couponId, ...rest } = coupon;
  const doc: CouponDoc = { _id: couponId, ...rest, name: template.name, channel, status: 'available' };
  await insert(tx, 'coupons', couponId, body(doc));
  if (counter)
    await tx
      .collection('coupon_claims')
      .doc(claimCounterId(templateId, memberId))
      .update({ data: { count: claimed + 1 } });
  else await insert(tx, 'coupon_claims', claimCounterId(templateId, memberId), { templateId, memberId, count: 1 });
  await emit(tx, { type: 'coupon.issued', memberId, at: now, data: { couponId, templateId, channel } });
  return doc;
}
