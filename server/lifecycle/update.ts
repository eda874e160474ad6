import { decideStage, type LifecycleFacts } from '../../core/lifecycle';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import type { LifecycleDoc, MemberDoc } from '../members/documents';
import { portraitOf, type PortraitSettings } from '../portrait/compute';
import { sameCanonical } from '../db/documents';
import { docOf, type StageHistoryDoc } from './documents';
import { nextReviewAt } from './review';
import { flushStageLogTx, type StageLog } from './stage-log';
import { updateMemberTx } from '../members/store';
import { birthMonthOf } from '../../core/segments/birthday';

/**
 * The member as the lifecycle code reads and writes it: `nextReviewAt` schedules the nightly
 * review, `lifecycleRev` counts transactional lifecycle writes, `stageLog` is a nightly stage change
 * whose history row and event may still be owed (stage-log.ts).
 */
export type LifecycleMember = MemberDoc & {
  nextReviewAt?: Date | null;
  lifecycleRev?: number;
  stageLog?: StageLog | null;
};

export interface LifecyclePatch {
  patch: Record<string, unknown>;
  change: { from: string | null; to: string } | null;
  /** Nothing to write: the stored fields already say this. */
  unchanged: boolean;
}

/** What a member's lifecycle fields should be at `now` given these facts, and whether that differs from what is stored. */
export function lifecyclePatch(
  member: LifecycleMember,
  facts: LifecycleFacts,
  traits: Pick<LifecycleDoc, 'categories' | 'channels'>,
  settings: PortraitSettings,
  now: Date,
): LifecyclePatch {
  const previous = member.stage ? { stage: member.stage, since: member.stageSince ?? now } : null;
  const { record, change } = decideStage(previous, facts, settings.lifecycle, now);
  const p = portraitOf(member, facts, traits, settings, now);
  const patch: Record<string, unknown> = {
    stage: record.stage,
    stageSince: record.since,
    nextStageChangeAt: p.nextStageChangeAt,
    lifecycle: docOf(facts, traits),
    rfm: p.rfm,
    ltvFen: p.ltvFen,
    ltvForecastFen: p.ltvForecastFen,
    tags: p.tags,
    nextReviewAt: nextReviewAt(member, facts, p, settings, now),
    // kept with the birthday; written here too, so a rebuild gives it to members stored before it existed
    birthMonth: birthMonthOf(member.birthday),
  };
  const before: Record<string, unknown> = {
    stage: member.stage,
    stageSince: member.stageSince,
    nextStageChangeAt: member.nextStageChangeAt ?? null,
    lifecycle: member.lifecycle,
    rfm: member.rfm ?? null,
    ltvFen: member.ltvFen,
    ltvForecastFen: member.ltvForecastFen,
    tags: member.tags ?? [],
    nextReviewAt: member.nextReviewAt ?? null,
    birthMonth: member.birthMonth ?? null,
  };
  return {
    patch,
    change: change ? { from: change.from, to: change.to } : null,
    unchanged: !change && sameCanonical(patch, before),
  };
}

/**
 * Writes a member's lifecycle inputs and portrait inside the caller's transaction (the member
 * document must have been read in it): the stage by `decideStage`, a `stage_history` row and a
 * `member.stage_changed` event when it moved, RFM, LTV and tags. Writes nothing if nothing changed.
 * Returns the stage change, if any.
 */
export async function saveLifecycle(
  tx: Tx,
  member: LifecycleMember,
  facts: LifecycleFacts,
  traits: Pick<LifecycleDoc, 'categories' | 'channels'>,
  settings: PortraitSettings,
  now: Date,
  cause: string,
): Promise<{ from: string | null; to: string } | null> {
  const { patch, change, unchanged } = lifecyclePatch(member, facts, traits, settings, now);
  const owed = member.stageLog
    ? await flushStageLogTx(tx, member._id, member.stageLog).then(() => ({ stageLog: null }))
    : null;
  if (unchanged) {
    if (owed) await updateMemberTx(tx, member._id, owed);
    return null;
  }
  // lifecycleRev: the nightly job's plain updates apply only if no transaction wrote the member since it read it
  await updateMemberTx(tx, member._id, { ...patch, ...owed, lifecycleRev: (member.lifecycleRev ?? 0) + 1 });
  if (!change) return null;
  const row: StageHistoryDoc = { memberId: member._id, from: change.from, to: change.to, at: now, cause };
  await tx.collection('stage_history').add({ data: { ...row } });
  await emit(tx, {
    type: 'member.stage_changed',
    memberId: member._id,
    at: now,
    data: { from: change.from, to: change.to, cause },
  });
  return change;
}
