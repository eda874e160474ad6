/** A brand's referral programme (seed 003 defaults: a 20 RMB voucher each, on join). */
export interface ReferralConfig {
  /** Referral token lifetime in brand-local days. */
  tokenTtlDays: number;
  /** Accepted referrals per referrer per brand-local day, and in total; null = no cap. */
  capPerDay: number | null;
  capTotal: number | null;
  /**
   * A friend is new when the brand first saw them (earliest of all their identities) no earlier
   * than this long before opening the invitation — the login that opens the link creates them.
   */
  newFriendGraceMs: number;
  /** When rewards are earned: the friend joins, or the friend's first order is paid. */
  rewardOn: 'join' | 'first_paid_order';
  /** With 'first_paid_order': rewards are held this many days (the refund window) before they are granted. */
  holdDays: number;
  referrerCouponTemplateId: string;
  friendCouponTemplateId: string;
}

export const DEFAULT_REFERRAL_CONFIG: ReferralConfig = {
  tokenTtlDays: 30,
  capPerDay: 10,
  capTotal: 200,
  newFriendGraceMs: 10 * 60_000,
  rewardOn: 'join',
  holdDays: 0,
  referrerCouponTemplateId: 'referral-voucher-20rmb',
  friendCouponTemplateId: 'referral-voucher-20rmb',
};
