import {
  computeStage,
  nextStageChangeAt,
  summarize,
  type LifecycleConfig,
  type LifecycleFacts,
  type Stage,
} from '../../core/lifecycle';
import {
  evaluateTags,
  forecastLtvFen,
  historicalLtvFen,
  rfmInputFromFacts,
  rfmScores,
  type HeldTag,
  type RfmConfig,
  type RfmScores,
  type TagDefinition,
} from '../../core/portrait';
import type { LifecycleDoc, MemberDoc } from '../members/documents';

export interface PortraitSettings {
  lifecycle: LifecycleConfig;
  rfm: RfmConfig;
  tags: readonly TagDefinition[];
  /** LTV forecast horizon (days). */
  forecastDays: number;
}

/** Everything derived from a member's facts at `now`: what the member document carries besides the facts. */
export interface Portrait {
  stage: Stage;
  nextStageChangeAt: Date | null;
  rfm: RfmScores | null;
  ltvFen: number;
  ltvForecastFen: number;
  tags: HeldTag[];
}

function ageOn(birthday: string | undefined, now: Date): number | undefined {
  const m = birthday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthday) : null;
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const age = now.getUTCFullYear() - y;
  return now.getUTCMonth() + 1 < mo || (now.getUTCMonth() + 1 === mo && now.getUTCDate() < d) ? age - 1 : age;
}

/**
 * The portrait of one member: stage, RFM, historical LTV and the documented forecast
 * (core/portrait/ltv.ts, horizon `forecastDays`, zero once lapsed), and rule tags
 * (manual and interaction tags are kept as they are, expired interaction tags dropped).
 */
export function portraitOf(
  member: Pick<MemberDoc, 'birthday' | 'gender' | 'tier' | 'tags'>,
  facts: LifecycleFacts,
  doc: Pick<LifecycleDoc, 'categories' | 'channels'>,
  s: PortraitSettings,
  now: Date,
): Portrait {
  const stage = computeStage(facts, s.lifecycle, now);
  const rfm = rfmScores(rfmInputFromFacts(facts, s.rfm, now), s.rfm, now);
  const sum = summarize(facts, s.lifecycle, now);
  const tagFacts: Record<string, unknown> = {
    age: ageOn(member.birthday, now),
    gender: member.gender,
    stage,
    tierId: member.tier,
    paidOrderCount: sum.paidOrderCount,
    spend12mFen: sum.spendWindowFen,
    lastPaidAt: sum.lastPaidAt,
    categories: doc.categories,
    channels: doc.channels,
    rfm,
  };
  const held = member.tags ?? [];
  const decision = evaluateTags(s.tags, tagFacts, held, now);
  const removed = new Set(decision.remove);
  const tags = [...held.filter((t) => !removed.has(t.tagId)), ...decision.add].sort((a, b) =>
    a.tagId < b.tagId ? -1 : a.tagId > b.tagId ? 1 : 0,
  );
  return {
    stage,
    nextStageChangeAt: nextStageChangeAt(facts, s.lifecycle, now),
    rfm,
    ltvFen: historicalLtvFen(facts, now),
    ltvForecastFen: forecastLtvFen(facts, now, {
      horizonDays: s.forecastDays,
      churnAfterDays: s.lifecycle.lapsedAfterDays,
    }),
    tags,
  };
}
