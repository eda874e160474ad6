import type { z } from 'zod';
import type { inspect, inspectStatus } from '../../core/contracts/coupons';
import { decideRedeem, formatCouponCode, parseCouponCode } from '../../core/coupons';
import { DomainError, isDomainError, ErrorCodes } from '../../core/errors';
import type { Handler } from '../kit/router';
import { readDoc } from '../db/documents';
import { requireStaff, requireStore } from '../staff/require';
import { toCoupon, type CouponDoc } from './documents';
import { existingMember } from '../members/resolve';

type Text = { zh: string; en?: string };
const iso = (d: Date | string) => new Date(d).toISOString();

/** 林小满 → 林**: enough for staff to confirm the person showing the code (as the member-code scan shows it). */
export const maskName = (name: string | undefined): string | null =>
  name ? `${[...name][0]}${'*'.repeat(Math.max(1, [...name].length - 1))}` : null;

function statusAt(
  c: { usedAt: Date | null; validFrom: Date; validUntil: Date },
  now: Date,
): z.output<typeof inspectStatus> {
  if (c.usedAt) return 'used';
  if (now.getTime() >= c.validUntil.getTime()) return 'expired';
  return now.getTime() < c.validFrom.getTime() ? 'notYetValid' : 'usable';
}

/**
 * coupons.inspect: staff read a coupon by its code before redeeming it (read-only, so not audited).
 * Any staff member with `coupons.redeem` may read any coupon, as member lookup is brand-wide; a
 * `storeId` must be one of the caller's stores (as for redeeming), and the verdict for it is the
 * core's redeem decision with the order amount set aside (the amount is typed after this).
 */
export const inspectCoupon: Handler<typeof inspect> = async (input, ctx) => {
  const staff = await requireStaff(ctx, 'coupons.redeem');
  const code = parseCouponCode(input.code);
  if (input.storeId !== undefined) requireStore(staff, input.storeId);
  const found = (await ctx.db.collection('coupons').where({ code }).limit(1).get()) as unknown as { data: CouponDoc[] };
  const doc = found.data[0];
  if (!doc) throw new DomainError(ErrorCodes.COUPON_CODE_INVALID, '未找到该券码');
  const now = ctx.now();
  const coupon = toCoupon(doc);
  const [holder, stores] = await Promise.all([
    existingMember(ctx.db, doc.memberId),
    coupon.storeIds
      ? Promise.all(
          coupon.storeIds.map(async (storeId) => ({
            storeId,
            name: (await readDoc<{ name?: Text }>(ctx.db, 'stores', storeId))?.name ?? { zh: storeId },
          })),
        )
      : null,
  ]);
  let here: z.input<typeof inspect.output>['here'] = null;
  if (input.storeId !== undefined) {
    let blocked: { code: string; message: string } | null = null;
    try {
      decideRedeem(
        { ...coupon, memberId: holder._id },
        { memberId: holder._id, storeId: input.storeId, orderAmountFen: coupon.minSpendFen },
        now,
      );
    } catch (e) {
      if (!isDomainError(e)) throw e;
      blocked = { code: e.code, message: e.message };
    }
    here = { storeId: input.storeId, redeemable: blocked === null, blocked };
  }
  return {
    couponId: doc._id,
    code,
    codeDisplay: formatCouponCode(code),
    templateId: doc.templateId,
    name: doc.name,
    benefit: doc.benefit,
    minSpendFen: doc.minSpendFen,
    status: statusAt(coupon, now),
    validFrom: iso(doc.validFrom),
    validUntil: iso(doc.validUntil),
    usedAt: doc.usedAt ? iso(doc.usedAt) : null,
    holder: {
      memberId: holder._id,
      displayName: maskName(holder.name) ?? holder.nickname ?? null,
      cardNo: holder.cardNo ?? null,
    },
    stores,
    here,
  };
};
