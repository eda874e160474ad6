import { z } from 'zod';
import { defineAction, isoInstant } from './common';

const stage = z.enum(['anonymous', 'window', 'first_time', 'repeat', 'loyal', 'indecisive', 'lapsed']);

/** A member's portrait as staff see it (seed 004): stage, RFM, lifetime value, tags. */
export const portraitView = z.object({
  memberId: z.string(),
  stage: stage.nullable(),
  stageSince: isoInstant.nullable(),
  rfm: z.object({ r: z.number().int(), f: z.number().int(), m: z.number().int(), code: z.string() }).nullable(),
  ltvFen: z.number().int(),
  ltvForecastFen: z.number().int(),
  tags: z.array(
    z.object({
      tagId: z.string(),
      source: z.enum(['manual', 'rule', 'interaction']),
      at: isoInstant,
      expiresAt: isoInstant.optional(),
    }),
  ),
  history: z.array(z.object({ from: stage.nullable(), to: stage, at: isoInstant, cause: z.string() })),
});

/** orders.portrait (staff only): one member's portrait and latest stage changes. */
export const portrait = defineAction(z.object({ memberId: z.string().min(1).max(64) }).strict(), portraitView);

export const portraitContracts = { portrait };
