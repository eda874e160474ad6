import { randomInt } from 'node:crypto';
import { birthMonthOf } from '../../core/segments/birthday';
import type { z } from 'zod';
import type { claimCard as claimContract } from '../../core/contracts/member';
import { CARD_BODY_DIGITS, cardNumber } from '../../core/identity/card-number';
import type { ActionContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { writeIdentity } from '../identity/link';
import { isDuplicateKey } from '../db/insert';
import { refreshLifecycleNow } from '../lifecycle/refresh';
import type { ConsentsDoc, MemberDoc } from '../members/documents';
import { grantJoinRewards, JoinCouponRefused, welcomeAnnouncement } from '../join-rewards/rewards';
import { requireMember, resolveMemberTx } from '../members/resolve';

type Input = z.output<typeof claimContract.input>;
type Output = z.input<typeof claimContract.output>;

const randomBody = (): string => Array.from({ length: CARD_BODY_DIGITS }, () => String(randomInt(10))).join('');
const cardOf = (m: MemberDoc) => ({
  cardNo: m.cardNo as string,
  tier: m.tier ?? 'member',
  points: m.points ?? 0,
  claimedAt: new Date(m.claimedAt as Date).toISOString(),
});

/**
 * Claims the e-member card. The number is issued once: the member document holds it and a
 * second claim returns it unchanged. Profile, consents (with time and version), the card identity,
 * the join rewards (welcome coupon and sign-up bonus, once per person) and `member.joined` (carrying
 * the attribution and the rewards) are written in one transaction.
 */
export async function claimCard(input: Input, ctx: ActionContext): Promise<Output> {
  const now = ctx.now();
  const current = await requireMember(ctx.db, ctx.openid);
  if (current.cardNo) return { memberId: current._id, card: cardOf(current), alreadyClaimed: true };
  let skipCoupon: string | undefined;
  for (let attempt = 0; ; attempt++) {
    const cardNo = cardNumber(randomBody());
    try {
      const claimed = await inTransaction(ctx.db, async (tx) => {
        const m = await resolveMemberTx(tx, current._id);
        if (!m) throw new Error(`member ${current._id} vanished`);
        if (m.cardNo) return { memberId: m._id, card: cardOf(m), alreadyClaimed: true };
        const consents: ConsentsDoc = {
          privacyVersion: input.consents.privacyVersion,
          privacyAcceptedAt: now,
          marketingOptIn: input.consents.marketingOptIn,
          marketingChangedAt: now,
          marketingVersion: input.consents.privacyVersion,
        };
        const patch = {
          cardNo,
          tier: m.tier ?? 'member',
          points: m.points ?? 0,
          claimedAt: now,
          state: 'member' as const,
          name: input.name,
          birthday: input.birthday,
          birthMonth: birthMonthOf(input.birthday),
          language: input.language,
          ...(input.gender ? { gender: input.gender } : {}),
          consents,
        };
        await tx.collection('members').doc(m._id).update({ data: patch });
        await writeIdentity(tx, { type: 'card', value: cardNo }, m._id, now, 'mp');
        const rewards = await grantJoinRewards(tx, ctx.db, { ...m, ...patch }, now, skipCoupon);
        const attribution = m.attribution ?? {};
        await emit(tx, {
          type: 'member.joined',
          memberId: m._id,
          at: now,
          data: {
            storeId: attribution.first?.storeId ?? attribution.last?.storeId ?? null,
            advisorId: attribution.first?.advisorId ?? attribution.last?.advisorId ?? null,
            attribution,
            consents: { privacyVersion: consents.privacyVersion, marketingOptIn: consents.marketingOptIn },
            rewards: rewards && { points: rewards.points, couponId: rewards.couponId, couponName: rewards.couponName },
            announce: rewards ? welcomeAnnouncement(rewards) : null,
          },
        });
        const points = patch.points + (rewards?.points ?? 0);
        return { memberId: m._id, card: cardOf({ ...m, ...patch, points }), alreadyClaimed: false };
      });
      // Holding a card is one of the facts the stage reads: registered members leave "visitor" at once.
      if (!claimed.alreadyClaimed) await refreshLifecycleNow(ctx.db, claimed.memberId, now, 'member.joined');
      return claimed;
    } catch (e) {
      if (e instanceof JoinCouponRefused && !skipCoupon) {
        ctx.log.warn('welcome coupon refused, claiming without it', { code: e.code, message: e.message });
        skipCoupon = e.code;
        continue;
      }
      if (!isDuplicateKey(e) || attempt >= 3) throw e;
      ctx.log.warn('card number collision, drawing again', { attempt });
    }
  }
}
