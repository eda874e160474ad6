import { memberMergePatch } from '../members/merge-member';

/**
 * Which of two members survives a merge, and what the survivor looks like after it. The survivor
 * is the one holding a card (the earlier claim if both), else the older record, else the smaller id,
 * so both sides of a concurrent merge pick the same survivor.
 */
export interface MergeCandidate {
  _id: string;
  createdAt: Date;
  claimedAt?: Date;
  points?: number;
  [field: string]: unknown;
}

export interface MergePlan {
  survivorId: string;
  loserId: string;
  survivorPatch: Record<string, unknown>;
}

const t = (d: Date | undefined) => (d ? new Date(d).getTime() : Infinity);

export function chooseSurvivor(a: MergeCandidate, b: MergeCandidate): [MergeCandidate, MergeCandidate] {
  const byClaim = t(a.claimedAt) - t(b.claimedAt);
  if (byClaim !== 0 && !Number.isNaN(byClaim)) return byClaim < 0 ? [a, b] : [b, a];
  const byAge = t(a.createdAt) - t(b.createdAt);
  if (byAge !== 0) return byAge < 0 ? [a, b] : [b, a];
  return a._id < b._id ? [a, b] : [b, a];
}

export function planMerge(a: MergeCandidate, b: MergeCandidate): MergePlan {
  if (a._id === b._id) throw new Error('planMerge: a member cannot merge with itself');
  const [survivor, loser] = chooseSurvivor(a, b);
  // every fact either member held: core/members/merge-member.ts names the rule of each field
  const patch = memberMergePatch(survivor, loser);
  return { survivorId: survivor._id, loserId: loser._id, survivorPatch: patch };
}

/** The id of a merge of this pair, whichever order it is asked in: concurrent merges meet on one document. */
export const mergeId = (a: string, b: string): string => (a < b ? `merge:${a}:${b}` : `merge:${b}:${a}`);
