import type { z } from 'zod';
import type { landing as landingContract, open as openContract } from '../../core/contracts/referral';
import { decideReferral } from '../../core/referral';
import { localDate } from '../../core/time';
import type { ActionContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import { body, readDoc } from '../db/documents';
import type { MemberDoc } from '../members/documents';
import { brandTimeZone, referralConfig } from './config';
import type { ReferralDoc } from './documents';
import { markFollowerOnly, segmentsEntered } from './follow';
import { partyOf } from './parties';
import { resolveToken } from './share';
import { referralOfMember } from './store';
import { memberByIdentity, resolveMember, resolveMemberTx } from '../members/resolve';
import { updateMemberTx } from '../members/store';
import type { AnyDb } from '../runtime/cloud';

type OpenOutput = z.input<typeof openContract.output>;
type LandingOutput = z.input<typeof landingContract.output>;

/** What a referrer is shown as to others: WeChat nickname, else the first character of their name. */
export const displayName = (m: Pick<MemberDoc, 'nickname' | 'name'>): string =>
  m.nickname ?? (m.name ? `${Array.from(m.name)[0]}*` : '微信好友');

/**
 * A visitor opened a share card or poster: records the invitation on them when the rules accept
 * it (new person, not the referrer, not referred before, within caps). A bad token or a refusal
 * is an answer, never an error: the page goes on as if there were no invitation.
 */
export async function openInvitation(input: { token: string }, ctx: ActionContext): Promise<OpenOutput> {
  try {
    return await record(input.token, ctx);
  } catch (e) {
    ctx.log.error('referral open failed', { error: (e as Error)?.stack ?? String(e) });
    return { recorded: false, reason: 'error' };
  }
}

async function record(token: string, ctx: ActionContext): Promise<OpenOutput> {
  const now = ctx.now();
  const tz = brandTimeZone();
  const config = await referralConfig(ctx.db);
  const claims = await resolveToken(ctx.db, token, now, config);
  if (!claims) {
    ctx.log.warn('referral token ignored: invalid or expired', { token: token.slice(0, 48) });
    return { recorded: false, reason: 'invalid_token' };
  }
  const [visitor, referrerMember] = await Promise.all([
    memberByIdentity(ctx.db, 'mp_openid', ctx.openid),
    resolveMember(ctx.db, claims.referrerId),
  ]);
  if (!visitor) return { recorded: false, reason: 'not_logged_in' };
  if (!referrerMember) return { recorded: false, reason: 'invalid_token' };
  const db = ctx.db as AnyDb;
  const [referrer, friend, earlier, total, today] = await Promise.all([
    partyOf(ctx.db, referrerMember),
    partyOf(ctx.db, visitor),
    referralOfMember(ctx.db, visitor._id),
    db.collection('referrals').where({ referrerId: referrerMember._id }).count(),
    db
      .collection('referrals')
      .where({ referrerId: referrerMember._id, day: localDate(now, tz) })
      .count(),
  ]);
  const decision = decideReferral({
    referrer,
    referrerCounts: { today: today.total as number, total: total.total as number },
    friend: { ...friend, referredBy: earlier?.referrerId ?? null },
    openedAt: now,
    config,
  });
  if (!decision.accept) return { recorded: false, reason: decision.reason };
  const followerOnly = visitor.oaFollowing === true && !visitor.cardNo;
  const segments = followerOnly ? await segmentsEntered(ctx.db, visitor, now, tz) : [];
  return inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('referrals').doc(visitor._id);
    if ((await ref.get()).data) return { recorded: false, reason: 'already_referred' };
    const m = await resolveMemberTx(tx, visitor._id);
    if (!m) return { recorded: false, reason: 'not_logged_in' };
    const joinedAt = m.cardNo ? (m.claimedAt ?? now) : null;
    let doc: ReferralDoc = {
      _id: m._id,
      referrerId: referrerMember._id,
      refereeId: m._id,
      openedAt: now,
      day: localDate(now, tz),
      tokenDay: claims.issuedDay,
      followedAt: m.oaFollowing ? now : null,
      joinedAt,
      firstOrder: null,
      rewards: { referrer: 'none', friend: 'none' },
      couponIds: {},
      releaseAt: null,
      // joined within the grace period before opening: the settle pass rewards it
      dueAt: joinedAt ? now : null,
    };
    await updateMemberTx(tx, m._id, { referredBy: referrerMember._id });
    doc = { ...doc, ...(await markFollowerOnly(tx, doc, m, segments, now)) };
    await ref.set({ data: body(doc) });
    await emit(tx, {
      type: 'referral.opened',
      memberId: m._id,
      at: now,
      data: { referrerId: referrerMember._id, tokenDay: claims.issuedDay },
    });
    return { recorded: true, reason: null };
  });
}

type TemplateDoc = {
  _id: string;
  name?: { zh?: string; en?: string };
  benefit?: { kind: string; amountFen?: number };
  minSpendFen?: number | null;
};

const offerOf = (tpl: TemplateDoc | null): LandingOutput['offer'] =>
  tpl
    ? {
        templateId: tpl._id,
        name: tpl.name?.zh ?? tpl.name?.en ?? tpl._id,
        amountFen: tpl.benefit?.kind === 'amountOff' ? (tpl.benefit.amountFen ?? null) : null,
        minSpendFen: tpl.minSpendFen ?? null,
      }
    : null;

/** The landing page: who invited the visitor and what each side is offered. */
export async function landing(input: { token: string }, ctx: ActionContext): Promise<LandingOutput> {
  const now = ctx.now();
  const config = await referralConfig(ctx.db);
  const claims = await resolveToken(ctx.db, input.token, now, config);
  const referrer = claims ? await resolveMember(ctx.db, claims.referrerId) : null;
  if (!referrer) return { valid: false, referrer: null, offer: null, referrerOffer: null, rewardOn: config.rewardOn };
  const friendTpl = await readDoc<TemplateDoc>(ctx.db, 'coupon_templates', config.friendCouponTemplateId);
  const referrerTpl =
    config.referrerCouponTemplateId === config.friendCouponTemplateId
      ? friendTpl
      : await readDoc<TemplateDoc>(ctx.db, 'coupon_templates', config.referrerCouponTemplateId);
  return {
    valid: true,
    referrer: { name: displayName(referrer), avatarUrl: referrer.avatarUrl ?? null },
    offer: offerOf(friendTpl),
    referrerOffer: offerOf(referrerTpl),
    rewardOn: config.rewardOn,
  };
}
