import type { RewardSide, RewardStatus } from '../../core/referral';

/** One referred friend. `_id` is the friend's member id at the time of the invitation. */
export interface ReferralDoc {
  _id: string;
  referrerId: string;
  /** The friend's member id (re-pointed by merges; `_id` is not). */
  refereeId: string;
  openedAt: Date;
  /** Brand-local day of the invitation (daily cap). */
  day: string;
  tokenDay: string;
  followedAt: Date | null;
  joinedAt: Date | null;
  firstOrder: {
    orderId: string;
    paidAt: Date;
    paidFen: number;
    refundedFen: number;
    refundedAt: Date | null;
    refundIds?: string[];
  } | null;
  rewards: Record<RewardSide, RewardStatus>;
  couponIds: Partial<Record<RewardSide, string>>;
  releaseAt: Date | null;
  /** When the settle pass should look at it again (an event arrived, or a hold ends); null = nothing to do. */
  dueAt: Date | null;
  followEmitted?: boolean;
}

export type ReferralStatus = 'opened' | 'followed' | 'joined' | 'purchased';

export const statusOf = (r: Pick<ReferralDoc, 'followedAt' | 'joinedAt' | 'firstOrder'>): ReferralStatus =>
  r.firstOrder ? 'purchased' : r.joinedAt ? 'joined' : r.followedAt ? 'followed' : 'opened';

export const asDate = (v: unknown): Date | null =>
  v instanceof Date ? v : typeof v === 'string' || typeof v === 'number' ? new Date(v) : null;
