import { decideClaim } from '../../core/coupons';
import type { ActionContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { once } from '../db/idempotency';
import { readDoc } from '../db/documents';
import { valueRules } from '../points/brand';
import { callerMember } from '../points/members';
import { claimCounterId, viewOf, type ClaimCounterDoc, type CouponDoc } from './documents';
import { issueCoupon } from './issue';
import { readTemplate } from './templates';

const claimKey = (memberId: string, requestId: string) => `coupons.claim:${memberId}:${requestId}`;

/**
 * coupons.claim in the claim centre. A retry with the same requestId returns the first coupon.
 * Stock and limits only ever grow used up, so a claim the committed state already refuses is
 * refused without a transaction (that keeps a sold-out rush cheap); the rest decide in one.
 */
export async function claimCoupon(ctx: ActionContext, templateId: string, requestId: string) {
  const now = ctx.now();
  const tz = valueRules().timeZone;
  const member = await callerMember(ctx.db, ctx.openid);
  const key = claimKey(member._id, requestId);
  const replay = async (couponId: string) => ({ coupon: viewOf((await readDoc<CouponDoc>(ctx.db, 'coupons', couponId))!, now), replayed: true });

  const [earlier, { template, issued }, counter] = await Promise.all([
    readDoc<{ result: { couponId: string } }>(ctx.db, 'idempotency', key),
    readTemplate(ctx.db, templateId),
    readDoc<ClaimCounterDoc>(ctx.db, 'coupon_claims', claimCounterId(templateId, member._id)),
  ]);
  if (earlier) return replay(earlier.result.couponId);
  decideClaim(template, { claimedByMember: counter?.count ?? 0, issuedTotal: issued, channel: 'claimCentre' }, now, tz);

  let issuedDoc = null as CouponDoc | null;
  const r = await inTransaction(ctx.db, (tx) =>
    once(tx, key, now, async () => {
      issuedDoc = await issueCoupon(tx, { templateId, memberId: member._id, channel: 'claimCentre', now, decide: (t, s) => decideClaim(t, { ...s, channel: 'claimCentre' }, now, tz) });
      return { couponId: issuedDoc._id };
    }),
  );
  if (r.replayed || !issuedDoc) return replay(r.result.couponId);
  return { coupon: viewOf(issuedDoc, now), replayed: false };
}
