import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import type { CouponDoc } from './documents';

const PAGE = 500;
const MAX_ROUNDS = 200;

/**
 * The nightly coupon job: marks unused coupons past their validity 'expired' and emits
 * `coupon.expired`, one transaction per coupon (a redemption racing it wins or loses cleanly;
 * redemption checks validity itself, so the stored status is only for lists and reports).
 */
export async function runCouponExpiry(ctx: SystemContext): Promise<{ expired: number; failed: number }> {
  const now = ctx.now();
  const _ = ctx.db.command;
  const skip = new Set<string>();
  let failed = 0;
  let expired = 0;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const page = (await ctx.db
      .collection('coupons')
      .where({ status: 'available', validUntil: _.lte(now) })
      .field({ _id: true })
      .limit(PAGE)
      .get()) as unknown as { data: { _id: string }[] };
    const todo = page.data.filter((c) => !skip.has(c._id));
    if (todo.length === 0) break;
    for (const { _id } of todo) {
      try {
        const changed = await inTransaction(ctx.db, async (tx) => {
          const doc = (await tx.collection('coupons').doc(_id).get()).data as CouponDoc | null;
          if (!doc || doc.usedAt || doc.status !== 'available' || new Date(doc.validUntil).getTime() > now.getTime())
            return false;
          await tx
            .collection('coupons')
            .doc(_id)
            .update({ data: { status: 'expired' } });
          await emit(tx, {
            type: 'coupon.expired',
            memberId: doc.memberId,
            at: now,
            data: { couponId: _id, templateId: doc.templateId },
          });
          return true;
        });
        if (changed) expired++;
        else skip.add(_id); // used or extended meanwhile: do not pick it again this run
      } catch (e) {
        skip.add(_id);
        failed++;
        ctx.log.error('coupon expiry failed', { couponId: _id, error: (e as Error).message });
      }
    }
  }
  return { expired, failed };
}
