import { z } from 'zod';
import { appointmentChange, fen, id, instant, nullableId, orderRef, points, referralReward, text } from './payloads';

/**
 * Every event type the product writes to `events`: its payload (`data`), what it means, and the
 * server files that write it (`from: 'outside'` for one only an outside system writes). Journey
 * triggers and exits, branch conditions and interaction tags take their names from here, so one
 * naming an event nothing writes fails the type-check.
 */
export interface EventEntry {
  payload: z.ZodType<Record<string, unknown>>;
  description: string;
  emittedBy: readonly `server/${string}.ts`[];
  from?: 'outside';
}

const entry = <P extends z.ZodType<Record<string, unknown>>>(
  payload: P,
  description: string,
  ...emittedBy: `server/${string}.ts`[]
) => ({ payload, description, emittedBy });

const oa = 'server/identity/oa-callback.ts';
const sync = 'server/orders/sync.ts';
const booking = 'server/appointments/booking.ts';
const settle = 'server/referral/settle.ts';

export const EVENT_CATALOGUE = {
  'member.first_seen': entry(z.object({ source: z.string().nullable() }), 'A person is known for the first time (Mini Program or OA).', 'server/members/login.ts', 'server/identity/link.ts'),
  'member.visited': entry(
    z.object({ storeId: nullableId, advisorId: nullableId, campaign: z.string().nullable(), via: z.string(), entryScene: z.number().nullable() }),
    'A returning person opened the Mini Program from a scene (store QR, advisor, campaign).',
    'server/members/login.ts',
  ),
  'member.joined': entry(
    z.object({ storeId: nullableId, advisorId: nullableId, attribution: z.record(z.string(), z.unknown()), consents: z.object({ privacyVersion: z.string(), marketingOptIn: z.boolean() }) }),
    'The member card was claimed.',
    'server/members/card.ts',
  ),
  'member.merged': entry(z.object({ loserId: id, reason: z.string() }), 'Two members found to be one person were merged.', 'server/identity/merge.ts'),
  'member.deleted': entry(z.object({}), 'The member deleted their account.', 'server/members/data-rights.ts'),
  'member.stage_changed': entry(z.object({ from: z.string().nullable(), to: z.string(), cause: z.string() }), 'The lifecycle stage moved.', 'server/lifecycle/update.ts', 'server/lifecycle/stage-log.ts'),
  'consent.marketing_withdrawn': entry(z.object({ privacyVersion: z.string().nullable() }), 'The member withdrew marketing consent.', 'server/members/profile.ts'),
  'oa.subscribed': entry(z.object({ scene: z.string().nullable() }), 'Followed the Official Account (scene of the QR code, if any).', oa),
  'oa.unsubscribed': entry(z.object({}), 'Unfollowed the Official Account.', oa),
  'oa.scanned': entry(z.object({ scene: z.string() }), 'A follower scanned a parametric QR code.', oa),
  'oa.menu_clicked': entry(z.object({ key: z.string() }), 'A follower clicked an OA menu item.', oa),
  'oa.menu_viewed': entry(z.object({ url: z.string() }), 'A follower opened an OA menu link.', oa),
  'oa.message': entry(z.object({ msgId: z.string().nullable(), length: z.number().int() }), 'A follower sent the OA a text message.', oa),
  'order.created': entry(z.object({ ...orderRef, createdAt: instant }), 'An order was created in a brand system.', sync, 'server/orders/events.ts'),
  'order.paid': entry(
    z.object({ ...orderRef, paidFen: fen, paidAt: instant, categories: z.array(z.string()), firstPaid: z.boolean().optional() }),
    'An order was paid (categories bought; firstPaid for the member’s first).',
    sync,
    'server/orders/events.ts',
  ),
  'order.refunded': entry(
    z.object({ ...orderRef, refundNo: z.string(), amountFen: fen, deltaFen: fen, paidFen: fen }),
    'An order was refunded, in part or in full.',
    sync,
    'server/orders/events.ts',
  ),
  'order.attached': entry(z.object({ orderId: id }), 'A waiting order was attached to the member it belongs to.', sync, 'server/orders/attach.ts'),
  'points.earned': entry(
    z.union([z.object({ orderId: id, points, balance: points }), z.object({ source: z.literal('signup'), points, balance: points })]),
    'Points credited for an order or for joining.',
    'server/points/earn.ts',
  ),
  'points.spent': entry(z.object({ points, couponId: id, balance: points }), 'Points exchanged for a coupon.', 'server/coupons/exchange.ts'),
  'points.adjusted': entry(z.object({ delta: points, reason: z.string(), source: z.string(), balance: points }), 'Staff adjusted points.', 'server/points/adjust.ts'),
  'points.reversed': entry(
    z.object({ orderId: id, refundId: z.string(), charged: points, forgiven: points, debt: points, balance: points }),
    'Points of a refunded order taken back.',
    'server/points/reverse.ts',
  ),
  'points.expired': entry(z.object({ points, balance: points }), 'Points expired.', 'server/points/expire.ts'),
  'points.expiring_soon': entry(z.object({ points, expiresAt: z.string() }), 'Points will expire soon.', 'server/points/expire.ts'),
  'coupon.issued': entry(z.object({ couponId: id, templateId: id, channel: z.string() }), 'A coupon was claimed, granted or exchanged.', 'server/coupons/issue.ts'),
  'coupon.redeemed': entry(z.object({ couponId: id, templateId: id, storeId: z.string().nullable().optional(), discountFen: fen }), 'A coupon was used.', 'server/coupons/redeem.ts'),
  'coupon.expired': entry(z.object({ couponId: id, templateId: id }), 'A coupon expired unused.', 'server/coupons/expire.ts'),
  'tier.changed': entry(
    z.object({ from: z.string().nullable(), to: z.string(), direction: z.string(), metrics: z.object({ points, spendFen: fen }) }),
    'The member moved tier.',
    'server/tiers/apply.ts',
  ),
  'referral.opened': entry(z.object({ referrerId: id, tokenDay: z.string() }), 'A friend opened a share.', 'server/referral/open.ts'),
  'referral.friend_followed': entry(z.object({ referrerId: id, referralId: id }), 'A referred friend followed the OA.', 'server/referral/follow.ts'),
  'referral.reward_granted': entry(referralReward, 'A referral voucher was granted.', settle),
  'referral.reward_held': entry(referralReward, 'A referral voucher is held for the refund window.', settle),
  'referral.reward_cancelled': entry(referralReward, 'A held referral voucher was cancelled.', settle),
  'segment.entered': entry(z.object({ segmentId: id, via: z.string() }), 'The member entered a saved segment.', 'server/referral/follow.ts'),
  'appointment.requested': entry(appointmentChange, 'A booking was made.', booking),
  'appointment.confirmed': entry(appointmentChange, 'Staff confirmed a booking.', booking),
  'appointment.cancelled': entry(appointmentChange, 'A booking was cancelled.', booking),
  'appointment.rescheduled': entry(appointmentChange, 'A booking moved to another slot.', booking),
  'appointment.checked_in': entry(appointmentChange, 'The member arrived for a booking.', booking),
  'appointment.no_show': entry(appointmentChange, 'The member did not come.', booking),
  'appointment.reminder_due': entry(
    z.object({ kind: z.string(), appointmentId: id, key: z.string(), start: instant, storeId: id, serviceId: id, storeName: text.optional(), serviceName: text.optional(), templateId: z.string().nullable().optional(), reminderConsent: z.string().nullable(), skipped: z.array(z.string()).optional() }),
    'A booking reminder is due.',
    'server/appointments/reminders.ts',
  ),
  'message.subscribe_result': entry(
    z.object({ templateId: z.string(), result: z.string(), messageType: z.string(), appointmentId: id.optional() }),
    'The member answered a subscription-message prompt.',
    'server/appointments/actions.ts',
  ),
  birthday: entry(z.object({ date: z.string() }), 'The member’s birthday in the brand time zone.', 'server/journeys/birthday.ts'),
  'survey.completed': entry(
    z.object({ surveyId: id, channel: z.enum(['oa', 'mp']), choices: z.array(z.string()), tags: z.array(z.string()) }),
    'The member finished a survey (OA reply or Mini Program page).',
    'server/surveys/record.ts',
  ),
} as const satisfies Record<string, EventEntry>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type EventPayload<T extends EventType> = z.input<(typeof EVENT_CATALOGUE)[T]['payload']>;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as [EventType, ...EventType[]];

/** The schema of an event type's name, for contracts that name events (journeys, tags). */
export const eventTypeSchema = z.enum(EVENT_TYPES);
export const isEventType = (s: string): s is EventType => Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, s);
