import { DEFAULT_MESSAGING_PREFS, type MessagingPrefs } from '../../core/messaging';
import { OA_EVENT_TYPES } from '../../core/identity/oa';
import type { Database, AnyDb } from '../runtime/cloud';
import type { MemberDoc } from '../members/documents';
import type { Audience } from './decision';
import type { PrefsDoc } from './documents';
import { membersByIds } from '../members/store';

/** Events that open the Official Account's 48-hour customer-service window (`oa.message`: a message the person sent). */
export const OA_INTERACTIONS = [
  OA_EVENT_TYPES.subscribe,
  OA_EVENT_TYPES.click,
  OA_EVENT_TYPES.scan,
  OA_EVENT_TYPES.view,
  'oa.message',
];

export type MemberLike = Pick<MemberDoc, '_id' | 'openid' | 'oaOpenid' | 'oaFollowing' | 'language' | 'consents'> & {
  email?: string;
  isFollower?: boolean;
};

/** Brand defaults, then the member's choices; a member who withdrew marketing consent is opted out of all marketing. */
export function prefsOf(member: MemberLike | null, doc: PrefsDoc | null): MessagingPrefs {
  return {
    ...DEFAULT_MESSAGING_PREFS,
    // a withdrawn consent wins over an earlier preference
    marketingOptOut: doc?.marketingOptOut === true || member?.consents?.marketingOptIn === false,
    channelOptOut: doc?.channelOptOut ?? [],
    language: doc?.language ?? member?.language ?? 'zh',
  };
}

export async function lastOaInteraction(db: Database, memberId: string): Promise<Date | null> {
  const _ = (db as AnyDb).command;
  const r = await (db as AnyDb)
    .collection('events')
    .where({ memberId, type: _.in(OA_INTERACTIONS) })
    .orderBy('at', 'desc')
    .limit(1)
    .get();
  const at = r.data[0]?.at;
  return at ? new Date(at) : null;
}

export function audienceOf(member: MemberLike, prefs: PrefsDoc | null, lastOa: Date | null): Audience {
  return {
    memberId: member._id,
    openid: member.openid ?? null,
    oaOpenid: member.oaOpenid ?? null,
    email: member.email ?? null,
    isFollower: member.oaFollowing === true || member.isFollower === true,
    lastOaInteractionAt: lastOa,
    prefs: prefsOf(member, prefs),
  };
}

/** Members and their preferences by id, 100 per query (the server read default). */
export async function loadAudiences(
  db: Database,
  memberIds: string[],
  opts: { withOa: boolean },
): Promise<Map<string, Audience>> {
  const _ = (db as AnyDb).command;
  const out = new Map<string, Audience>();
  for (let i = 0; i < memberIds.length; i += 100) {
    const ids = memberIds.slice(i, i + 100);
    const [members, prefs] = await Promise.all([
      membersByIds<MemberLike>(db, ids),
      (db as AnyDb)
        .collection('message_prefs')
        .where({ _id: _.in(ids) })
        .limit(100)
        .get(),
    ]);
    const prefsById = new Map<string, PrefsDoc>((prefs.data as PrefsDoc[]).map((p) => [p._id, p]));
    for (const m of members) {
      const lastOa = opts.withOa ? await lastOaInteraction(db, m._id) : null;
      out.set(m._id, audienceOf(m, prefsById.get(m._id) ?? null, lastOa));
    }
  }
  return out;
}
