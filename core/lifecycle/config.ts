import { z } from 'zod';

/** The seven stages of seed 003, in the order a customer usually walks them. */
export const STAGES = ['anonymous', 'window', 'first_time', 'repeat', 'loyal', 'indecisive', 'lapsed'] as const;
export type Stage = (typeof STAGES)[number];

const days = z.number().int().positive().max(3660);

/** Stage rules of a brand. Days are 24-hour periods (the brand zone, Asia/Shanghai, has no DST). */
export const lifecycleConfigSchema = z.object({
  /** Paid orders (lifetime, fully refunded ones excluded) to become Repeat. */
  repeatMinOrders: z.number().int().min(2).max(1000).default(2),
  /** Loyal: a Repeat customer with at least this many paid orders in the loyalty window… */
  loyalMinOrders: z.number().int().min(1).max(10_000).default(5),
  /** …or at least this net spend (fen) in the window; null = orders only. */
  loyalMinSpendFen: z.number().int().positive().nullable().default(500_000),
  loyalWindowDays: days.default(365),
  /** Indecisive: engaged (unpaid order, cart, campaign click…) and no purchase for this many days since the first engagement. */
  indecisiveAfterDays: days.default(30),
  /** Lapsed: a customer with no purchase for this many days. */
  lapsedAfterDays: days.default(180),
});
export type LifecycleConfig = z.output<typeof lifecycleConfigSchema>;

export const parseLifecycleConfig = (input: unknown = {}): LifecycleConfig => lifecycleConfigSchema.parse(input);

export const DAY_MS = 86_400_000;
