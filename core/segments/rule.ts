import { z } from 'zod';

/**
 * What a segment is evaluated on: facts about one member, derived from the stored member document
 * by `factsOfMember` (core/segments/facts.ts, which names the fields the product writes):
 * tags[] (held tags, `{ tagId, … }`), stage, tier, spendFen (lifetime paid less refunds, in fen),
 * lastPaidAt (Date | null), language, storeId, birthdayMonth (1–12 | null), isFollower (follows the
 * Official Account), isMember. Missing or null values follow MongoDB semantics (a missing value is
 * never "in" a list and never compares, but is "not in" any list).
 */
export interface MemberFacts {
  tags?: readonly { tagId: string }[] | null;
  stage?: string | null;
  tier?: string | null;
  spendFen?: number | null;
  lastPaidAt?: Date | null;
  language?: string | null;
  storeId?: string | null;
  birthdayMonth?: number | null;
  isFollower?: boolean | null;
  isMember?: boolean | null;
}

export type StringField = 'stage' | 'tier' | 'language' | 'storeId';
export type BoolField = 'isFollower' | 'isMember';
export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

export type SegmentRule =
  | { and: SegmentRule[] }
  | { or: SegmentRule[] }
  | { not: SegmentRule }
  | { field: 'tags'; op: 'hasAll' | 'hasAny' | 'hasNone'; values: string[] }
  | { field: StringField; op: 'in' | 'notIn'; values: string[] }
  | { field: 'spendFen'; op: Comparison; value: number }
  /** Paid on or after the start of the brand-local day `days` days ago (0 = paid today). */
  | { field: 'recencyDays'; op: 'within' | 'notWithin'; days: number }
  | { field: 'birthdayMonth'; op: 'in'; values: number[] }
  /** Birthday in the current month of the brand's time zone. */
  | { field: 'birthdayMonth'; op: 'thisMonth' }
  | { field: BoolField; op: 'is'; value: boolean };

const nonEmpty = z.array(z.string().min(1)).min(1);

export const segmentRuleSchema: z.ZodType<SegmentRule> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(segmentRuleSchema).min(1) }).strict(),
    z.object({ or: z.array(segmentRuleSchema).min(1) }).strict(),
    z.object({ not: segmentRuleSchema }).strict(),
    z.object({ field: z.literal('tags'), op: z.enum(['hasAll', 'hasAny', 'hasNone']), values: nonEmpty }).strict(),
    z.object({ field: z.enum(['stage', 'tier', 'language', 'storeId']), op: z.enum(['in', 'notIn']), values: nonEmpty }).strict(),
    z.object({ field: z.literal('spendFen'), op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number().int() }).strict(),
    z.object({ field: z.literal('recencyDays'), op: z.enum(['within', 'notWithin']), days: z.number().int().min(0).max(3650) }).strict(),
    z.object({ field: z.literal('birthdayMonth'), op: z.literal('in'), values: z.array(z.number().int().min(1).max(12)).min(1) }).strict(),
    z.object({ field: z.literal('birthdayMonth'), op: z.literal('thisMonth') }).strict(),
    z.object({ field: z.enum(['isFollower', 'isMember']), op: z.literal('is'), value: z.boolean() }).strict(),
  ]),
);

/** A saved segment: staff build it in the admin area and journeys refer to it by id. */
export const segmentSchema = z.object({
  id: z.string().min(1).max(64),
  name: z.string().min(1).max(80),
  rule: segmentRuleSchema,
});
export type Segment = z.infer<typeof segmentSchema>;
