import { z } from 'zod';
import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';

export const expiryPolicySchema = z.discriminatedUnion('kind', [
  /** Valid through the end of the local day `days` days after the earning day. */
  z.object({ kind: z.literal('days'), days: z.number().int().positive().max(3660) }),
  /** Valid through 31 December of the year after the (local) earning year. */
  z.object({ kind: z.literal('endOfFollowingYear') }),
]);
export type ExpiryPolicy = z.infer<typeof expiryPolicySchema>;

/** A brand's points rules. Amounts of money are integers in fen (1 RMB = 100 fen). */
export const pointsRulesSchema = z
  .object({
    /** Points per whole RMB paid, before the tier multiplier; may be fractional (0.5 = 1 point per 2 RMB). */
    pointsPerRmb: z.number().positive().max(1000).default(1),
    rounding: z.enum(['floor', 'round', 'ceil']).default('floor'),
    expiry: expiryPolicySchema.default({ kind: 'endOfFollowingYear' }),
    /** Points multiplier per tier id; tiers not listed earn at 1x. */
    tierMultipliers: z.record(z.string(), z.number().positive().max(100)).default({}),
  })
  .strict();
export type PointsRules = z.output<typeof pointsRulesSchema>;
export type Rounding = PointsRules['rounding'];

export const parsePointsRules = (input: unknown = {}): PointsRules => pointsRulesSchema.parse(input);

export const multiplierFor = (tierId: string | undefined, rules: PointsRules): number =>
  (tierId !== undefined ? rules.tierMultipliers[tierId] : undefined) ?? 1;

/** The exclusive instant at which points earned at `earnedAt` expire, in the brand's time zone. */
export function computeExpiry(earnedAt: Date, policy: ExpiryPolicy, tz: string = DEFAULT_TIME_ZONE): Date {
  const day = localDate(earnedAt, tz);
  if (policy.kind === 'days') return instantOf(addDays(day, policy.days + 1), '00:00', tz);
  const year = Number(day.slice(0, 4));
  return instantOf(`${year + 2}-01-01`, '00:00', tz);
}
