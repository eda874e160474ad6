import type { ReferralConfig } from './config';
import { samePerson, type ReferralParty } from './decide';

export type RewardSide = 'referrer' | 'friend';
export type RewardStatus = 'none' | 'held' | 'granted' | 'cancelled';

/** The key a reward is granted under: one per friend and side, whatever the retries. */
export const rewardKey = (friendId: string, side: RewardSide): string => `referral:${friendId}:${side}`;

export interface RewardRequest {
  referrer: ReferralParty;
  friend: ReferralParty;
  friendJoinedAt: Date | null;
  firstPaidOrder: { orderId: string; paidAt: Date; refundedAt: Date | null } | null;
  current: Record<RewardSide, RewardStatus>;
  config: ReferralConfig;
  now: Date;
}

export interface RewardAction {
  side: RewardSide;
  key: string;
  action: 'hold' | 'grant' | 'cancel';
  couponTemplateId: string;
  /** For 'hold': when the reward becomes grantable. */
  releaseAt?: Date;
  reason?: 'self_referral' | 'refunded';
  orderId?: string;
}

const DAY_MS = 86_400_000;

type Target =
  | { status: 'none' }
  | { status: 'held'; releaseAt: Date }
  | { status: 'granted' }
  | { status: 'cancelled'; reason: 'self_referral' | 'refunded' };

function target(req: RewardRequest): Target {
  const { config, now } = req;
  // Re-checked here: the two may have been merged into one person after the invitation.
  if (samePerson(req.referrer, req.friend)) return { status: 'cancelled', reason: 'self_referral' };
  if (config.rewardOn === 'join')
    return req.friendJoinedAt && req.friendJoinedAt <= now ? { status: 'granted' } : { status: 'none' };
  const order = req.firstPaidOrder;
  if (!order || order.paidAt > now) return { status: 'none' };
  const releaseAt = new Date(order.paidAt.getTime() + config.holdDays * DAY_MS);
  if (order.refundedAt && order.refundedAt <= now && order.refundedAt < releaseAt)
    return { status: 'cancelled', reason: 'refunded' };
  return now >= releaseAt ? { status: 'granted' } : { status: 'held', releaseAt };
}

/**
 * What to do with the two rewards of one referral, given what was done already. Granted and
 * cancelled are final: a refund after the hold has passed takes nothing back. Apply each action
 * under its `key` (coupon grant idempotency key), so a replay grants nothing twice.
 */
export function decideReward(req: RewardRequest): { actions: RewardAction[]; nextCheckAt: Date | null } {
  const t = target(req);
  const actions: RewardAction[] = [];
  for (const side of ['referrer', 'friend'] as const) {
    const cur = req.current[side];
    if (cur === 'granted' || cur === 'cancelled' || t.status === 'none' || t.status === cur) continue;
    const base = {
      side,
      key: rewardKey(req.friend.memberId, side),
      couponTemplateId: side === 'referrer' ? req.config.referrerCouponTemplateId : req.config.friendCouponTemplateId,
      ...(req.firstPaidOrder && req.config.rewardOn === 'first_paid_order'
        ? { orderId: req.firstPaidOrder.orderId }
        : {}),
    };
    if (t.status === 'held') actions.push({ ...base, action: 'hold', releaseAt: t.releaseAt });
    else if (t.status === 'granted') actions.push({ ...base, action: 'grant' });
    else actions.push({ ...base, action: 'cancel', reason: t.reason });
  }
  return { actions, nextCheckAt: t.status === 'held' ? t.releaseAt : null };
}
