import { decideExchange } from '../../core/coupons';
import type { SpendPlan } from '../../core/ledger';
import type { ActionContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { once } from '../db/idempotency';
import { emit } from '../db/events';
import { readDoc } from '../db/documents';
import { debit, openAccount, saveAccount } from '../points/account';
import { valueRules } from '../points/brand';
import { viewOf, type CouponDoc } from './documents';
import { issueCoupon } from './issue';
import { stockSnapshot } from './stock';
import { readTemplate } from './templates';
import { requireMember } from '../members/resolve';

/**
 * coupons.exchange (points mall): one transaction spends the points (oldest first) and issues the
 * coupon, so neither happens without the other. Idempotent by requestId.
 */
export async function exchangeCoupon(ctx: ActionContext, templateId: string, requestId: string) {
  const now = ctx.now();
  const tz = valueRules().timeZone;
  const caller = await requireMember(ctx.db, ctx.openid);
  const key = `coupons.exchange:${caller._id}:${requestId}`;
  const snap = await stockSnapshot(ctx.db, await readTemplate(ctx.db, templateId));
  let fresh = null as { doc: CouponDoc; spent: number; balance: number } | null;

  const r = await inTransaction(ctx.db, (tx) =>
    once(tx, key, now, async () => {
      const acc = await openAccount(tx, caller._id);
      let spend: SpendPlan | null = null;
      const doc = await issueCoupon(tx, {
        snap,
        memberId: acc.member._id,
        channel: 'pointsMall',
        now,
        decide: (t, s) => {
          const d = decideExchange(t, { ...s, lots: acc.lots }, now, tz);
          spend = d.spend;
          return d.claim;
        },
      });
      const plan = spend as SpendPlan | null;
      if (!plan) throw new Error('exchange decided no spend');
      await debit(tx, acc, {
        kind: 'spend',
        key: `spend:${key}`,
        amount: -plan.amount,
        consumed: plan.consumed,
        source: 'coupon',
        reason: `兑换优惠券：${doc.name?.zh ?? templateId} / Coupon: ${doc.name?.en ?? doc.name?.zh ?? templateId}`,
        now,
      });
      await saveAccount(tx, acc);
      await emit(tx, {
        type: 'points.spent',
        memberId: acc.member._id,
        at: now,
        data: { points: plan.amount, couponId: doc._id, balance: acc.balance },
      });
      fresh = { doc, spent: plan.amount, balance: acc.balance };
      return { couponId: doc._id, spent: plan.amount };
    }),
  );
  if (!r.replayed && fresh)
    return { coupon: viewOf(fresh.doc, now), pointsSpent: fresh.spent, balance: fresh.balance, replayed: false };
  const doc = await readDoc<CouponDoc>(ctx.db, 'coupons', r.result.couponId);
  const member = await requireMember(ctx.db, ctx.openid);
  return { coupon: viewOf(doc!, now), pointsSpent: r.result.spent, balance: member.points ?? 0, replayed: true };
}
