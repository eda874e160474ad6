import type { z } from 'zod';
import type { memberView, touch } from '../../core/contracts/member';
import type { MemberDoc, TouchDoc } from './documents';

type View = z.input<typeof memberView>;
const iso = (d: Date | string) => new Date(d).toISOString();
const touchView = (t: TouchDoc | undefined): z.input<typeof touch> | null =>
  t ? { storeId: t.storeId, advisorId: t.advisorId, campaign: t.campaign, via: t.via, at: iso(t.at) } : null;

/** The login answer: state, card and what the home page shows, from the one member document. */
export function memberViewOf(m: MemberDoc, isNew: boolean): View {
  return {
    memberId: m._id,
    state: m.state === 'deleted' ? 'visitor' : m.state,
    firstSeenAt: iso(m.firstSeenAt),
    lastSeenAt: iso(m.lastSeenAt),
    isNew,
    card:
      m.cardNo && m.claimedAt
        ? { cardNo: m.cardNo, tier: m.tier ?? 'member', points: m.points ?? 0, claimedAt: iso(m.claimedAt) }
        : null,
    profile: { nickname: m.nickname ?? null, avatarUrl: m.avatarUrl ?? null },
    attribution: { first: touchView(m.attribution?.first), last: touchView(m.attribution?.last) },
    phoneBound: !!m.phone,
    marketingOptIn: m.consents?.marketingOptIn ?? false,
    trackingOptIn: m.consents?.trackingOptIn ?? false,
  };
}
