import { matches, segmentRuleSchema, type MemberFacts } from '../../core/segments';
import type { HeldTag } from '../../core/portrait';
import type { Database, AnyDb } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import type { MemberDoc } from '../members/documents';
import type { ReferralDoc } from './documents';
import { updateMemberTx } from '../members/store';

export const REFERRED_TAG = 'referred';

const tagIds = (tags: unknown): string[] =>
  Array.isArray(tags)
    ? tags
        .map((t) => (typeof t === 'string' ? t : (t as HeldTag)?.tagId))
        .filter((t): t is string => typeof t === 'string')
    : [];

const factsOf = (m: MemberDoc, tags: string[]): MemberFacts => ({
  tags: tags.map((tagId) => ({ tagId })),
  stage: m.stage ?? null,
  tier: m.tier ?? null,
  language: m.language ?? null,
  isFollower: m.oaFollowing === true,
  isMember: m.state === 'member' || typeof m.cardNo === 'string',
});

/** Saved segments the friend enters by being tagged `referred` (e.g. seed 003's "Hi-Po"). Read outside the transaction. */
export async function segmentsEntered(db: Database, m: MemberDoc, now: Date, tz: string): Promise<string[]> {
  const segs = (await (db as AnyDb).collection('segments').limit(100).get()).data as { _id: string; rule?: unknown }[];
  const before = tagIds(m.tags);
  const after = before.includes(REFERRED_TAG) ? before : [...before, REFERRED_TAG];
  return segs.flatMap((s) => {
    const rule = segmentRuleSchema.safeParse(s.rule);
    if (!rule.success) return [];
    return !matches(rule.data, factsOf(m, before), now, tz) && matches(rule.data, factsOf(m, after), now, tz)
      ? [s._id]
      : [];
  });
}

/**
 * A referred friend who follows the Official Account without having joined: kept as referred
 * (tag and `referredBy` on the member), `referral.friend_followed` for the welcome journey, and
 * `segment.entered` for each segment the tag puts them in. Once per referral.
 */
export async function markFollowerOnly(
  tx: Tx,
  r: ReferralDoc,
  m: MemberDoc,
  segmentIds: string[],
  now: Date,
): Promise<Partial<ReferralDoc>> {
  if (r.followEmitted || m.cardNo || m.oaFollowing !== true) return {};
  const held = Array.isArray(m.tags) ? m.tags : [];
  const tags = tagIds(held).includes(REFERRED_TAG)
    ? held
    : [...held, { tagId: REFERRED_TAG, source: 'interaction', at: now } satisfies HeldTag];
  await updateMemberTx(tx, m._id, { tags, referredBy: r.referrerId, referred: true });
  await emit(tx, {
    type: 'referral.friend_followed',
    memberId: m._id,
    at: now,
    data: { referrerId: r.referrerId, referralId: r._id },
  });
  for (const segmentId of segmentIds)
    await emit(tx, { type: 'segment.entered', memberId: m._id, at: now, data: { segmentId, via: 'referral' } });
  return { followEmitted: true, followedAt: r.followedAt ?? now };
}
