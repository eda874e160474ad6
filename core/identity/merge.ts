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

/** Personal and card fields the survivor takes from the other when it has none. */
export const FILLABLE_FIELDS = ['name', 'birthday', 'gender', 'language', 'nickname', 'avatarUrl', 'phone', 'unionid', 'openid', 'oaOpenid', 'consents'] as const;

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
  const patch: Record<string, unknown> = {};
  for (const f of FILLABLE_FIELDS) if ((survivor[f] === undefined || survivor[f] === null) && loser[f] !== undefined && loser[f] !== null) patch[f] = loser[f];
  // card fields come as a whole: a survivor without a card takes the loser's
  if (!survivor.cardNo && loser.cardNo) Object.assign(patch, { cardNo: loser.cardNo, tier: loser.tier, claimedAt: loser.claimedAt, state: 'member' });
  if (!survivor.oaFollowing && loser.oaFollowing) patch.oaFollowing = true;
  patch.points = (survivor.points ?? 0) + (loser.points ?? 0);
  const firstSurvivor = (survivor.attribution as { first?: { at: Date } } | undefined)?.first;
  const firstLoser = (loser.attribution as { first?: { at: Date } } | undefined)?.first;
  if (firstLoser && (!firstSurvivor || t(firstLoser.at) < t(firstSurvivor.at))) patch['attribution.first'] = firstLoser;
  if (t(loser.firstSeenAt as Date | undefined) < t(survivor.firstSeenAt as Date | undefined)) patch.firstSeenAt = loser.firstSeenAt;
  return { survivorId: survivor._id, loserId: loser._id, survivorPatch: patch };
}

/** The id of a merge of this pair, whichever order it is asked in: concurrent merges meet on one document. */
export const mergeId = (a: string, b: string): string => (a < b ? `merge:${a}:${b}` : `merge:${b}:${a}`);
