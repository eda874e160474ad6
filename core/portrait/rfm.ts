import { z } from 'zod';
import type { LifecycleFacts } from '../lifecycle/facts';

const DAY_MS = 86_400_000;

/** Four ascending cut points split values into five bands. */
const breakpoints = z
  .tuple([z.number(), z.number(), z.number(), z.number()])
  .refine((b) => b.every((x, i) => i === 0 || x > (b[i - 1] as number)), 'breakpoints must rise strictly');

export const rfmConfigSchema = z.object({
  /** Days since the last purchase: ≤ b0 → R5, ≤ b1 → R4, ≤ b2 → R3, ≤ b3 → R2, else R1. */
  recencyDays: breakpoints.default([30, 90, 180, 365]),
  /** Paid orders: ≥ b3 → F5, ≥ b2 → F4, ≥ b1 → F3, ≥ b0 → F2, else F1. */
  frequency: breakpoints.default([2, 3, 5, 10]),
  /** Net spend in fen, banded like frequency. */
  monetaryFen: breakpoints.default([50_000, 150_000, 300_000, 1_000_000]),
  /** Frequency and monetary count this many days back; null = lifetime. */
  windowDays: z.number().int().positive().max(3660).nullable().default(365),
});
export type RfmConfig = z.output<typeof rfmConfigSchema>;
export const parseRfmConfig = (input: unknown = {}): RfmConfig => rfmConfigSchema.parse(input);

export type Score = 1 | 2 | 3 | 4 | 5;
export interface RfmScores {
  r: Score;
  f: Score;
  m: Score;
  /** e.g. "545": sortable and easy to segment on. */
  code: string;
}

export interface RfmInput {
  lastPaidAt?: Date;
  orderCount: number;
  spendFen: number;
}

const higherIsBetter = (value: number, b: readonly number[]): Score =>
  (1 + b.filter((x) => value >= x).length) as Score;
const lowerIsBetter = (value: number, b: readonly number[]): Score => (5 - b.filter((x) => value > x).length) as Score;

/** RFM of a customer; null for someone who has never paid (they are not scored, not scored low). */
export function rfmScores(input: RfmInput, config: RfmConfig, now: Date): RfmScores | null {
  if (!input.lastPaidAt || input.orderCount <= 0) return null;
  const days = Math.max(0, Math.floor((now.getTime() - input.lastPaidAt.getTime()) / DAY_MS));
  const r = lowerIsBetter(days, config.recencyDays);
  const f = higherIsBetter(input.orderCount, config.frequency);
  const m = higherIsBetter(input.spendFen, config.monetaryFen);
  return { r, f, m, code: `${r}${f}${m}` };
}

/** RFM inputs from lifecycle facts: orders paid up to now, fully refunded ones excluded, net of refunds. */
export function rfmInputFromFacts(facts: LifecycleFacts, config: RfmConfig, now: Date): RfmInput {
  const t = now.getTime();
  const from = config.windowDays === null ? -Infinity : t - config.windowDays * DAY_MS;
  const input: RfmInput = { orderCount: 0, spendFen: 0 };
  for (const o of Object.values(facts.paidOrders)) {
    const paid = o.paidAt.getTime();
    if (paid > t || (o.paidFen > 0 && o.refundedFen >= o.paidFen)) continue;
    // Recency looks at every purchase; frequency and monetary only within the window.
    if (!input.lastPaidAt || paid > input.lastPaidAt.getTime()) input.lastPaidAt = o.paidAt;
    if (paid <= from) continue;
    input.orderCount++;
    input.spendFen += o.paidFen - o.refundedFen;
  }
  return input;
}

/**
 * Breakpoints from a population (nearest-rank quintiles) so the nightly job can follow the brand's
 * own distribution. `lowerIsBetter` (recency days) gives the upper bound of each better band,
 * `higherIsBetter` (frequency, monetary) the lower bound of each better band, so that scoring the
 * population itself puts about a fifth in each band. Values are integers (days, counts, fen); ties
 * are nudged apart by 1 so the breakpoints rise strictly (a band may then be empty).
 */
export function quintileBreakpoints(
  values: readonly number[],
  direction: 'lowerIsBetter' | 'higherIsBetter',
): [number, number, number, number] {
  if (values.length === 0) throw new RangeError('quintileBreakpoints needs values');
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const shift = direction === 'lowerIsBetter' ? -1 : 0;
  const out: number[] = [];
  for (const p of [0.2, 0.4, 0.6, 0.8]) {
    const v = sorted[Math.min(n - 1, Math.max(0, Math.ceil(p * n) + shift))] as number;
    const prev = out[out.length - 1];
    out.push(prev !== undefined && v <= prev ? prev + 1 : v);
  }
  return out as [number, number, number, number];
}
