import type { PointsRules } from '../../core/ledger';
import type { TierConfig } from '../../core/tiers';
import { loadBrandConfig } from '../config';

/** The brand's value rules, read once per process from the validated brand configuration. */
export interface ValueRules {
  points: PointsRules;
  tiers: TierConfig;
  timeZone: string;
  /** Points expiring within this many days are "expiring soon" (points page and reminders). */
  expiringSoonDays: number;
}

export const EXPIRING_SOON_DAYS = 30;

export function valueRules(): ValueRules {
  const { config } = loadBrandConfig();
  return {
    points: config.points,
    tiers: config.tiers,
    timeZone: config.timeZone,
    expiringSoonDays: EXPIRING_SOON_DAYS,
  };
}
