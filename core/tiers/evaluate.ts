import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';
import type { Tier, TierConfig, TierMetrics } from './config';

export interface CurrentTier {
  /** null for a member who has no tier yet. */
  tierId: string | null;
  /** When the member reached the current tier. */
  since?: Date | null;
  /** When the last yearly review looked at this member. */
  reviewedAt?: Date | null;
}

export type TierDirection = 'up' | 'down' | 'none';

export interface TierDecision {
  tier: Tier;
  changed: boolean;
  direction: TierDirection;
  /** A yearly review happened in this evaluation: the server stores reviewedAt = now. */
  reviewed: boolean;
}

export const metricValue = (metrics: TierMetrics, config: TierConfig): number =>
  config.basis === 'points' ? metrics.points : metrics.spendFen;

/** The highest tier the metrics reach. */
export function qualifiedTier(metrics: TierMetrics, config: TierConfig): Tier {
  const value = metricValue(metrics, config);
  return config.tiers.filter((t) => t.threshold <= value).at(-1) ?? (config.tiers[0] as Tier);
}

/** First instant of the window the server should sum over, or null for "since joining". */
export function windowStart(config: TierConfig, now: Date, tz: string = DEFAULT_TIME_ZONE): Date | null {
  if (config.windowDays === null) return null;
  return instantOf(addDays(localDate(now, tz), -(config.windowDays - 1)), '00:00', tz);
}

/** The latest review instant (local midnight of reviewOn) at or before now. */
function lastReviewAt(reviewOn: string, now: Date, tz: string): Date {
  const year = Number(localDate(now, tz).slice(0, 4));
  const thisYear = instantOf(`${year}-${reviewOn}`, '00:00', tz);
  return thisYear.getTime() <= now.getTime() ? thisYear : instantOf(`${year - 1}-${reviewOn}`, '00:00', tz);
}

/**
 * Upgrades happen at any evaluation that crosses a threshold (the server calls this after each
 * earning or order). Downgrades follow the brand's mode. An unknown current tier (none yet, or
 * removed from the config) is replaced by the qualified one, counted as 'up'.
 * yearlyReview: the first evaluation at or after the review date is the review, whatever its
 * outcome (`reviewed: true`, the server stores reviewedAt); a timer job evaluates every member on
 * that day. A member who reached the tier after the review date keeps it until the next one.
 */
export function evaluateTier(
  current: CurrentTier,
  metrics: TierMetrics,
  config: TierConfig,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): TierDecision {
  const target = qualifiedTier(metrics, config);
  const rank = (id: string | null) => config.tiers.findIndex((t) => t.id === id);
  const from = rank(current.tierId);
  const to = rank(target.id);
  const reviewed = config.downgrade.mode === 'yearlyReview' && reviewDue(current, config.downgrade.reviewOn, now, tz);

  if (from < 0 || to > from) return { tier: target, changed: true, direction: 'up', reviewed };
  const mayDrop = config.downgrade.mode === 'rolling' || reviewed;
  if (to < from && mayDrop) return { tier: target, changed: true, direction: 'down', reviewed };
  return { tier: config.tiers[from] as Tier, changed: false, direction: 'none', reviewed };
}

function reviewDue(current: CurrentTier, reviewOn: string, now: Date, tz: string): boolean {
  const last = current.reviewedAt ?? current.since ?? null;
  return last === null || last.getTime() < lastReviewAt(reviewOn, now, tz).getTime();
}
