import { z } from 'zod';

/**
 * What joining gives: the points bonus and a coupon chosen by how the person came to the brand.
 * Granted once per person in the card claim (server/join-rewards/rewards.ts).
 */
export const JOIN_ATTRIBUTIONS = ['referral', 'advisor', 'storeQr', 'none'] as const;
export type JoinAttribution = (typeof JOIN_ATTRIBUTIONS)[number];

const templateRef = z.string().min(1).max(64).nullable().default(null);

export const joinRewardsSchema = z
  .object({
    /** Points credited when the card is claimed (expiry as any earning); 0 = none. */
    points: z.number().int().min(0).max(100_000).default(0),
    /** Coupon template granted per attribution; null = no coupon. The template must allow the 'grant' channel. */
    coupons: z
      .object({ referral: templateRef, advisor: templateRef, storeQr: templateRef, none: templateRef })
      .strict()
      .prefault({}),
  })
  .strict();
export type JoinRewardsConfig = z.output<typeof joinRewardsSchema>;

/** How a member came: invited by a friend, an advisor's code, a store's code, or none of these. First match wins. */
interface Touch {
  storeId?: string | null;
  advisorId?: string | null;
}

export interface JoinFacts {
  referredBy?: string | null;
  attribution?: { first?: Touch; last?: Touch };
}

export function joinAttributionOf(m: JoinFacts): JoinAttribution {
  if (m.referredBy) return 'referral';
  const touch = m.attribution?.first ?? m.attribution?.last;
  if (touch?.advisorId) return 'advisor';
  if (touch?.storeId) return 'storeQr';
  return 'none';
}

/** The rewards due to a member joining now. */
export interface JoinRewardsPlan {
  attribution: JoinAttribution;
  points: number;
  couponTemplateId: string | null;
}

export function planJoinRewards(config: JoinRewardsConfig, m: JoinFacts): JoinRewardsPlan {
  const attribution = joinAttributionOf(m);
  return { attribution, points: config.points, couponTemplateId: config.coupons[attribution] };
}
