import { DomainError, ErrorCodes } from '../../core/errors';
import { mergeId, planMerge, type MergeCandidate } from '../../core/identity/merge';
import { stateOf } from '../../core/identity/member';
import type { Database } from '../runtime/cloud';
import type { Logger } from '../kit/logger';
import { inTransaction } from '../db/transaction';
import { emit } from '../db/events';
import type { MemberDoc } from '../members/documents';
import { keepOneJoinReward } from '../join-rewards/rewards';
import { moveReferences } from './references';
import { resolveMember } from '../members/resolve';
import { readMemberTx, updateMemberTx } from '../members/store';

export interface MergeResult {
  mergeId: string;
  survivorId: string;
  loserId: string;
  /** True when this pair had been merged already (a retry or a concurrent merge): nothing new was done. */
  replayed: boolean;
  moved: Record<string, number>;
}

interface MergeDoc {
  survivorId: string;
  loserId: string;
  reason: string;
  status: 'moving' | 'done';
  at: Date;
  moved?: Record<string, number>;
}

/**
 * Merges two members into one. The decision (survivor, filled fields, summed points cache, the
 * loser's `mergedInto`, a `merges` record keyed by the pair) is one transaction, so concurrent merges
 * of a pair give one result. The survivor takes every fact of the loser's document (a rule per field,
 * core/members/merge-member.ts). The loser's rows then move as the member-data registry says, outside
 * it; that step is idempotent and any later call for the pair finishes it.
 */
export async function mergeMembers(
  db: Database,
  now: Date,
  aId: string,
  bId: string,
  reason: string,
  log?: Logger,
): Promise<MergeResult> {
  for (let attempt = 0; attempt < 4; attempt++) {
    const [a, b] = await Promise.all([resolveMember(db, aId), resolveMember(db, bId)]);
    if (!a || !b) throw new DomainError(ErrorCodes.NOT_FOUND, '会员不存在 / member not found', { aId, bId });
    if (a._id === b._id) return { mergeId: '', survivorId: a._id, loserId: a._id, replayed: true, moved: {} };
    const id = mergeId(a._id, b._id);
    const decided = await inTransaction(db, async (tx) => {
      const seen = (await tx.collection('merges').doc(id).get()).data as MergeDoc | null;
      if (seen) return { doc: seen, replayed: true };
      const A = await readMemberTx(tx, a._id);
      const B = await readMemberTx(tx, b._id);
      // merged elsewhere since we resolved them: start again from the new roots
      if (!A || !B || A.mergedInto || B.mergedInto) return null;
      const plan = planMerge(
        { ...A, _id: a._id } as unknown as MergeCandidate,
        { ...B, _id: b._id } as unknown as MergeCandidate,
      );
      const survivor = plan.survivorId === a._id ? A : B;
      const loserBefore = plan.survivorId === a._id ? B : A;
      const _ = db.command;
      // the loser gives up its card number first: members.cardNo is unique
      await updateMemberTx(tx, plan.loserId, {
        mergedInto: plan.survivorId,
        mergedAt: now,
        points: 0,
        ...(loserBefore.cardNo ? { cardNo: _.remove(), mergedCardNo: loserBefore.cardNo } : {}),
      });
      const after = { ...survivor, ...plan.survivorPatch } as MemberDoc;
      await updateMemberTx(tx, plan.survivorId, { ...plan.survivorPatch, state: stateOf(after) });
      const doc: MergeDoc = { survivorId: plan.survivorId, loserId: plan.loserId, reason, status: 'moving', at: now };
      await tx
        .collection('merges')
        .doc(id)
        .set({ data: { ...doc } });
      await emit(tx, {
        type: 'member.merged',
        memberId: plan.survivorId,
        at: now,
        data: { loserId: plan.loserId, reason },
      });
      return { doc, replayed: false };
    });
    if (!decided) continue;
    const moved = await moveReferences(db, decided.doc.loserId, decided.doc.survivorId);
    await keepOneJoinReward(db, decided.doc.survivorId, decided.doc.loserId, now);
    await db
      .collection('merges')
      .doc(id)
      .update({ data: { status: 'done', moved, doneAt: now } });
    log?.info('members merged', {
      mergeId: id,
      survivorId: decided.doc.survivorId,
      loserId: decided.doc.loserId,
      replayed: decided.replayed,
      moved,
    });
    return {
      mergeId: id,
      survivorId: decided.doc.survivorId,
      loserId: decided.doc.loserId,
      replayed: decided.replayed,
      moved,
    };
  }
  throw new DomainError(ErrorCodes.CONFLICT, '合并繁忙，请重试 / merge busy, please retry');
}
