import { z } from 'zod';
import { defineAction, localDateString } from './common';

/**
 * Insight reports in the admin area, each a table read from pre-aggregated statistics: the lifecycle
 * funnel (stage changes per week with causes), journey and campaign funnels, the referral funnel,
 * unfollow rate by stage, retention by join month. `format: 'csv'` answers the same table as CSV text.
 */
export const INSIGHT_KINDS = ['lifecycle', 'messaging', 'referral', 'unfollow', 'retention'] as const;
export type InsightKind = (typeof INSIGHT_KINDS)[number];

export const insightReport = defineAction(
  z
    .strictObject({
      kind: z.enum(INSIGHT_KINDS),
      from: localDateString,
      to: localDateString,
      format: z.enum(['table', 'csv']).default('table'),
    })
    .refine((i) => i.from <= i.to, { message: 'from must not be after to', path: ['from'] }),
  z.object({
    kind: z.enum(INSIGHT_KINDS),
    from: z.string(),
    to: z.string(),
    columns: z.array(z.string()),
    rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
    /** Present when `format` was csv: the table with a header row, for saving as a file. */
    csv: z.string().nullable(),
    /** The statistics day the table comes from (the latest in the range for snapshots). */
    asOf: z.string().nullable(),
  }),
);

export const insightContracts = { 'insight.report': insightReport };
