import { DAY_MS, type LifecycleConfig, type Stage } from './config';
import type { LifecycleFacts } from './facts';

export interface LifecycleSummary {
  /** Paid orders up to now, fully refunded ones excluded. */
  paidOrderCount: number;
  /** Of those, paid within the loyalty window (default 12 months) before now. */
  paidOrderCountWindow: number;
  /** Net spend (paid − refunded, fen) in the window. */
  spendWindowFen: number;
  lifetimeSpendFen: number;
  firstPaidAt?: Date;
  lastPaidAt?: Date;
}

const fullyRefunded = (o: { paidFen: number; refundedFen: number }): boolean =>
  o.paidFen > 0 && o.refundedFen >= o.paidFen;

/** The aggregates the stage rules read, as of `now` (orders paid after `now` are not counted yet). */
export function summarize(facts: LifecycleFacts, config: LifecycleConfig, now: Date): LifecycleSummary {
  const t = now.getTime();
  const windowStart = t - config.loyalWindowDays * DAY_MS;
  const s: LifecycleSummary = { paidOrderCount: 0, paidOrderCountWindow: 0, spendWindowFen: 0, lifetimeSpendFen: 0 };
  for (const o of Object.values(facts.paidOrders)) {
    const paid = o.paidAt.getTime();
    if (paid > t || fullyRefunded(o)) continue;
    const net = o.paidFen - o.refundedFen;
    s.paidOrderCount++;
    s.lifetimeSpendFen += net;
    if (paid > windowStart) {
      s.paidOrderCountWindow++;
      s.spendWindowFen += net;
    }
    if (!s.firstPaidAt || paid < s.firstPaidAt.getTime()) s.firstPaidAt = o.paidAt;
    if (!s.lastPaidAt || paid > s.lastPaidAt.getTime()) s.lastPaidAt = o.paidAt;
  }
  return s;
}

/**
 * The stage at `now`. Prospects (no counted purchase): Indecisive once `indecisiveAfterDays` have
 * passed since their first engagement, else Window if they are a member, follower or engaged, else
 * Anonymous. Customers: Lapsed after `lapsedAfterDays` without a purchase (checked first: a loyal
 * customer who went quiet is at risk, not loyal), then Loyal (Repeat and over the window threshold),
 * Repeat, First-Time.
 */
export function computeStage(facts: LifecycleFacts, config: LifecycleConfig, now: Date): Stage {
  const t = now.getTime();
  const s = summarize(facts, config, now);
  if (s.paidOrderCount === 0 || !s.lastPaidAt) {
    const engagedAt = facts.firstEngagedAt?.getTime();
    const engaged = engagedAt !== undefined && engagedAt <= t;
    if (engaged && t >= engagedAt + config.indecisiveAfterDays * DAY_MS) return 'indecisive';
    return facts.isMember || facts.isFollower || engaged ? 'window' : 'anonymous';
  }
  if (t >= s.lastPaidAt.getTime() + config.lapsedAfterDays * DAY_MS) return 'lapsed';
  if (s.paidOrderCount >= config.repeatMinOrders) {
    const bySpend = config.loyalMinSpendFen !== null && s.spendWindowFen >= config.loyalMinSpendFen;
    return s.paidOrderCountWindow >= config.loyalMinOrders || bySpend ? 'loyal' : 'repeat';
  }
  return 'first_time';
}

/**
 * The first instant after `now` at which the stage changes with no new event, or null if it never
 * does. The stage is a step function of time whose steps can only be at: the first engagement (+ D
 * days), each payment (it starts counting), each payment + window (it stops counting) and each
 * payment + L days (lapse); the answer is the first of those that changes the stage.
 */
export function nextStageChangeAt(facts: LifecycleFacts, config: LifecycleConfig, now: Date): Date | null {
  const t = now.getTime();
  const candidates = new Set<number>();
  if (facts.firstEngagedAt) {
    candidates.add(facts.firstEngagedAt.getTime());
    candidates.add(facts.firstEngagedAt.getTime() + config.indecisiveAfterDays * DAY_MS);
  }
  for (const o of Object.values(facts.paidOrders)) {
    const paid = o.paidAt.getTime();
    candidates.add(paid);
    candidates.add(paid + config.loyalWindowDays * DAY_MS);
    candidates.add(paid + config.lapsedAfterDays * DAY_MS);
  }
  const current = computeStage(facts, config, now);
  for (const c of [...candidates].filter((c) => c > t).sort((a, b) => a - b)) {
    if (computeStage(facts, config, new Date(c)) !== current) return new Date(c);
  }
  return null;
}

export interface StageRecord {
  stage: Stage;
  since: Date;
}

export interface StageChange {
  from: Stage | null;
  to: Stage;
  at: Date;
}

/** Recomputes the stage and says whether it changed (the server appends the change to the history and emits it). */
export function decideStage(
  previous: StageRecord | null,
  facts: LifecycleFacts,
  config: LifecycleConfig,
  now: Date,
): { record: StageRecord; change: StageChange | null } {
  const stage = computeStage(facts, config, now);
  if (previous && previous.stage === stage) return { record: previous, change: null };
  return { record: { stage, since: now }, change: { from: previous?.stage ?? null, to: stage, at: now } };
}
