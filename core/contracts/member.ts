import { z } from 'zod';
import { defineAction, isoInstant, localDateString } from './common';

/**
 * The `member` cloud function. Identity comes from the platform context (OpenID, UnionID), never
 * from these inputs; every input object is strict, so an `openid` field is refused.
 */

export const memberState = z.enum(['visitor', 'follower', 'member']);
export const gender = z.enum(['female', 'male', 'undisclosed']);
export const language = z.enum(['zh', 'en']);

/** Where a visit came from: a store/advisor Mini Program code or a share path with the same fields. */
export const touch = z.object({
  storeId: z.string(),
  advisorId: z.string().nullable(),
  campaign: z.string().nullable(),
  via: z.enum(['code', 'share']),
  at: isoInstant,
});

/** The e-member card: its fields live on the member document (one read for login). */
export const card = z.object({
  cardNo: z.string(),
  tier: z.string(),
  points: z.number().int(),
  claimedAt: isoInstant,
});

/** What the home page needs, in one call. */
export const memberView = z.object({
  memberId: z.string(),
  state: memberState,
  firstSeenAt: isoInstant,
  lastSeenAt: isoInstant,
  isNew: z.boolean(),
  card: card.nullable(),
  profile: z.object({ nickname: z.string().nullable(), avatarUrl: z.string().nullable() }),
  attribution: z.object({ first: touch.nullable(), last: touch.nullable() }),
  phoneBound: z.boolean(),
  marketingOptIn: z.boolean(),
  /** behaviour tracking agreed: the Mini Program's tracker sends only then */
  trackingOptIn: z.boolean().optional(),
});

/**
 * Silent login. `scene` is the decoded `options.query.scene` of a Mini Program code (≤ 32 chars);
 * `query` is the share path's query (`store`, `advisor`, `campaign`; a `scene` key is read too);
 * `entryScene` is the platform's launch scene number (1047 = scanned code). A malformed or unknown
 * scene never fails the login: it is logged and ignored.
 */
export const login = defineAction(
  z
    .object({
      scene: z.string().max(64).optional(),
      path: z.string().max(256).optional(),
      query: z
        .record(z.string().max(32), z.string().max(128))
        .refine((q) => Object.keys(q).length <= 20, 'at most 20 keys')
        .optional(),
      entryScene: z.number().int().min(0).max(99999).optional(),
    })
    .strict(),
  memberView,
);

const consentsInput = z
  .object({
    /** The privacy policy version the person read and accepted. */
    privacyVersion: z.string().min(1).max(32),
    marketingOptIn: z.boolean(),
  })
  .strict();

/** Claim the e-member card: the card number is issued once; claiming again returns the same card. */
export const claimCard = defineAction(
  z
    .object({
      name: z.string().trim().min(1).max(40),
      birthday: localDateString,
      gender: gender.optional(),
      language: language.default('zh'),
      consents: consentsInput,
    })
    .strict(),
  z.object({ memberId: z.string(), card, alreadyClaimed: z.boolean() }),
);

/** Nickname and avatar from the platform's fill-in components (`type="nickname"`, `chooseAvatar` → uploaded fileID or URL). */
export const updateProfile = defineAction(
  z
    .object({
      nickname: z.string().trim().min(1).max(32).optional(),
      avatarUrl: z
        .string()
        .min(1)
        .max(512)
        .regex(/^(https:\/\/|cloud:\/\/)/, 'expected https:// or cloud:// URL')
        .optional(),
    })
    .strict(),
  z.object({ nickname: z.string().nullable(), avatarUrl: z.string().nullable() }),
);

/** Optional phone binding with the code from `<button open-type="getPhoneNumber">`. */
export const bindPhone = defineAction(
  z.object({ code: z.string().min(1).max(128) }).strict(),
  z.object({ memberId: z.string(), phoneMasked: z.string(), merged: z.boolean() }),
);

/** The profile and consents page. */
export const profileView = z.object({
  memberId: z.string(),
  state: memberState,
  name: z.string().nullable(),
  birthday: localDateString.nullable(),
  gender: gender.nullable(),
  language: language,
  nickname: z.string().nullable(),
  avatarUrl: z.string().nullable(),
  phoneMasked: z.string().nullable(),
  cardNo: z.string().nullable(),
  /** the confirmed address the email channel uses, and one waiting for its confirmation link */
  email: z.object({ confirmed: z.string().nullable(), pending: z.string().nullable() }).optional(),
  consents: z.object({
    privacyVersion: z.string().nullable(),
    privacyAcceptedAt: isoInstant.nullable(),
    marketingOptIn: z.boolean(),
    marketingChangedAt: isoInstant.nullable(),
    /** the privacy policy version in force when the marketing choice was last made */
    marketingVersion: z.string().nullable().optional(),
    /** behaviour tracking for personal recommendations (`setTrackingConsent`) */
    trackingOptIn: z.boolean().optional(),
  }),
});
export const getProfile = defineAction(z.object({}).strict(), profileView);

/**
 * The rotating code the card shows: `code` as a QR code, `shortCode` (digits) as a bar code and to
 * read out; refresh before `expiresAt`.
 */
export const memberCode = defineAction(
  z.object({}).strict(),
  z.object({
    code: z.string(),
    shortCode: z.string().regex(/^\d{14,28}$/),
    expiresAt: isoInstant,
    refreshInSeconds: z.number().int().positive(),
  }),
);

/** Staff scan a member code. */
export const resolveMemberCode = defineAction(
  z.object({ code: z.string().min(1).max(128) }).strict(),
  z.object({
    memberId: z.string(),
    cardNo: z.string(),
    displayName: z.string().nullable(),
    tier: z.string(),
    points: z.number().int(),
  }),
);

/** Staff (advisor, store manager, brand admin) create a store/advisor Mini Program code. */
export const createStoreCode = defineAction(
  z
    .object({
      storeId: z.string().min(1).max(64),
      advisorId: z.string().min(1).max(64).optional(),
      campaign: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,16}$/, 'campaign: 1–16 of A-Z a-z 0-9 _ -')
        .optional(),
      page: z
        .string()
        .max(128)
        .regex(/^[a-z0-9_/-]+$/)
        .optional(),
      width: z.number().int().min(280).max(1280).optional(),
    })
    .strict(),
  z.object({
    qrcodeId: z.string(),
    scene: z.string().max(32),
    page: z.string(),
    contentType: z.string(),
    imageBase64: z.string(),
  }),
);

/** PIPL: everything held about the caller, as JSON. */
export const exportData = defineAction(
  z.object({}).strict(),
  z.object({ exportedAt: isoInstant, memberId: z.string(), data: z.record(z.string(), z.unknown()) }),
);

export const withdrawMarketing = defineAction(
  z.object({}).strict(),
  z.object({ marketingOptIn: z.literal(false), changedAt: isoInstant }),
);

/** Erases personal fields and identities; ledgers stay, pointing at an anonymous member. */
export const deleteAccount = defineAction(
  z.object({ confirm: z.literal(true) }).strict(),
  z.object({ deleted: z.literal(true), deletedAt: isoInstant }),
);

/** The periods the privacy policy states: how long rows about members are kept (the brand's configuration). */
export const privacyPolicy = defineAction(
  z.object({}).strict(),
  z.object({
    retentionDays: z.object({
      events: z.number().int(),
      outbox: z.number().int(),
      audit: z.number().int(),
      behaviour: z.number().int(),
    }),
  }),
);

export const memberContracts = {
  login,
  claimCard,
  updateProfile,
  bindPhone,
  getProfile,
  memberCode,
  resolveMemberCode,
  createStoreCode,
  exportData,
  withdrawMarketing,
  deleteAccount,
  privacyPolicy,
} as const;

/** `POST /http/member/link` (signed server-to-server): an external system says these IDs are one person. */
export const externalIdentityType = z.enum(['phone', 'unionid', 'card', 'external', 'wifi']);
export const linkRequest = z
  .object({
    source: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/),
    externalId: z.string().min(1).max(128),
    identities: z
      .array(z.object({ type: externalIdentityType, value: z.string().min(1).max(128) }).strict())
      .max(10)
      .default([]),
  })
  .strict();
/** @public the answer a brand system gets from linking an identity (parsed by no server code) */
export const linkResponse = z.object({ memberId: z.string(), created: z.boolean(), merged: z.array(z.string()) });
