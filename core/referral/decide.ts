import type { ReferralConfig } from './config';

export interface Identity {
  kind: 'openid' | 'unionid' | 'phone' | (string & {});
  value: string;
}

/** One side of a referral as the server knows them now, merges included. */
export interface ReferralParty {
  memberId: string;
  /** Member ids merged into this one. */
  mergedMemberIds?: readonly string[];
  identities: readonly Identity[];
}

/** Same person: same member (before or after a merge) or any shared identity. */
export function samePerson(a: ReferralParty, b: ReferralParty): boolean {
  const ids = new Set([a.memberId, ...(a.mergedMemberIds ?? [])]);
  if ([b.memberId, ...(b.mergedMemberIds ?? [])].some((id) => ids.has(id))) return true;
  const keys = new Set(a.identities.map((i) => `${i.kind}:${i.value}`));
  return b.identities.some((i) => keys.has(`${i.kind}:${i.value}`));
}

export interface ReferralRequest {
  referrer: ReferralParty;
  /** Accepted referrals of this referrer today (brand-local) and ever. */
  referrerCounts: { today: number; total: number };
  friend: ReferralParty & {
    /** Earliest time the brand saw any of the friend's identities. */
    firstSeenAt: Date;
    /** The referrer already recorded for this friend, if any. */
    referredBy: string | null;
  };
  openedAt: Date;
  config: ReferralConfig;
}

export type ReferralRejection = 'self_referral' | 'already_referred' | 'not_new' | 'daily_cap' | 'total_cap';

export type ReferralDecision =
  | { accept: true; referrerId: string; friendId: string; at: Date }
  | { accept: false; reason: ReferralRejection; firstReferrerId?: string };

/** Whether opening an invitation makes the visitor this referrer's friend. First inviter wins. */
export function decideReferral(req: ReferralRequest): ReferralDecision {
  const { referrer, friend, config } = req;
  if (samePerson(referrer, friend)) return { accept: false, reason: 'self_referral' };
  if (friend.referredBy !== null)
    return { accept: false, reason: 'already_referred', firstReferrerId: friend.referredBy };
  if (friend.firstSeenAt.getTime() < req.openedAt.getTime() - config.newFriendGraceMs)
    return { accept: false, reason: 'not_new' };
  if (config.capPerDay !== null && req.referrerCounts.today >= config.capPerDay)
    return { accept: false, reason: 'daily_cap' };
  if (config.capTotal !== null && req.referrerCounts.total >= config.capTotal)
    return { accept: false, reason: 'total_cap' };
  return { accept: true, referrerId: referrer.memberId, friendId: friend.memberId, at: req.openedAt };
}
