import { DEFAULT_TIME_ZONE, addDays, instantOf, localDate } from '../time';

/**
 * Each message type has a deadline that means something to the person receiving it: after it the
 * message is dropped with a reason, never sent late. Retries back off across the whole deadline
 * (`core/messaging/retry.ts`). docs/messaging-reliability.md holds the same table.
 */
export type DeadlineRule =
  /** this long after the message was decided */
  | { within: number }
  /** before the instant the message is about (the booking's start, the coupon's expiry), given with the intent */
  | { before: 'subject'; fallbackWithin: number }
  /** before the end of the brand-local day the message was decided on (a birthday greeting on the day) */
  | { endOfDay: true };

const HOUR = 3_600_000;

export const MESSAGE_DEADLINES = {
  appointmentReminder: { before: 'subject', fallbackWithin: 2 * HOUR },
  paymentReminder: { within: 2 * HOUR },
  welcome: { within: 24 * HOUR },
  thankYou: { within: 24 * HOUR },
  birthday: { endOfDay: true },
  couponExpiring: { before: 'subject', fallbackWithin: 24 * HOUR },
  pointsExpiring: { before: 'subject', fallbackWithin: 24 * HOUR },
  /** any other journey step or campaign message: a day, then it is stale */
  marketing: { within: 24 * HOUR },
  /** any other transactional notice or journey webhook */
  notice: { within: 24 * HOUR },
} as const satisfies Record<string, DeadlineRule>;

export type DeadlineType = keyof typeof MESSAGE_DEADLINES;

/** Journey templates (as the seeds name them) that are one of the message types above. */
const TYPE_OF_TEMPLATE: Record<string, DeadlineType> = {
  order_unpaid_reminder: 'paymentReminder',
  first_purchase_thanks: 'thankYou',
  birthday_greeting: 'birthday',
  nurture_welcome: 'welcome',
};

/** The message type whose deadline a message keeps: named by the sender, else from its template, else by purpose. */
export function deadlineTypeOf(m: {
  type?: DeadlineType;
  template?: string;
  purpose?: 'marketing' | 'transactional';
}): DeadlineType {
  if (m.type) return m.type;
  const known = m.template ? TYPE_OF_TEMPLATE[m.template] : undefined;
  if (known) return known;
  return m.purpose === 'marketing' ? 'marketing' : 'notice';
}

/** The instant after which the message is not sent any more. `subjectAt`: what a `before: 'subject'` rule counts to. */
export function deadlineOf(
  type: DeadlineType,
  decidedAt: Date,
  subjectAt?: Date | null,
  tz: string = DEFAULT_TIME_ZONE,
): Date {
  const rule: DeadlineRule = MESSAGE_DEADLINES[type];
  if ('endOfDay' in rule) return instantOf(addDays(localDate(decidedAt, tz), 1), '00:00', tz);
  if ('before' in rule) {
    if (subjectAt && !Number.isNaN(subjectAt.getTime())) return subjectAt;
    return new Date(decidedAt.getTime() + rule.fallbackWithin);
  }
  return new Date(decidedAt.getTime() + rule.within);
}
