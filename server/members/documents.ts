import type { StoredState } from '../../core/identity/member';
import type { Stage } from '../../core/lifecycle';
import type { HeldTag, RfmScores } from '../../core/portrait';
import type { JoinAttribution } from '../../core/config/join-rewards';
import type { LatestPaid } from '../../core/segments';

/** One paid order in a member's lifecycle inputs (an array: order keys may hold dots, which field paths cannot). */
export interface PaidOrderDoc {
  key: string;
  paidAt: Date;
  paidFen: number;
  refundedFen: number;
}

/**
 * The inputs of the stage, RFM and LTV, kept on the member document so an order updates them
 * without reading the member's other orders. The nightly job rebuilds the same from the orders.
 */
export interface LifecycleDoc {
  firstSeenAt?: Date;
  firstEngagedAt?: Date;
  lastEngagedAt?: Date;
  paidOrders: PaidOrderDoc[];
  /** Item categories bought and order sources seen, for preference and channel tags. */
  categories: string[];
  channels: string[];
  /** The latest counted orders' paid times, for order counts in a window (`latestPaidOf`). */
  latestPaid?: LatestPaid;
  /** When the spend counted back from the newest order reached each ladder amount (`spendReachOf`). */
  spendReach?: Record<string, Date | null>;
}

/** Where a visit came from (store/advisor code or share path). */
export interface TouchDoc {
  storeId: string;
  advisorId: string | null;
  campaign: string | null;
  via: 'code' | 'share';
  at: Date;
}

export interface ConsentsDoc {
  privacyVersion: string;
  privacyAcceptedAt: Date;
  marketingOptIn: boolean;
  marketingChangedAt: Date;
  /** The privacy policy version in force when marketing consent last changed. */
  marketingVersion: string;
  /** behaviour tracking (Mini Program and website) agreed, and when it last changed */
  trackingOptIn?: boolean;
  trackingChangedAt?: Date;
}

/**
 * The stored shape of a member: one document per person, whatever IDs they are known by. The card
 * (number, tier, points cache) lives here too so login reads one document.
 */
export interface MemberDoc {
  _id: string;
  state: StoredState;
  openid?: string;
  unionid?: string;
  oaOpenid?: string;
  oaFollowing?: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
  createdAt: Date;
  cardNo?: string;
  tier?: string;
  /** Balance cache of the points ledger (the ledger owns it). */
  points?: number;
  /** Points ledger: ids of this member's lots with points left (the ledger writes them with `points`). */
  openLots?: string[];
  /** Tier bookkeeping (server/tiers): when the tier was reached and last reviewed, and daily sums for the rolling window. */
  tierSince?: Date;
  tierReviewedAt?: Date;
  tierDays?: { day: string; points: number; spendFen: number }[];
  /** Starts of the member's appointments marked no-show, latest last (server/appointments writes them). */
  noShowsAt?: Date[];
  claimedAt?: Date;
  name?: string;
  birthday?: string;
  /** the birthday's month, written with it (`birthMonthOf`): segments by birth month read an index */
  birthMonth?: number | null;
  gender?: 'female' | 'male' | 'undisclosed';
  language?: 'zh' | 'en';
  nickname?: string;
  avatarUrl?: string;
  phone?: string;
  consents?: ConsentsDoc;
  attribution?: { first?: TouchDoc; last?: TouchDoc };
  /** Lifecycle and portrait (server/lifecycle, server/portrait): stage, its inputs, RFM, LTV and tags. */
  stage?: Stage;
  stageSince?: Date;
  nextStageChangeAt?: Date | null;
  lifecycle?: LifecycleDoc;
  rfm?: RfmScores | null;
  ltvFen?: number;
  ltvForecastFen?: number;
  tags?: HeldTag[];
  /** Set on the losing side of a merge: this id now resolves to that member. */
  mergedInto?: string;
  mergedAt?: Date;
  deletedAt?: Date;
  /** The confirmed email address (double opt-in: server/member-actions/email.ts) the email channel uses, and one waiting. */
  email?: string;
  emailConfirmedAt?: Date;
  emailPending?: { address: string; requestedAt: Date; expiresAt: Date };
  /** The latest cart additions (server/behaviour/cart.ts): the abandonment timer reads those due. */
  cart?: { lastAddedAt: Date; dueAt: Date | null; productIds: string[] };
  /** What joining gave this person, once (server/join-rewards/rewards.ts); a merge keeps one. */
  joinRewards?: JoinRewardsDoc;
}

export type IdentityType = 'mp_openid' | 'oa_openid' | 'unionid' | 'phone' | 'card' | 'external' | 'wifi';

export interface IdentityDoc {
  _id: string;
  type: IdentityType;
  value: string;
  memberId: string;
  linkedAt: Date;
  /** Who said so: 'mp', 'oa', 'phone', or an external source id. */
  via?: string;
}

export const identityId = (type: IdentityType, value: string): string => `${type}:${value}`;

/**
 * What joining gave a person, kept on the member document as `joinRewards`. It is the "once per
 * person" flag: a claim that finds it, on the member or on a member merged into it, grants
 * nothing. A merge keeps the survivor's `joinRewards`, or takes the loser's when the survivor has none.
 */
export interface JoinRewardsDoc {
  at: Date;
  attribution: JoinAttribution;
  points: number;
  /** The sign-up bonus ledger row (`signup:<memberId>`), when points were credited. */
  ledgerId: string | null;
  couponTemplateId: string | null;
  couponId: string | null;
  /** The coupon was configured but refused (paused, sold out, not grantable): its error code. */
  couponRefused?: string;
  /** Set when the rewards were taken over from a member merged into this one. */
  fromMemberId?: string;
  /** On a merge's loser: the survivor its rewards were settled with (`keepOneJoinReward`). */
  settledInto?: string;
}
