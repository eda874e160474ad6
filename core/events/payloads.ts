import { z } from 'zod';

/** The payload (`data`) of each event type as its writers put it: dates are Date written, ISO strings read back. */
const instant = z.union([z.date(), z.string()]);
const id = z.string().min(1);
const nullableId = id.nullable();
const fen = z.number().int();
const points = z.number().int();
/** A brand text in the member's languages (a store or service name). */
const text = z.object({ zh: z.string(), en: z.string().optional() });
const orderRef = { orderId: id, source: z.string(), orderNo: z.string() };

export const memberPayloads = {
  firstSeen: z.object({ source: z.string().nullable() }),
  visited: z.object({
    storeId: nullableId,
    advisorId: nullableId,
    campaign: z.string().nullable(),
    via: z.string(),
    entryScene: z.number().nullable(),
  }),
  joined: z.object({
    storeId: nullableId,
    advisorId: nullableId,
    attribution: z.record(z.string(), z.unknown()),
    consents: z.object({ privacyVersion: z.string(), marketingOptIn: z.boolean() }),
    /** What joining gave (the brand's join rewards), and the words the welcome message announces it with. */
    rewards: z
      .object({ points: z.number().int(), couponId: z.string().nullable(), couponName: z.unknown() })
      .nullable()
      .optional(),
    announce: z.object({ zh: z.string(), en: z.string() }).nullable().optional(),
  }),
  merged: z.object({ loserId: id, reason: z.string() }),
  none: z.object({}),
  stageChanged: z.object({ from: z.string().nullable(), to: z.string(), cause: z.string() }),
  marketingWithdrawn: z.object({ privacyVersion: z.string().nullable() }),
};

export const oaPayloads = {
  subscribed: z.object({ scene: z.string().nullable() }),
  scanned: z.object({ scene: z.string() }),
  clicked: z.object({ key: z.string() }),
  viewed: z.object({ url: z.string() }),
  /** A text's id and length: never its content. */
  message: z.object({ msgId: z.string().nullable(), length: z.number().int() }),
};

export const orderPayloads = {
  created: z.object({ ...orderRef, createdAt: instant }),
  paid: z.object({
    ...orderRef,
    paidFen: fen,
    paidAt: instant,
    categories: z.array(z.string()),
    firstPaid: z.boolean().optional(),
  }),
  refunded: z.object({ ...orderRef, refundNo: z.string(), amountFen: fen, deltaFen: fen, paidFen: fen }),
  attached: z.object({ orderId: id }),
};

export const pointsPayloads = {
  earned: z.union([
    z.object({ orderId: id, points, balance: points }),
    z.object({ source: z.literal('signup'), points, balance: points }),
  ]),
  spent: z.object({ points, couponId: id, balance: points }),
  adjusted: z.object({ delta: points, reason: z.string(), source: z.string(), balance: points }),
  reversed: z.object({
    orderId: id,
    refundId: z.string(),
    charged: points,
    forgiven: points,
    debt: points,
    balance: points,
  }),
  expired: z.object({ points, balance: points }),
  expiringSoon: z.object({ points, expiresAt: z.string() }),
  tierChanged: z.object({
    from: z.string().nullable(),
    to: z.string(),
    direction: z.string(),
    metrics: z.object({ points, spendFen: fen }),
  }),
};

export const couponPayloads = {
  issued: z.object({ couponId: id, templateId: id, channel: z.string() }),
  redeemed: z.object({ couponId: id, templateId: id, storeId: z.string().nullable().optional(), discountFen: fen }),
  expired: z.object({ couponId: id, templateId: id }),
};

export const referralPayloads = {
  opened: z.object({ referrerId: id, tokenDay: z.string() }),
  friendFollowed: z.object({ referrerId: id, referralId: id }),
  reward: z.object({
    referralId: id,
    side: z.enum(['referrer', 'friend']),
    referrerId: id,
    friendId: id,
    couponId: nullableId,
    releaseAt: instant.nullable(),
    reason: z.string().nullable(),
    orderId: nullableId,
  }),
  segmentEntered: z.object({ segmentId: id, via: z.string() }),
};

export const appointmentPayloads = {
  change: z.object({
    appointmentId: id,
    storeId: id,
    serviceId: id,
    date: z.string(),
    start: instant,
    end: instant,
    status: z.string(),
    by: z.union([
      z.object({ kind: z.literal('member'), memberId: id }),
      z.object({ kind: z.literal('staff'), staffId: id }),
      z.object({ kind: z.literal('system') }),
    ]),
  }),
  reminderDue: z.object({
    kind: z.string(),
    appointmentId: id,
    key: z.string(),
    start: instant,
    storeId: id,
    serviceId: id,
    storeName: text.optional(),
    serviceName: text.optional(),
    templateId: z.string().nullable().optional(),
    reminderConsent: z.string().nullable(),
    skipped: z.array(z.string()).optional(),
  }),
  subscribeResult: z.object({
    templateId: z.string(),
    result: z.string(),
    messageType: z.string(),
    appointmentId: id.optional(),
  }),
};

export const engagementPayloads = {
  birthday: z.object({ date: z.string() }),
  cartItemAdded: z.object({ productId: id, category: z.string().nullable(), via: z.string() }),
  cartAbandoned: z.object({ productIds: z.array(id), addedAt: instant }),
  surveyCompleted: z.object({
    surveyId: id,
    channel: z.enum(['oa', 'mp']),
    choices: z.array(z.string()),
    tags: z.array(z.string()),
  }),
};
