import { DEFAULT_TIME_ZONE, addDays, dayjs, instantOf, localDate, localTime } from '../time';
import { hasConsent, type ConsentLedger } from './consent';
import type { Channel, MessagingPrefs } from './prefs';

export interface OutgoingMessage {
  channel: Channel;
  templateId: string;
  /** Transactional messages (order, payment, appointment) ignore quiet hours, caps and marketing opt-outs. */
  purpose: 'marketing' | 'transactional';
}

/** Whether the member can be reached on each channel at all. */
export interface Reach {
  /** Subscription-message consents (Mini Program). */
  consent: ConsentLedger;
  /** Follows the Official Account (needed for OA template and customer-service messages). */
  isFollower: boolean;
  /** Last message or click from the member to the Official Account: customer-service messages only within 48 h. */
  lastOaInteractionAt: Date | null;
  hasEmail: boolean;
}

/** Marketing messages already sent to the member in the windows of `capWindows(now, tz)`. */
export interface SentCounts {
  today: number;
  thisWeek: number;
}

const SKIP_REASONS = ['no_consent', 'opted_out', 'capped_day', 'capped_week', 'outside_service_window'] as const;
export type SkipReason = (typeof SKIP_REASONS)[number];

/** Every reason a message is skipped, as the funnel figures report them: the decision's and a member gone. */
export const REPORTED_SKIPS = [...SKIP_REASONS, 'member_not_found'] as const;

export type SendDecision =
  | { kind: 'send'; consumeConsentOf: string | null }
  | { kind: 'skip'; reason: SkipReason }
  | { kind: 'defer'; reason: 'quiet_hours'; until: Date };

export const OA_SERVICE_WINDOW_MS = 48 * 3_600_000;

/** Start of the brand-local day and ISO week (Monday) holding `now`: the server counts sends since these. */
export function capWindows(now: Date, tz: string = DEFAULT_TIME_ZONE): { dayStart: Date; weekStart: Date } {
  const today = localDate(now, tz);
  const weekday = (dayjs(now).tz(tz).day() + 6) % 7; // Monday = 0
  return { dayStart: instantOf(today, '00:00', tz), weekStart: instantOf(addDays(today, -weekday), '00:00', tz) };
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** The end of the quiet hours holding `now`, or null when `now` is outside them. */
export function quietHoursEnd(
  quiet: { start: string; end: string },
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): Date | null {
  const { hour, minute } = localTime(now, tz);
  const t = hour * 60 + minute;
  const s = minutes(quiet.start);
  const e = minutes(quiet.end);
  const inside = s <= e ? t >= s && t < e : t >= s || t < e;
  if (!inside) return null;
  const today = localDate(now, tz);
  const endToday = instantOf(today, quiet.end, tz);
  return endToday.getTime() > now.getTime() ? endToday : instantOf(addDays(today, 1), quiet.end, tz);
}

function reachable(msg: OutgoingMessage, reach: Reach, now: Date): SkipReason | null {
  switch (msg.channel) {
    case 'subscribe':
      return hasConsent(reach.consent, msg.templateId) ? null : 'no_consent';
    case 'oa_template':
      return reach.isFollower ? null : 'no_consent';
    case 'oa_custom':
      if (!reach.isFollower) return 'no_consent';
      return reach.lastOaInteractionAt && now.getTime() - reach.lastOaInteractionAt.getTime() < OA_SERVICE_WINDOW_MS
        ? null
        : 'outside_service_window';
    case 'email':
      return reach.hasEmail ? null : 'no_consent';
  }
}

/**
 * Whether to send one message now. Order: marketing opt-outs, channel reachability (consent),
 * quiet hours (defer to their end, then decide again), caps. A 'send' on the subscribe channel
 * names the template whose consent the server must consume in the same transaction.
 */
export function decideSend(
  msg: OutgoingMessage,
  prefs: MessagingPrefs,
  reach: Reach,
  sent: SentCounts,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): SendDecision {
  const marketing = msg.purpose === 'marketing';
  if (marketing && (prefs.marketingOptOut || prefs.channelOptOut.includes(msg.channel)))
    return { kind: 'skip', reason: 'opted_out' };
  const unreachable = reachable(msg, reach, now);
  if (unreachable) return { kind: 'skip', reason: unreachable };
  if (marketing) {
    const until = prefs.quietHours ? quietHoursEnd(prefs.quietHours, now, tz) : null;
    if (until) return { kind: 'defer', reason: 'quiet_hours', until };
    if (prefs.capPerDay !== null && sent.today >= prefs.capPerDay) return { kind: 'skip', reason: 'capped_day' };
    if (prefs.capPerWeek !== null && sent.thisWeek >= prefs.capPerWeek) return { kind: 'skip', reason: 'capped_week' };
  }
  const c = reach.consent[msg.templateId];
  return { kind: 'send', consumeConsentOf: msg.channel === 'subscribe' && !c?.longTerm ? msg.templateId : null };
}
