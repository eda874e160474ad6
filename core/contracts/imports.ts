import { z } from 'zod';
import { defineAction, isoInstant, localDateString } from './common';

/**
 * Members and orders brought over from a brand's earlier system (`npm run import`): one row as the
 * column mapping turns it into the product's words, and the signed batches the import CLI sends to
 * the `admin` function. Bad rows are rejected by this schema with the reason, before anything is sent.
 */
const ref = z.string().trim().min(1).max(64);
/** An instant, or a date read as midnight in China. */
const instant = z
  .union([isoInstant, localDateString])
  .transform((s) => new Date(s.length === 10 ? `${s}T00:00:00+08:00` : s));

export const legacyMember = z.strictObject({
  /** The member's id in the earlier system: kept as the identity `external:<source>:<ref>`. */
  ref,
  phone: z
    .string()
    .regex(/^1\d{10}$/, '11-digit mainland mobile number')
    .optional(),
  unionid: z
    .string()
    .regex(/^[A-Za-z0-9_-]{10,64}$/, 'a WeChat UnionID')
    .optional(),
  cardNo: z
    .string()
    .regex(/^[A-Za-z0-9-]{4,32}$/, 'letters, digits and -')
    .optional(),
  /** More ids by the system that knows them: `{ "pos": "P-1001" }`. */
  externalIds: z.record(z.string().regex(/^[a-z0-9-]{1,20}$/), ref).optional(),
  name: z.string().trim().min(1).max(40).optional(),
  birthday: localDateString.optional(),
  gender: z.enum(['female', 'male', 'undisclosed']).optional(),
  joinedAt: instant.optional(),
  /** Points balance as lots, each with its own expiry. */
  points: z
    .array(z.strictObject({ amount: z.number().int().positive().max(10_000_000), expiresAt: instant }))
    .max(20)
    .optional(),
  tier: z
    .string()
    .regex(/^[a-z0-9_-]{1,32}$/)
    .optional(),
  tags: z
    .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/))
    .max(50)
    .optional(),
  consents: z
    .strictObject({
      privacyVersion: z.string().min(1).max(20),
      privacyAcceptedAt: instant,
      marketingOptIn: z.boolean(),
      marketingChangedAt: instant,
    })
    .optional(),
});
export type LegacyMember = z.output<typeof legacyMember>;

export const legacyOrder = z.strictObject({
  orderNo: ref,
  /** Who bought: the legacy member ref, or a phone / card number / UnionID. */
  memberRef: ref.optional(),
  phone: z
    .string()
    .regex(/^1\d{10}$/)
    .optional(),
  cardNo: z
    .string()
    .regex(/^[A-Za-z0-9-]{4,32}$/)
    .optional(),
  paidAt: instant,
  paidFen: z.number().int().min(0).max(1_000_000_000),
  storeId: z.string().max(64).optional(),
  categories: z.array(z.string().min(1).max(40)).max(20).optional(),
});
export type LegacyOrder = z.output<typeof legacyOrder>;

/** What happened to a row: created, found here (by one member), found in several members and merged, or refused. */
export const rowOutcome = z.object({
  line: z.number().int(),
  outcome: z.enum(['new', 'matched', 'merged', 'rejected']),
  memberId: z.string().nullable(),
  reason: z.string().optional(),
  /** For an applied row: whether it changed anything (a second run changes nothing). */
  changed: z.boolean().optional(),
});

const signature = z.strictObject({ timestamp: z.string(), nonce: z.string(), signature: z.string() });
const source = z.string().regex(/^[a-z0-9-]{1,20}$/, 'a short source name: a-z 0-9 -');
const batchRows = z
  .array(z.strictObject({ line: z.number().int().min(1), row: z.unknown() }))
  .min(1)
  .max(200);

export const importMembers = defineAction(
  z.strictObject({
    signed: signature,
    batch: z.strictObject({ source, dryRun: z.boolean(), rows: batchRows }),
  }),
  z.object({ results: z.array(rowOutcome) }),
);

export const importOrders = defineAction(
  z.strictObject({
    signed: signature,
    batch: z.strictObject({ source, dryRun: z.boolean(), rows: batchRows }),
  }),
  z.object({ results: z.array(rowOutcome) }),
);

export const importContracts = { 'import.members': importMembers, 'import.orders': importOrders };
