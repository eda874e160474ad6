import { z } from 'zod';
import { defineAction, isoInstant } from './common';

export const referralStatus = z.enum(['opened', 'followed', 'joined', 'purchased']);
export const rewardStatus = z.enum(['none', 'held', 'granted', 'cancelled']);

/** A token from a share path (`ref=`) or a poster's scene (`r=<code>`), as the page received it. */
const tokenInput = z.string().trim().min(1).max(128);

export const shareToken = defineAction(
  z.object({ poster: z.boolean().default(false), width: z.number().int().min(280).max(1280).optional() }).strict(),
  z.object({
    token: z.string(),
    path: z.string(),
    /** The poster code's scene (≤ 32 characters). */
    scene: z.string().max(32),
    expiresOn: z.string(),
    poster: z.object({ contentType: z.string(), imageBase64: z.string() }).nullable(),
  }),
);

export const open = defineAction(
  z.object({ token: tokenInput }).strict(),
  z.object({
    recorded: z.boolean(),
    /** Why nothing was recorded: invalid_token, not_logged_in, self_referral, already_referred, not_new, daily_cap, total_cap. */
    reason: z.string().nullable(),
  }),
);

const offer = z.object({
  templateId: z.string(),
  name: z.string(),
  amountFen: z.number().int().nullable(),
  minSpendFen: z.number().int().nullable(),
});

export const landing = defineAction(
  z.object({ token: tokenInput }).strict(),
  z.object({
    valid: z.boolean(),
    referrer: z.object({ name: z.string(), avatarUrl: z.string().nullable() }).nullable(),
    offer: offer.nullable(),
    /** What the referrer gets for this friend (the invite page shows both sides). */
    referrerOffer: offer.nullable(),
    /** When the friend's reward is earned. */
    rewardOn: z.enum(['join', 'first_paid_order']),
  }),
);

/** referral.mine: the referrer's friends, newest first, 20 a page; reward counts over all of them. */
export const mine = defineAction(
  z.object({ page: z.number().int().min(0).max(1000).default(0) }).strict(),
  z.object({
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
    total: z.number().int(),
    friends: z.array(
      z.object({
        name: z.string(),
        status: referralStatus,
        openedAt: isoInstant,
        reward: rewardStatus,
        rewardReleaseAt: isoInstant.nullable(),
      }),
    ),
    rewards: z.object({ earned: z.number().int(), pending: z.number().int(), cancelled: z.number().int() }),
  }),
);

export const referralContracts = { shareToken, open, landing, mine } as const;
