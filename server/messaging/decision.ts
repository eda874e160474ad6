import {
  capWindows,
  consumeConsent,
  decideSend,
  type Channel,
  type MessagingPrefs,
  type SendDecision,
} from '../../core/messaging';
import type { ConsentDoc } from './documents';

/** What the server knows about a member's reach, read before the decision's transaction. */
export interface Audience {
  memberId: string;
  openid: string | null;
  oaOpenid: string | null;
  email: string | null;
  isFollower: boolean;
  lastOaInteractionAt: Date | null;
  prefs: MessagingPrefs;
}

export const emptyConsent = (memberId: string, now: Date): ConsentDoc => ({
  _id: memberId,
  templates: {},
  sent: { dayStart: new Date(0), today: 0, weekStart: new Date(0), thisWeek: 0 },
  updatedAt: now,
});

/** The counters of the current day and week (a new day or week starts from 0). */
function currentCounts(doc: ConsentDoc, now: Date, tz: string): ConsentDoc['sent'] {
  const { dayStart, weekStart } = capWindows(now, tz);
  const sameDay = new Date(doc.sent.dayStart).getTime() === dayStart.getTime();
  const sameWeek = new Date(doc.sent.weekStart).getTime() === weekStart.getTime();
  return { dayStart, today: sameDay ? doc.sent.today : 0, weekStart, thisWeek: sameWeek ? doc.sent.thisWeek : 0 };
}

/**
 * decideSend over the stored consent ledger and counters. A "send" consumes the consent and
 * counts against the caps here, so the caller writes the returned doc in the same transaction
 * as the outbox row: one consent, one message, whatever retries or crashes follow.
 */
export function decideWithLedger(
  msg: { channel: Channel; templateId: string; purpose: 'marketing' | 'transactional' },
  stored: ConsentDoc | null,
  a: Audience,
  now: Date,
  tz: string,
): { decision: SendDecision; consent: ConsentDoc | null } {
  const doc = stored ?? emptyConsent(a.memberId, now);
  const sent = currentCounts(doc, now, tz);
  const address = msg.channel === 'subscribe' ? a.openid : msg.channel === 'email' ? a.email : a.oaOpenid;
  const reach = {
    consent: doc.templates,
    isFollower: a.isFollower && !!a.oaOpenid,
    lastOaInteractionAt: a.lastOaInteractionAt,
    hasEmail: !!a.email,
  };
  const decision =
    address || msg.channel === 'email'
      ? decideSend(msg, a.prefs, reach, sent, now, tz)
      : ({ kind: 'skip', reason: 'no_consent' } as const);
  if (decision.kind !== 'send') return { decision, consent: null };
  const templates = decision.consumeConsentOf
    ? consumeConsent(doc.templates, decision.consumeConsentOf, now)
    : doc.templates;
  const counted = msg.purpose === 'marketing' ? { ...sent, today: sent.today + 1, thisWeek: sent.thisWeek + 1 } : sent;
  if (!decision.consumeConsentOf && msg.purpose !== 'marketing') return { decision, consent: null };
  return { decision, consent: { ...doc, templates, sent: counted, updatedAt: now } };
}
