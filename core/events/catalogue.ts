import { z } from 'zod';
import {
  appointmentPayloads as ap,
  couponPayloads as cp,
  engagementPayloads as ep,
  memberPayloads as mp,
  oaPayloads as oa,
  orderPayloads as op,
  pointsPayloads as pp,
  referralPayloads as rp,
} from './payloads';

/**
 * Every event type the product writes to `events`: its payload (`data`), what it means, and the
 * server files that write it (`from: 'outside'` for one only an outside system writes). Journey
 * triggers and exits, branch conditions and interaction tags take their names from here, so one
 * naming an event nothing writes fails the type-check.
 */
export interface EventEntry {
  payload: Payload;
  description: string;
  emittedBy: readonly ServerFile[];
  from?: 'outside';
}
type ServerFile = `server/${string}.ts`;

type Payload = z.ZodType<Record<string, unknown>>;
const entry = <P extends Payload>(payload: P, description: string, ...emittedBy: ServerFile[]) => ({
  payload,
  description,
  emittedBy,
});

const OA = 'server/identity/oa-callback.ts';
const PROFILE = 'server/member-actions/profile.ts';
const SURVEY = 'server/surveys/record.ts';
const SYNC = 'server/orders/sync.ts';
const ORDER_EVENTS = 'server/orders/events.ts';
const BOOKING = 'server/appointments/booking.ts';
const BOOKING_ACTIONS = 'server/appointments/actions.ts';
const LOGIN = 'server/member-actions/login.ts';
const LIFECYCLE = 'server/lifecycle/update.ts';
const STAGE_LOG = 'server/lifecycle/stage-log.ts';
const SETTLE = 'server/referral/settle.ts';
const CART_IN = 'server/behaviour/ingest.ts';
const CART_TIMER = 'server/behaviour/cart.ts';

export const EVENT_CATALOGUE = {
  'member.first_seen': entry(mp.firstSeen, 'A person is known for the first time.', LOGIN, 'server/identity/link.ts'),
  'member.visited': entry(mp.visited, 'A returning person opened the Mini Program from a scene.', LOGIN),
  'member.joined': entry(mp.joined, 'The member card was claimed.', 'server/member-actions/card.ts'),
  'member.merged': entry(mp.merged, 'Two members found to be one person were merged.', 'server/identity/merge.ts'),
  'member.deleted': entry(mp.none, 'The member deleted their account.', 'server/members/data-rights.ts'),
  'member.stage_changed': entry(mp.stageChanged, 'The lifecycle stage moved.', LIFECYCLE, STAGE_LOG),
  'consent.marketing_withdrawn': entry(mp.marketingWithdrawn, 'Marketing consent withdrawn.', PROFILE),
  'oa.subscribed': entry(oa.subscribed, 'Followed the Official Account (the QR scene, if any).', OA),
  'oa.unsubscribed': entry(mp.none, 'Unfollowed the Official Account.', OA),
  'oa.scanned': entry(oa.scanned, 'A follower scanned a parametric QR code.', OA),
  'oa.menu_clicked': entry(oa.clicked, 'A follower clicked an OA menu item.', OA),
  'oa.menu_viewed': entry(oa.viewed, 'A follower opened an OA menu link.', OA),
  'oa.message': entry(oa.message, 'A follower sent the OA a text message.', OA),
  'order.created': entry(op.created, 'An order was created in a brand system.', SYNC, ORDER_EVENTS),
  'order.paid': entry(op.paid, 'An order was paid (categories; firstPaid on the first).', SYNC, ORDER_EVENTS),
  'order.refunded': entry(op.refunded, 'An order was refunded, in part or in full.', SYNC, ORDER_EVENTS),
  'order.attached': entry(op.attached, 'A waiting order was attached to its member.', SYNC, 'server/orders/attach.ts'),
  'points.earned': entry(pp.earned, 'Points credited for an order or for joining.', 'server/points/earn.ts'),
  'points.spent': entry(pp.spent, 'Points exchanged for a coupon.', 'server/coupons/exchange.ts'),
  'points.adjusted': entry(pp.adjusted, 'Staff adjusted points.', 'server/points/adjust.ts'),
  'points.reversed': entry(pp.reversed, 'Points of a refunded order taken back.', 'server/points/reverse.ts'),
  'points.expired': entry(pp.expired, 'Points expired.', 'server/points/expire.ts'),
  'points.expiring_soon': entry(pp.expiringSoon, 'Points will expire soon.', 'server/points/expire.ts'),
  'tier.changed': entry(pp.tierChanged, 'The member moved tier.', 'server/tiers/apply.ts'),
  'coupon.issued': entry(cp.issued, 'A coupon was claimed, granted or exchanged.', 'server/coupons/issue.ts'),
  'coupon.redeemed': entry(cp.redeemed, 'A coupon was used.', 'server/coupons/redeem.ts'),
  'coupon.expired': entry(cp.expired, 'A coupon expired unused.', 'server/coupons/expire.ts'),
  'referral.opened': entry(rp.opened, 'A friend opened a share.', 'server/referral/open.ts'),
  'referral.friend_followed': entry(rp.friendFollowed, 'A referred friend followed.', 'server/referral/follow.ts'),
  'referral.reward_granted': entry(rp.reward, 'A referral voucher was granted.', SETTLE),
  'referral.reward_held': entry(rp.reward, 'A referral voucher is held for the refund window.', SETTLE),
  'referral.reward_cancelled': entry(rp.reward, 'A held referral voucher was cancelled.', SETTLE),
  'segment.entered': entry(rp.segmentEntered, 'The member entered a saved segment.', 'server/referral/follow.ts'),
  'appointment.requested': entry(ap.change, 'A booking was made.', BOOKING),
  'appointment.confirmed': entry(ap.change, 'Staff confirmed a booking.', BOOKING),
  'appointment.cancelled': entry(ap.change, 'A booking was cancelled.', BOOKING),
  'appointment.rescheduled': entry(ap.change, 'A booking moved to another slot.', BOOKING),
  'appointment.checked_in': entry(ap.change, 'The member arrived for a booking.', BOOKING),
  'appointment.no_show': entry(ap.change, 'The member did not come.', BOOKING),
  'appointment.reminder_due': entry(ap.reminderDue, 'A reminder is due.', 'server/appointments/reminders.ts'),
  'message.subscribe_result': entry(ap.subscribeResult, 'A subscription prompt answered.', BOOKING_ACTIONS),
  birthday: entry(ep.birthday, 'The member’s birthday in the brand time zone.', 'server/journeys/birthday.ts'),
  'cart.item_added': entry(ep.cartItemAdded, 'A known person added a product to the cart.', CART_IN),
  'cart.abandoned': entry(ep.cartAbandoned, 'A cart addition with no paid order for the brand’s hours.', CART_TIMER),
  'survey.completed': entry(ep.surveyCompleted, 'The member finished a survey (OA reply or page).', SURVEY),
} as const satisfies Record<string, EventEntry>;

export type EventType = keyof typeof EVENT_CATALOGUE;
export type EventPayload<T extends EventType> = z.input<(typeof EVENT_CATALOGUE)[T]['payload']>;
export const EVENT_TYPES = Object.keys(EVENT_CATALOGUE) as [EventType, ...EventType[]];

/** The schema of an event type's name, for contracts that name events (journeys, tags). */
export const eventTypeSchema = z.enum(EVENT_TYPES);
export const isEventType = (s: string): s is EventType => Object.prototype.hasOwnProperty.call(EVENT_CATALOGUE, s);
