import { createHash } from 'node:crypto';
import { decideClaim, outOfStock } from '../../core/coupons';
import { isDomainError, ErrorCodes } from '../../core/errors';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { readDoc } from '../db/documents';
import { identityId, type IdentityDoc } from '../members/documents';
import { valueRules } from '../points/brand';
import { claimCounterId, viewOf, type ClaimCounterDoc, type CouponDoc } from './documents';
import { issueCoupon, readForIssue } from './issue';
import { markSoldOut, stockSnapshot } from './stock';
import { markedSoldOut, readTemplate } from './templates';
import { knownSoldOut, rememberSoldOut } from './sold-out-memo';
import { existingMember, noMember } from '../members/resolve';

/**
 * A claim's coupon has an id derived from the template, the caller's OpenID (which a retry always
 * carries) and the request id: a retry finds its coupon in one read, without knowing the member
 * first, and the coupon itself is the record of the claim.
 */
export const claimedCouponId = (templateId: string, openid: string, requestId: string): string =>
  `cp_${createHash('sha256').update(`${templateId}\n${openid}\n${requestId}`).digest('hex').slice(0, 20)}`;
const readCounter = (db: Database, templateId: string, memberId: string) =>
  readDoc<ClaimCounterDoc>(db, 'coupon_claims', claimCounterId(templateId, memberId));

/**
 * coupons.claim in the claim centre. A retry with the same requestId returns the first coupon.
 *
 * A template that is sold out refuses every claim that is not such a retry, before anything about
 * the caller is read: stock only comes back by a staff restock. So a late claim in a sold-out rush
 * costs one read (its coupon, by the derived id) while this instance remembers the template sold
 * out (sold-out-memo.ts), and three (that coupon, the template, the identity) otherwise.
 *
 * Stock and limits only ever get used up, so any other claim the committed state already refuses is
 * refused without a transaction. The rest decide in one transaction that locks the member's counter
 * and one stock shard, never the template.
 */
export async function claimCoupon(ctx: ActionContext, templateId: string, requestId: string) {
  const now = ctx.now();
  const tz = valueRules().timeZone;
  const channel = 'claimCentre' as const;
  const couponId = claimedCouponId(templateId, ctx.openid, requestId);
  const replay = (doc: CouponDoc) => ({ coupon: viewOf(doc, now), replayed: true });

  if (knownSoldOut(templateId, now)) {
    const earlier = await readDoc<CouponDoc>(ctx.db, 'coupons', couponId);
    if (earlier) return replay(earlier);
    throw outOfStock();
  }
  const [earlier, first, identity] = await Promise.all([
    readDoc<CouponDoc>(ctx.db, 'coupons', couponId),
    readTemplate(ctx.db, templateId),
    readDoc<IdentityDoc>(ctx.db, 'identities', identityId('mp_openid', ctx.openid)),
  ]);
  if (earlier) return replay(earlier);
  if (markedSoldOut(first)) {
    rememberSoldOut(templateId, now);
    throw outOfStock();
  }
  if (!identity) throw noMember();
  // the counter under the identity's member is nearly always the one (a merge in progress is the exception)
  const [member, guessed, snap] = await Promise.all([
    existingMember(ctx.db, identity.memberId),
    readCounter(ctx.db, templateId, identity.memberId),
    stockSnapshot(ctx.db, first),
  ]);
  const counter = member._id === identity.memberId ? guessed : await readCounter(ctx.db, templateId, member._id);
  try {
    decideClaim(snap.stored.template, { claimedByMember: counter?.count ?? 0, stockLeft: snap.left, channel }, now, tz);
  } catch (e) {
    if (isDomainError(e) && e.code === ErrorCodes.COUPON_OUT_OF_STOCK && snap.left === 0) {
      rememberSoldOut(templateId, now);
      if (snap.stored.stockVersion !== null) await markSoldOut(ctx.db, templateId, snap.stored.stockVersion);
    }
    throw e;
  }

  const r = await inTransaction(ctx.db, async (tx) => {
    const reads = await readForIssue(tx, snap, member._id);
    // a concurrent retry that got here first holds the counter: its coupon is then committed
    if ((reads.counter?.count ?? 0) > 0) {
      const seen = (await tx.collection('coupons').doc(couponId).get()).data as Omit<CouponDoc, '_id'> | null;
      if (seen) return { doc: { ...seen, _id: couponId } as CouponDoc, issued: false };
    }
    const doc = await issueCoupon(tx, {
      snap,
      memberId: member._id,
      channel,
      now,
      reads,
      couponId,
      decide: (t, s) => decideClaim(t, { ...s, channel }, now, tz),
    });
    return { doc, issued: true };
  });
  return r.issued ? { coupon: viewOf(r.doc, now), replayed: false } : replay(r.doc);
}
