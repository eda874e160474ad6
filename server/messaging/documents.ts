import type { ConsentLedger } from '../../core/messaging';
import type { Channel, MessagingPrefs } from '../../core/messaging';

/** `consents/{memberId}`: subscription consents per template, and marketing sends counted for the caps. */
export interface ConsentDoc {
  _id: string;
  templates: ConsentLedger;
  /** Marketing messages decided "send" in the current brand-local day and ISO week (windows from capWindows). */
  sent: { dayStart: Date; today: number; weekStart: Date; thisWeek: number };
  /** Latest event ids folded in (`message.subscribe_result`), so a replayed event adds no second consent. */
  appliedEvents?: string[];
  updatedAt: Date;
}

/** `message_prefs/{memberId}`: what the member chose; brand defaults fill the rest. */
export type PrefsDoc = { _id: string; updatedAt: Date } & Partial<
  Pick<MessagingPrefs, 'marketingOptOut' | 'channelOptOut' | 'language'>
>;

export type OutboxState =
  /** decided "send": waits for the dispatcher (also after a transient failure, with a later dueAt) */
  | 'pending'
  /** quiet hours: decided again at dueAt */
  | 'deferred'
  /** claimed by a dispatcher holding `lease` until `leaseUntil` */
  | 'sending'
  | 'sent'
  | 'skipped'
  | 'failed'
  /** no answer from WeChat (timeout, or the lease ran out): maybe delivered, never resent where WeChat does not de-duplicate */
  | 'unknown'
  /** an effect another module applies (coupon grants, points, CRM webhooks): recorded here, picked up there */
  | 'handoff'
  /** a CRM webhook the receiver acknowledged (kind `crmEvent`; messages use `sent`) */
  | 'delivered'
  /** a coupon or points row carried out (`server/journeys/effects.ts`), in the commit that granted it */
  | 'done';

export type OutboxKind = 'message' | 'webhook' | 'grantCoupon' | 'points' | 'crmEvent';

/** One row per key: `${runId}:${stepId}` for journeys, `campaign:${campaignId}:${memberId}` for campaigns. */
export interface OutboxDoc {
  _id: string;
  key: string;
  kind: OutboxKind;
  memberId: string;
  channel?: Channel;
  template?: string;
  purpose?: 'marketing' | 'transactional';
  data?: Record<string, unknown>;
  journeyId?: string;
  runId?: string;
  stepId?: string;
  campaignId?: string;
  subjectId?: string;
  state: OutboxState;
  reason: string | null;
  dueAt: Date;
  attempts: number;
  lease: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  decidedAt: Date;
  sentAt: Date | null;
  /** Not sent after this instant (the message type's deadline, `core/messaging/deadline.ts`); absent on older rows: a day after createdAt. */
  deadlineAt?: Date;
  /** First try that got no answer, for channels that may resend with the same id within WeChat's de-duplication window. */
  unknownSince?: Date | null;
  /** The paid order a sent message is credited with (last touch within the conversion window). */
  convertedAt?: Date;
  convertedOrderId?: string;
}

/** A new outbox row's bookkeeping: not tried, not leased, decided and created now. */
export function freshOutboxFields(
  now: Date,
): Pick<OutboxDoc, 'attempts' | 'lease' | 'leaseUntil' | 'createdAt' | 'decidedAt' | 'sentAt'> {
  return { attempts: 0, lease: null, leaseUntil: null, createdAt: now, decidedAt: now, sentAt: null };
}

export interface SegmentDoc {
  _id: string;
  name: string;
  rule: unknown;
  updatedBy: string;
  updatedAt: Date;
}

export interface CampaignDoc {
  _id: string;
  name: string;
  segmentId: string;
  message: {
    channel: Channel;
    template: string;
    purpose: 'marketing' | 'transactional';
    data: Record<string, string | number | boolean>;
  };
  sendAt: Date;
  state: 'scheduled' | 'enqueuing' | 'enqueued';
  /** Last member _id enqueued: enqueueing resumes after it. */
  cursor: string | null;
  enqueued: number;
  createdBy: string;
  createdAt: Date;
}

/** `event_cursor/journeys`: the last event the journey consumer handled, in (at, _id) order. */
export interface EventCursorDoc {
  _id: string;
  at: Date;
  eventId: string;
}
