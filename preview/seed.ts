import { identityId } from '../server/members/documents';
import { PERSONAS } from './personas';

/**
 * Documents that make the personas who they are: the member persona holds a claimed card.
 * (The visitor and friend start unknown; the staff persona is in the demo brand's `staff`.)
 */
export function personaDocuments(now: Date): Record<string, ({ _id: string } & Record<string, unknown>)[]> {
  const member = PERSONAS.find((p) => p.id === 'member')!;
  const since = new Date(now.getTime() - 90 * 86_400_000);
  return {
    members: [
      { _id: 'm_preview_member', state: 'member', openid: member.openid, firstSeenAt: since, lastSeenAt: since, createdAt: since, claimedAt: since, cardNo: '880000012026', tier: 'silver', points: 1280, name: '林小满', nickname: '小满', language: 'zh' },
    ],
    identities: [
      { _id: identityId('mp_openid', member.openid), type: 'mp_openid', value: member.openid, memberId: 'm_preview_member', linkedAt: since },
      { _id: identityId('card', '880000012026'), type: 'card', value: '880000012026', memberId: 'm_preview_member', linkedAt: since },
    ],
  };
}
