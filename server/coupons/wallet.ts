import { DomainError, ErrorCodes, isDomainError } from '../../core/errors';
import { decideClaim, formatCouponCode, type CouponStatus } from '../../core/coupons';
import type { ActionContext } from '../kit/context';
import { readDoc } from '../db/documents';
import { valueRules } from '../points/brand';
import { viewOf, type ClaimCounterDoc, type CouponDoc } from './documents';
import { stockFiguresOf } from './stock';
import { listTemplates, templateBasics } from './templates';
import { requireMember } from '../members/resolve';

const WALLET_MAX = 200;

/** coupons.list: the caller's coupons, newest first, with the status at this instant. */
export async function listCoupons(ctx: ActionContext, status?: CouponStatus) {
  const now = ctx.now();
  const member = await requireMember(ctx.db, ctx.openid);
  const found = (await ctx.db
    .collection('coupons')
    .where({ memberId: member._id })
    .orderBy('claimedAt', 'desc')
    .limit(WALLET_MAX)
    .get()) as unknown as { data: CouponDoc[] };
  const items = found.data.map((d) => viewOf(d, now)).filter((v) => !status || v.status === status);
  return { items };
}

/** coupons.detail: one of the caller's coupons with its code; someone else's is "not found". */
export async function couponDetail(ctx: ActionContext, couponId: string) {
  const member = await requireMember(ctx.db, ctx.openid);
  const doc = await readDoc<CouponDoc>(ctx.db, 'coupons', couponId);
  if (!doc || doc.memberId !== member._id) throw new DomainError(ErrorCodes.NOT_FOUND, '券不存在');
  return { ...viewOf({ ...doc, _id: couponId }, ctx.now()), code: doc.code, codeDisplay: formatCouponCode(doc.code) };
}

/** coupons.claimCentre: what the channel offers now, and for each whether the caller can take it (the core decides). */
export async function claimCentre(ctx: ActionContext, channel: 'claimCentre' | 'pointsMall') {
  const now = ctx.now();
  const tz = valueRules().timeZone;
  const member = await requireMember(ctx.db, ctx.openid);
  const { stored, invalid } = await listTemplates(ctx.db);
  if (invalid.length) ctx.log.warn('invalid coupon templates skipped', { invalid });
  const counters = (await ctx.db
    .collection('coupon_claims')
    .where({ memberId: member._id })
    .limit(1000)
    .get()) as unknown as { data: ClaimCounterDoc[] };
  const claimedOf = new Map(counters.data.map((c) => [c.templateId, c.count]));
  const offered = stored
    .filter(
      ({ template: t }) =>
        t.channels.includes(channel) && !t.paused && (channel !== 'pointsMall' || t.pointsCost !== undefined),
    )
    .filter(({ template: t }) => !t.activeWindow || now.getTime() < t.activeWindow.until.getTime());
  const figures = await stockFiguresOf(ctx.db, offered);
  const items = offered.map(({ template: t }) => {
    const claimedByMember = claimedOf.get(t.templateId) ?? 0;
    const remaining = figures.get(t.templateId)?.left ?? null;
    let blocked: { code: string; message: string } | null = null;
    try {
      decideClaim(t, { claimedByMember, stockLeft: remaining, channel }, now, tz);
    } catch (e) {
      if (!isDomainError(e)) throw e;
      blocked = { code: e.code, message: e.message };
    }
    return {
      ...templateBasics(t),
      remaining,
      claimedByMember,
      claimable: blocked === null,
      blocked,
    };
  });
  return { items };
}
