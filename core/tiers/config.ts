import { z } from 'zod';

const localizedName = z.object({ zh: z.string().min(1), en: z.string().min(1) });

export const tierSchema = z
  .object({
    id: z.string().min(1).max(32),
    name: localizedName,
    /** Points earned, or spend in fen, within the window needed to reach this tier. */
    threshold: z.number().int().min(0),
  })
  .strict();
export type Tier = z.output<typeof tierSchema>;

export const downgradeSchema = z.discriminatedUnion('mode', [
  /** Once reached, a tier is kept. */
  z.object({ mode: z.literal('never') }),
  /** Downgrades happen only at the yearly review, on a local date (MM-DD, not 02-29). */
  z.object({
    mode: z.literal('yearlyReview'),
    reviewOn: z
      .string()
      .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/)
      .refine((s) => s !== '02-29', 'no leap day')
      .default('01-01'),
  }),
  /** The tier follows the window at every evaluation, both ways. */
  z.object({ mode: z.literal('rolling') }),
]);

export const tierConfigSchema = z
  .object({
    basis: z.enum(['points', 'spend']).default('points'),
    /** Length of the rolling window in local days (today included); null = since joining. */
    windowDays: z.number().int().positive().max(3660).nullable().default(365),
    downgrade: downgradeSchema.default({ mode: 'never' }),
    /** Lowest first; the first tier starts at 0 so every member has one. */
    tiers: z.array(tierSchema).min(1),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.tiers[0]?.threshold !== 0)
      ctx.addIssue({ code: 'custom', path: ['tiers', 0, 'threshold'], message: 'the first tier must start at 0' });
    c.tiers.forEach((t, i) => {
      const prev = c.tiers[i - 1];
      if (prev && t.threshold <= prev.threshold)
        ctx.addIssue({ code: 'custom', path: ['tiers', i, 'threshold'], message: 'thresholds must rise strictly' });
    });
    if (new Set(c.tiers.map((t) => t.id)).size !== c.tiers.length)
      ctx.addIssue({ code: 'custom', path: ['tiers'], message: 'tier ids must be unique' });
  });
export type TierConfig = z.output<typeof tierConfigSchema>;
export type TierConfigInput = z.input<typeof tierConfigSchema>;

export const parseTierConfig = (input: unknown): TierConfig => tierConfigSchema.parse(input);

/** What the server measured over the window: points earned (not the balance) and paid spend in fen. */
export interface TierMetrics {
  points: number;
  spendFen: number;
}
