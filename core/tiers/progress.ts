import type { Tier, TierConfig, TierMetrics } from './config';
import { metricValue, qualifiedTier } from './evaluate';

export interface TierProgress {
  current: Tier;
  next: Tier | null;
  basis: TierConfig['basis'];
  /** The member's value over the window (points, or fen of spend). */
  value: number;
  /** What is missing to reach the next tier, in the basis unit; 0 at the top. */
  missing: number;
  /** 0..1 between the current tier's threshold and the next one's, for a progress bar. */
  ratio: number;
  message: { zh: string; en: string };
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

/**
 * The next tier above the member's and what is missing (S9). `currentTierId` matters when the
 * member holds a tier above what the window now gives (downgrade never or not yet reviewed).
 */
export function nextTierProgress(
  metrics: TierMetrics,
  config: TierConfig,
  currentTierId?: string | null,
): TierProgress {
  const qualified = qualifiedTier(metrics, config);
  const held = config.tiers.find((t) => t.id === currentTierId);
  const current = held && held.threshold > qualified.threshold ? held : qualified;
  const next = config.tiers.find((t) => t.threshold > current.threshold) ?? null;
  const value = metricValue(metrics, config);
  if (!next) {
    return {
      current,
      next,
      basis: config.basis,
      value,
      missing: 0,
      ratio: 1,
      message: { zh: `您已是最高等级${current.name.zh}`, en: `You are at the top tier, ${current.name.en}` },
    };
  }
  const missing = Math.max(0, next.threshold - value);
  const ratio = Math.min(1, Math.max(0, (value - current.threshold) / (next.threshold - current.threshold)));
  const message =
    config.basis === 'points'
      ? {
          zh: `再获得 ${missing} 积分即可升级为${next.name.zh}`,
          en: `Earn ${missing} more points to reach ${next.name.en}`,
        }
      : {
          zh: `再消费 ¥${yuan(missing)} 即可升级为${next.name.zh}`,
          en: `Spend ¥${yuan(missing)} more to reach ${next.name.en}`,
        };
  return { current, next, basis: config.basis, value, missing, ratio, message };
}
