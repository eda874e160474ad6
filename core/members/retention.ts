import type { PrivacyConfig } from '../config/brand';
import { MEMBER_DATA, type MemberDataEntry, type RetentionRule } from './registry';

const DAY_MS = 86_400_000;

export interface RetentionStep {
  collection: string;
  rule: RetentionRule;
  /** rows whose time field is before this are purged or pseudonymised */
  before: Date;
}

/** What the retention timer does at `now`: one step per registry collection with a retention rule. */
export function retentionPlan(
  privacy: PrivacyConfig,
  now: Date,
  registry: readonly MemberDataEntry[] = MEMBER_DATA,
): RetentionStep[] {
  return registry.flatMap((e) => {
    if (!e.retention) return [];
    const before = new Date(now.getTime() - privacy.retentionDays[e.retention.class] * DAY_MS);
    return [{ collection: e.collection, rule: e.retention, before }];
  });
}
