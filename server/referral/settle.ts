import { decideReward, type RewardAction, type RewardSide } from '../../core/referral';
import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import type { EventType } from '../../core/events';
import { readDoc } from '../db/documents';
import { grantCoupon } from '../coupons/grant';
import { systemActor } from '../audit';
import { referralConfig } from './config';
import { asDate, type ReferralDoc } from './documents';
import { partyOf } from './parties';
import { resolveMember } from '../members/resolve';
import type { AnyDb } from '../runtime/cloud';

const RETRY_MS = 3_600_000;
type RewardEvent = Extract<EventType, `referral.reward_${string}`>;
const EVENT: Record<RewardAction['action'], RewardEvent> = {
  grant: 'referral.reward_granted',
  hold: 'referral.reward_held',
  cancel: 'referral.reward_cancelled',
};

/**
 * Applies what `decideReward` says for one referral, in one transaction with the referral
 * document: coupons through `grantCoupon` under the occasion `referral:<friendId>` (once per
 * person and friend, whatever the retries), holds until the refund window ends, cancellations.
 */
export async function settleReferral(ctx: SystemContext, id: string): Promise<number> {
  const now = ctx.now();
  const snap = await readDoc<ReferralDoc>(ctx.db, 'referrals', id);
  if (!snap) return 0;
  const [referrerM, friendM] = await Promise.all([
    resolveMember(ctx.db, snap.referrerId),
    resolveMember(ctx.db, snap.refereeId),
  ]);
  if (!referrerM || !friendM) {
    await ctx.db
      .collection('referrals')
      .doc(id)
      .update({ data: { dueAt: null } });
    return 0;
  }
  const [config, referrer, friend] = await Promise.all([
    referralConfig(ctx.db),
    partyOf(ctx.db, referrerM),
    partyOf(ctx.db, friendM),
  ]);
  const memberOf: Record<RewardSide, string> = { referrer: referrerM._id, friend: friendM._id };
  try {
    return await inTransaction(ctx.db, async (tx) => {
      const r = (await tx.collection('referrals').doc(id).get()).data as ReferralDoc | null;
      if (!r) return 0;
      const order = r.firstOrder;
      const { actions, nextCheckAt } = decideReward({
        referrer,
        friend,
        friendJoinedAt: asDate(r.joinedAt),
        firstPaidOrder: order
          ? { orderId: order.orderId, paidAt: asDate(order.paidAt) as Date, refundedAt: asDate(order.refundedAt) }
          : null,
        current: r.rewards,
        config,
        now,
      });
      const rewards = { ...r.rewards };
      const couponIds = { ...r.couponIds };
      for (const a of actions) {
        const memberId = memberOf[a.side];
        if (a.action === 'grant') {
          const g = await grantCoupon(tx, ctx.db, {
            templateId: a.couponTemplateId,
            memberId,
            occasion: `referral:${id}`,
            reason: `referral ${a.side}`,
            who: systemActor('referral'),
            now,
          });
          if (g.coupon) couponIds[a.side] = g.coupon._id;
          rewards[a.side] = 'granted';
        } else rewards[a.side] = a.action === 'hold' ? 'held' : 'cancelled';
        await emit(tx, {
          type: EVENT[a.action],
          memberId,
          at: now,
          data: {
            referralId: id,
            side: a.side,
            referrerId: referrerM._id,
            friendId: friendM._id,
            couponId: couponIds[a.side] ?? null,
            releaseAt: a.releaseAt ?? null,
            reason: a.reason ?? null,
            orderId: a.orderId ?? null,
          },
        });
      }
      await tx
        .collection('referrals')
        .doc(id)
        .update({ data: { rewards, couponIds, releaseAt: nextCheckAt, dueAt: nextCheckAt } });
      return actions.length;
    });
  } catch (e) {
    // e.g. the voucher template is out of stock or paused: try again later, other referrals go on
    ctx.log.error('referral reward failed', { referralId: id, error: (e as Error)?.message ?? String(e) });
    await ctx.db
      .collection('referrals')
      .doc(id)
      .update({ data: { dueAt: new Date(now.getTime() + RETRY_MS) } });
    return 0;
  }
}

/** Every referral due now: an event arrived for it, a hold ended, or a failed grant is retried. */
export async function settleDue(ctx: SystemContext, deadlineMs: number): Promise<number> {
  const db = ctx.db as AnyDb;
  let done = 0;
  const seen = new Set<string>();
  while (Date.now() < deadlineMs) {
    const page = (
      await db
        .collection('referrals')
        .where({ dueAt: db.command.lte(ctx.now()) })
        .orderBy('dueAt', 'asc')
        .limit(100)
        .get()
    ).data as ReferralDoc[];
    const fresh = page.filter((r) => !seen.has(r._id));
    if (fresh.length === 0) break;
    for (const r of fresh) {
      seen.add(r._id);
      done += await settleReferral(ctx, r._id);
    }
  }
  return done;
}
