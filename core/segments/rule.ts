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
  /** RFM scores (1–5 each) the lifecycle update writes. */
  rfm?: { r?: number | null; f?: number | null; m?: number | null } | null;
  ltvForecastFen?: number | null;
  /** Paid orders with their refunds, for spend and order count in a window. */
  paidOrders?: readonly WindowOrder[] | null;
  /** Item categories bought; order channels (configured channel of each order source). */
  categories?: readonly string[] | null;
  channels?: readonly string[] | null;
  /** The first touch that brought the person (store or advisor code, share). */
  attribution?: { advisorId?: string | null; campaign?: string | null; via?: string | null } | null;
  marketingOptIn?: boolean | null;
  /** Last time the person opened the Mini Program (login). */
  lastSeenAt?: Date | null;
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

export interface WindowOrder {
  paidAt: Date | string;
  paidFen: number;
  refundedFen: number;
}

export type StringField = 'stage' | 'tier' | 'language' | 'storeId';
export type ListField = 'tags' | 'categories' | 'channels';
export type AttributionKey = 'advisorId' | 'campaign' | 'via';
/** Facts over paid orders in the last `days` brand-local days: not kept as one stored value (see `toMongoQuery`). */
export type WindowField = 'ordersInWindow' | 'spendInWindow';
export type BoolField = 'isFollower' | 'isMember' | 'marketingOptIn';
export type Comparison = 'gt' | 'gte' | 'lt' | 'lte';

export type SegmentRule =
  | { and: SegmentRule[] }
  | { or: SegmentRule[] }
  | { not: SegmentRule }
  | { field: ListField; op: 'hasAll' | 'hasAny' | 'hasNone'; values: string[] }
  | { field: 'rfm'; dim: 'r' | 'f' | 'm'; op: 'in'; values: number[] }
  | { field: 'ltvForecastFen'; op: Comparison; value: number }
  | { field: WindowField; days: number; op: Comparison; value: number }
  | { field: 'attribution'; key: AttributionKey; op: 'in' | 'notIn'; values: string[] }
  /** Opened the Mini Program on or after the start of the brand-local day `days` days ago. */
  | { field: 'activeDays'; op: 'within' | 'notWithin'; days: number }
  | { field: StringField; op: 'in' | 'notIn'; values: string[] }
  | { field: 'spendFen'; op: Comparison; value: number }
  /** Paid on or after the start of the brand-local day `days` days ago (0 = paid today). */
  | { field: 'recencyDays'; op: 'within' | 'notWithin'; days: number }
  | { field: 'birthdayMonth'; op: 'in'; values: number[] }
  /** Birthday in the current month of the brand's time zone. */
  | { field: 'birthdayMonth'; op: 'thisMonth' }
  | { field: BoolField; op: 'is'; value: boolean };

/** How far a rule may nest (and/or/not) and how many parts it may have: a rule staff build needs far less. */
export const MAX_RULE_DEPTH = 8;
export const MAX_RULE_NODES = 200;
const MAX_VALUES = 200;

const nonEmpty = z.array(z.string().min(1).max(64)).min(1).max(MAX_VALUES);
const month = z.number().int().min(1).max(12);
const score = z.number().int().min(1).max(5);
const comparison = z.enum(['gt', 'gte', 'lt', 'lte']);
const windowDays = z.number().int().min(0).max(3650);

/**
 * Nesting past `limit`, or parts past `MAX_RULE_NODES`, counted without recursion: a hostile depth
 * never reaches the parser. `lists` names the keys holding sub-rules (`all`/`any` in tag rules).
 */
export function ruleBoundsProblem(
  value: unknown,
  limit = MAX_RULE_DEPTH,
  lists: readonly string[] = ['and', 'or'],
): string | null {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  let nodes = 0;
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
    if (++nodes > MAX_RULE_NODES) return `规则过大 / a rule has at most ${MAX_RULE_NODES} parts`;
    if (depth > limit) return `规则嵌套过深 / a rule nests at most ${limit} levels`;
    const r = v as Record<string, unknown>;
    const children = lists
      .map((key) => r[key])
      .flatMap((c) => (Array.isArray(c) ? c : []))
      .concat('not' in r ? [r.not] : []);
    for (const c of children) stack.push({ v: c, depth: depth + 1 });
  }
  return null;
}

const ruleNode: z.ZodType<SegmentRule> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(ruleNode).min(1).max(MAX_VALUES) }).strict(),
    z.object({ or: z.array(ruleNode).min(1).max(MAX_VALUES) }).strict(),
    z.object({ not: ruleNode }).strict(),
    z
      .object({
        field: z.enum(['tags', 'categories', 'channels']),
        op: z.enum(['hasAll', 'hasAny', 'hasNone']),
        values: nonEmpty,
      })
      .strict(),
    z
      .object({
        field: z.literal('rfm'),
        dim: z.enum(['r', 'f', 'm']),
        op: z.literal('in'),
        values: z.array(score).min(1).max(5),
      })
      .strict(),
    z.object({ field: z.literal('ltvForecastFen'), op: comparison, value: z.number().int() }).strict(),
    z
      .object({
        field: z.enum(['ordersInWindow', 'spendInWindow']),
        days: windowDays,
        op: comparison,
        value: z.number().int(),
      })
      .strict(),
    z
      .object({
        field: z.literal('attribution'),
        key: z.enum(['advisorId', 'campaign', 'via']),
        op: z.enum(['in', 'notIn']),
        values: nonEmpty,
      })
      .strict(),
    z.object({ field: z.literal('activeDays'), op: z.enum(['within', 'notWithin']), days: windowDays }).strict(),
    z
      .object({
        field: z.enum(['stage', 'tier', 'language', 'storeId']),
        op: z.enum(['in', 'notIn']),
        values: nonEmpty,
      })
      .strict(),
    z
      .object({ field: z.literal('spendFen'), op: z.enum(['gt', 'gte', 'lt', 'lte']), value: z.number().int() })
      .strict(),
    z
      .object({
        field: z.literal('recencyDays'),
        op: z.enum(['within', 'notWithin']),
        days: z.number().int().min(0).max(3650),
      })
      .strict(),
    z
      .object({ field: z.literal('birthdayMonth'), op: z.literal('in'), values: z.array(month).min(1).max(12) })
      .strict(),
    z.object({ field: z.literal('birthdayMonth'), op: z.literal('thisMonth') }).strict(),
    z
      .object({ field: z.enum(['isFollower', 'isMember', 'marketingOptIn']), op: z.literal('is'), value: z.boolean() })
      .strict(),
  ]),
);

/** A segment rule: its depth and size are checked before its parts are parsed. */
export const segmentRuleSchema: z.ZodType<SegmentRule> = z
  .unknown()
  .superRefine((v, ctx) => {
    const problem = ruleBoundsProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(ruleNode);
