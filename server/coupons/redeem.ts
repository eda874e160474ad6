import { DomainError } from '../../core/errors';
import { CouponErrors, decideRedeem, parseCouponCode } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { resolveMember } from '../points/members';
import { audit, type AuditActor } from '../audit';
import { requireStore, type StaffDoc } from '../staff/require';
import { toCoupon, type CouponDoc } from './documents';

export interface RedeemInput {
  code: string;
  storeId: string;
  orderAmountFen: number;
  memberId?: string;
}

/**
 * Redeems a coupon by its code, once: the coupon document is read in the transaction (locked), so
 * of two staff scanning at once the second sees it used and gets COUPON_ALREADY_USED. Audited in
 * the same transaction. `who` is the staff member or the signed external system.
 */
export async function redeemCoupon(db: Database, input: RedeemInput, who: { staff?: StaffDoc; actor: AuditActor }, now: Date) {
  const code = parseCouponCode(input.code);
  if (who.staff) requireStore(who.staff, input.storeId);
  const found = (await db.collection('coupons').where({ code }).field({ _id: true, memberId: true }).limit(1).get()) as unknown as { data: Pick<CouponDoc, '_id' | 'memberId'>[] };
  const hit = found.data[0];
  if (!hit) throw new DomainError(CouponErrors.COUPON_CODE_INVALID, '未找到该券码');
  // the coupon may have been issued to an id merged since: ownership is by person
  const owner = (await resolveMember(db, hit.memberId))._id;
  const payer = input.memberId ? (await resolveMember(db, input.memberId))._id : owner;

  return inTransaction(db, async (tx) => {
    const doc = (await tx.collection('coupons').doc(hit._id).get()).data as CouponDoc | null;
    if (!doc) throw new DomainError(CouponErrors.COUPON_CODE_INVALID, '未找到该券码');
    const coupon = toCoupon({ ...doc, _id: hit._id });
    const decision = decideRedeem({ ...coupon, memberId: owner }, { memberId: payer, storeId: input.storeId, orderAmountFen: input.orderAmountFen }, now);
    const by = who.actor.who;
    await tx.collection('coupons').doc(hit._id).update({
      data: { usedAt: now, status: 'used', redeemedBy: by, redeemedStoreId: input.storeId, orderAmountFen: input.orderAmountFen, discountFen: decision.discountFen },
    });
    await audit(tx, { ...who.actor, at: now, action: 'coupons.redeem', target: hit._id, before: { status: doc.status, usedAt: null }, after: { status: 'used', usedAt: now, storeId: input.storeId, discountFen: decision.discountFen } });
    await emit(tx, { type: 'coupon.redeemed', memberId: owner, at: now, data: { couponId: hit._id, templateId: doc.templateId, storeId: input.storeId, discountFen: decision.discountFen } });
    return {
      couponId: hit._id,
      memberId: owner,
      templateId: doc.templateId,
      name: doc.name,
      discountFen: decision.discountFen,
      payableFen: decision.payableFen,
      gift: decision.gift,
      usedAt: now.toISOString(),
    };
  });
}
