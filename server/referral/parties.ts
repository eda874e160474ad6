import type { ReferralParty } from '../../core/referral';
import type { Database, AnyDb } from '../runtime/cloud';
import type { IdentityDoc, MemberDoc } from '../members/documents';
import { asDate } from './documents';
import { membersMergedInto } from '../members/store';

export interface KnownParty extends ReferralParty {
  /** Earliest time the brand saw this person: their member, merged members, identities. */
  firstSeenAt: Date;
}

/** A person as the anti-fraud rules see them: member id, ids merged into it, every identity. */
export async function partyOf(db: Database, member: MemberDoc): Promise<KnownParty> {
  const d = db as AnyDb;
  const [ids, merged] = await Promise.all([
    d.collection('identities').where({ memberId: member._id }).limit(1000).get() as Promise<{ data: IdentityDoc[] }>,
    membersMergedInto<Pick<MemberDoc, '_id' | 'firstSeenAt' | 'createdAt'>>(db, member._id, {
      _id: true,
      firstSeenAt: true,
      createdAt: true,
    }),
  ]);
  const seen = [
    member.firstSeenAt,
    member.createdAt,
    ...merged.flatMap((m) => [m.firstSeenAt, m.createdAt]),
    ...ids.data.map((i) => i.linkedAt),
  ]
    .map(asDate)
    .filter((x): x is Date => !!x && !Number.isNaN(x.getTime()));
  return {
    memberId: member._id,
    mergedMemberIds: merged.map((m) => m._id),
    identities: ids.data.map((i) => ({ kind: i.type === 'mp_openid' ? 'openid' : i.type, value: i.value })),
    firstSeenAt: new Date(Math.min(...seen.map((x) => x.getTime()))),
  };
}
