import { planJoinRewards, type JoinFacts } from '../../core/config/join-rewards';
import { DomainError } from '../../core/errors';
import type { Database } from '../runtime/cloud';
import { inTransaction, type Tx } from '../db/transaction';
import { loadBrandConfig } from '../config';
import { systemActor } from '../audit';
import { grantCoupon } from '../coupons/grant';
import { grantSignUpBonus } from '../points/earn';
import { adjustPoints } from '../points/adjust';
import type { JoinRewardsDoc, MemberDoc } from '../members/documents';

export interface JoinRewardsGiven extends JoinRewardsDoc {
  couponName: { zh: string; en?: string } | null;
}

/** A configured welcome coupon the grant refused: the claim is run again without it. */
export class JoinCouponRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The rewards the brand gives this member for joining (brand config `joinRewards`). */
export const joinRewardsFor = (m: JoinFacts) => planJoinRewards(loadBrandConfig().config.joinRewards, m);

/** The join rewards a member merged into `memberId` already received, if any. */
type Rewarded = { _id: string; joinRewards: JoinRewardsDoc };

async function receivedByMerged(db: Database, memberId: string): Promise<Rewarded | null> {
  const found = (await db
    .collection('members')
    .where({ mergedInto: memberId, joinRewards: db.command.exists(true) })
    .field({ _id: true, joinRewards: true })
    .limit(1)
    .get()) as unknown as { data: Rewarded[] };
  return found.data[0] ?? null;
}

/**
 * Grants the brand's join rewards (`joinRewards` of the brand config) inside the card claim's
 * transaction, after the card patch: the coupon for the member's attribution through the rule
 * grant (occasion `join`, once per person and identity) and the sign-up bonus through the ledger.
 * Returns null when this person was rewarded before. `skipCoupon` carries the code of a coupon
 * refused on an earlier run of the claim.
 */
export async function grantJoinRewards(
  tx: Tx,
  db: Database,
  m: MemberDoc,
  now: Date,
  skipCoupon?: string,
): Promise<JoinRewardsGiven | null> {
  if (m.joinRewards) return null;
  const earlier = await receivedByMerged(db, m._id);
  if (earlier) {
    const taken = { ...earlier.joinRewards, fromMemberId: earlier._id };
    await tx
      .collection('members')
      .doc(m._id)
      .update({ data: { joinRewards: taken } });
    return null;
  }
  const plan = joinRewardsFor(m);
  let coupon: Awaited<ReturnType<typeof grantCoupon>>['coupon'] = null;
  if (plan.couponTemplateId && !skipCoupon) {
    try {
      const g = await grantCoupon(tx, db, {
        templateId: plan.couponTemplateId,
        memberId: m._id,
        occasion: 'join',
        reason: `join:${plan.attribution}`,
        who: systemActor('join'),
        now,
      });
      coupon = g.coupon;
    } catch (e) {
      if (e instanceof DomainError) throw new JoinCouponRefused(e.code, e.message);
      throw e;
    }
  }
  const bonus = plan.points > 0 ? await grantSignUpBonus(tx, m._id, plan.points, now) : { points: 0, ledgerId: null };
  const doc: JoinRewardsDoc = {
    at: now,
    attribution: plan.attribution,
    points: bonus.points,
    ledgerId: bonus.ledgerId,
    couponTemplateId: plan.couponTemplateId,
    couponId: coupon?._id ?? null,
    ...(skipCoupon && plan.couponTemplateId ? { couponRefused: skipCoupon } : {}),
  };
  await tx
    .collection('members')
    .doc(m._id)
    .update({ data: { joinRewards: doc } });
  return { ...doc, couponName: coupon?.name ?? null };
}

/** What the welcome message says about the rewards, in both languages (server/messaging/content.ts). */
type Given = Pick<JoinRewardsGiven, 'points' | 'couponName'>;

export function welcomeAnnouncement(r: Given): { zh: string; en: string } | null {
  const points = r.points > 0;
  const coupon = r.couponName;
  const zh = [coupon ? coupon.zh : null, points ? ` ${r.points} 积分` : null].filter(Boolean);
  const en = [coupon ? (coupon.en ?? coupon.zh) : null, points ? `${r.points} points` : null].filter(Boolean);
  return zh.length ? { zh: `已赠${zh.join('和')}`, en: `Gifts: ${en.join(' and ')}` } : null;
}

/**
 * After two members merged: one join reward per person. The survivor keeps its own `joinRewards`
 * (or takes the loser's when it has none). When both had joined, the loser's welcome coupon, now
 * in the survivor's wallet, is withdrawn unless used, and its sign-up bonus is taken back as far
 * as the balance allows (ledger key `join-merged:<loserId>`). Idempotent: the loser's record keeps
 * `settledInto`. Merge calls it once the references have moved.
 */
export async function keepOneJoinReward(db: Database, survivorId: string, loserId: string, now: Date): Promise<void> {
  await inTransaction(db, async (tx) => {
    const survivor = (await tx.collection('members').doc(survivorId).get()).data as MemberDoc | null;
    const loser = (await tx.collection('members').doc(loserId).get()).data as MemberDoc | null;
    const given = loser?.joinRewards;
    if (!survivor || !given || given.settledInto) return;
    await tx
      .collection('members')
      .doc(loserId)
      .update({ data: { 'joinRewards.settledInto': survivorId } });
    if (!survivor.joinRewards) {
      const taken = { ...given, fromMemberId: loserId };
      await tx
        .collection('members')
        .doc(survivorId)
        .update({ data: { joinRewards: taken } });
      return;
    }
    if (given.couponId) {
      const coupon = (await tx.collection('coupons').doc(given.couponId).get()).data as { usedAt?: Date | null } | null;
      if (coupon && !coupon.usedAt) {
        const withdrawn = { validUntil: now, withdrawnAt: now, withdrawnReason: 'merged:join' };
        await tx.collection('coupons').doc(given.couponId).update({ data: withdrawn });
      }
    }
    const back = Math.min(given.points, survivor.points ?? 0);
    if (back > 0) {
      await adjustPoints(tx, {
        memberId: survivorId,
        delta: -back,
        reason: '合并后重复的入会积分 / duplicate join bonus after merge',
        key: `join-merged:${loserId}`,
        source: 'merge',
        who: systemActor('merge'),
        now,
      });
    }
  });
}
