import { evaluateTier, type TierConfig, type TierDecision, type TierMetrics } from '../../core/tiers';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import type { MemberDoc } from '../members/documents';
import { windowMetrics } from './window';

export interface TierChange {
  from: string | null;
  to: string;
  direction: TierDecision['direction'];
}

type TierFields = Pick<MemberDoc, 'tier' | 'tierSince' | 'tierReviewedAt' | 'tierDays'>;
type TierStanding = { metrics: TierMetrics; decision: TierDecision };
/** The part of the brand's value rules that tiers read. */
type TierRules = { tiers: TierConfig; timeZone: string };

/** The brand's tier rules applied to the member's window at `now`: what the tier should be. */
export function tierDecisionOf(member: TierFields, rules: TierRules, now: Date): TierStanding {
  const metrics = windowMetrics(member.tierDays ?? [], rules.tiers, now, rules.timeZone);
  const dateOf = (d: Date | undefined) => (d ? new Date(d) : null);
  const since = dateOf(member.tierSince);
  const current = { tierId: member.tier ?? null, since, reviewedAt: dateOf(member.tierReviewedAt) };
  return { metrics, decision: evaluateTier(current, metrics, rules.tiers, now, rules.timeZone) };
}

/**
 * Evaluates the member's tier at `now` and applies the decision to `member` (in memory: the caller
 * writes the member document in the same transaction). Emits `tier.changed` when it moved.
 */
export async function applyTier(tx: Tx, member: MemberDoc, rules: TierRules, now: Date): Promise<TierChange | null> {
  const { metrics, decision } = tierDecisionOf(member, rules, now);
  if (decision.reviewed) member.tierReviewedAt = now;
  if (!decision.changed) return null;
  const change: TierChange = { from: member.tier ?? null, to: decision.tier.id, direction: decision.direction };
  member.tier = decision.tier.id;
  member.tierSince = now;
  await emit(tx, { type: 'tier.changed', memberId: member._id, at: now, data: { ...change, metrics } });
  return change;
}
