import { DomainError, ErrorCodes } from '../../core/errors';
import { decideRedeem, parseCouponCode } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import { inTransaction, type Tx } from '../db/transaction';
import { once } from '../db/idempotency';
import { readDoc } from '../db/documents';
import { emit } from '../db/events';
import { audit, type AuditActor } from '../audit';
import { requireStore, type StaffDoc } from '../staff/require';
import { toCoupon, type CouponDoc } from './documents';
import { existingMember } from '../members/resolve';

export interface RedeemInput {
  code: string;
  storeId: string;
  orderAmountFen: number;
  memberId?: string;
  /** Staff retries of one intent: same staff, same code, same id → the first answer. */
  requestId?: string;
}

export interface RedeemAnswer {
  couponId: string;
  memberId: string;
  templateId: string;
  name: { zh: string; en?: string };
  discountFen: number;
  payableFen: number;
  gift: { zh: string; en?: string } | null;
  usedAt: string;
}

const redeemKey = (who: string, code: string, requestId: string) => `coupons.redeem:${who}:${code}:${requestId}`;

/**
 * Redeems a coupon by its code, once: the coupon document is read in the transaction (locked), so
 * of two staff scanning at once the second sees it used and gets COUPON_ALREADY_USED. Audited in
 * the same transaction. `who` is the staff member or the signed external system.
 *
 * With a requestId the transaction also holds `idempotency/<key>` (read first, so two concurrent
 * attempts with one id queue on it): the second finds the first answer and replays it. A refused
 * attempt stores nothing, so its retry is decided afresh.
 */
export async function redeemCoupon(
  db: Database,
  input: RedeemInput,
  who: { staff?: StaffDoc; actor: AuditActor },
  now: Date,
): Promise<RedeemAnswer & { replayed: boolean }> {
  const code = parseCouponCode(input.code);
  if (who.staff) requireStore(who.staff, input.storeId);
  const key = input.requestId ? redeemKey(who.actor.who, code, input.requestId) : null;
  if (key) {
    const earlier = await readDoc<{ result: RedeemAnswer }>(db, 'idempotency', key);
    if (earlier) return { ...earlier.result, replayed: true };
  }
  const found = (await db
    .collection('coupons')
    .where({ code })
    .field({ _id: true, memberId: true })
    .limit(1)
    .get()) as unknown as { data: Pick<CouponDoc, '_id' | 'memberId'>[] };
  const hit = found.data[0];
  if (!hit) throw new DomainError(ErrorCodes.COUPON_CODE_INVALID, '未找到该券码');
  // the coupon may have been issued to an id merged since: ownership is by person
  const owner = (await existingMember(db, hit.memberId))._id;
  const payer = input.memberId ? (await existingMember(db, input.memberId))._id : owner;

  const r = await inTransaction(db, async (tx) => {
    const work = () => redeemIn(tx, hit._id, owner, payer, input, who.actor, now);
    return key ? once(tx, key, now, work) : { result: await work(), replayed: false };
  });
  return { ...r.result, replayed: r.replayed };
}

/** The redemption itself, in the caller's transaction: decide, mark used, audit, emit. */
async function redeemIn(
  tx: Tx,
  couponId: string,
  owner: string,
  payer: string,
  input: RedeemInput,
  actor: AuditActor,
  now: Date,
): Promise<RedeemAnswer> {
  const doc = (await tx.collection('coupons').doc(couponId).get()).data as CouponDoc | null;
  if (!doc) throw new DomainError(ErrorCodes.COUPON_CODE_INVALID, '未找到该券码');
  const coupon = toCoupon({ ...doc, _id: couponId });
  const decision = decideRedeem(
    { ...coupon, memberId: owner },
    { memberId: payer, storeId: input.storeId, orderAmountFen: input.orderAmountFen },
    now,
  );
  await tx
    .collection('coupons')
    .doc(couponId)
    .update({
      data: {
        usedAt: now,
        status: 'used',
        redeemedBy: actor.who,
        redeemedStoreId: input.storeId,
        orderAmountFen: input.orderAmountFen,
        discountFen: decision.discountFen,
      },
    });
  await audit(tx, {
    ...actor,
    at: now,
    action: 'coupons.redeem',
    target: couponId,
    before: { status: doc.status, usedAt: null },
    after: { status: 'used', usedAt: now, storeId: input.storeId, discountFen: decision.discountFen },
  });
  await emit(tx, {
    type: 'coupon.redeemed',
    memberId: owner,
    at: now,
    data: { couponId, templateId: doc.templateId, storeId: input.storeId, discountFen: decision.discountFen },
  });
  return {
    couponId,
    memberId: owner,
    templateId: doc.templateId,
    name: doc.name,
    discountFen: decision.discountFen,
    payableFen: decision.payableFen,
    gift: decision.gift,
    usedAt: now.toISOString(),
  };
}
