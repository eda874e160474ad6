import { z } from 'zod';

/** An instant as it arrives: a Date from server code, or an ISO-8601 string with offset from the wire. */
export const instantSchema = z.union([z.date(), z.iso.datetime({ offset: true }).transform((s) => new Date(s))]);

/** What kind of channel a source is; each configured source names one (brand config `orderSync.sources[].channel`). */
export const ORDER_CHANNELS = ['shop', 'pos', 'ecommerce', 'miniprogram'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
/** A source id as the brand configures it (`pos`, `tmall`, `jd`…); which ids are accepted is the configuration's. */
export const ORDER_SOURCE_ID = /^[a-z][a-z0-9_]{0,31}$/;
export type OrderSource = string;

/** Ordered by progress: an update's rank says how far along the order it saw. */
export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'completed', 'partially_refunded', 'refunded'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** How the brand's systems know the customer; resolved to a member by the identity module. */
export const identityRefSchema = z.object({
  type: z.enum(['openid', 'unionid', 'phone', 'cardNo', 'externalId']),
  value: z.string().min(1).max(128),
});
export type IdentityRef = z.output<typeof identityRefSchema>;

// Amounts are integers in fen. Sign and currency are checked after parsing (see validate.ts) so
// that they get their own error codes instead of a generic schema failure.
const fen = z.number().int();

export const orderItemSchema = z.object({
  sku: z.string().min(1).max(64),
  name: z.string().max(200).optional(),
  category: z.string().min(1).max(64),
  qty: z.number().int().positive(),
  /** Unit price in fen. */
  priceFen: fen,
});
export type OrderItem = z.output<typeof orderItemSchema>;

/** One refund, identified by the source's refund number; `amountFen` is this refund only, not a running total. */
export const refundSchema = z.object({
  refundNo: z.string().min(1).max(64),
  amountFen: fen,
  at: instantSchema.optional(),
});
export type Refund = z.output<typeof refundSchema>;

export const incomingOrderSchema = z
  .object({
    source: z.string().regex(ORDER_SOURCE_ID, 'expected a lower-case source id like pos or tmall'),
    orderNo: z.string().min(1).max(64),
    customer: z.array(identityRefSchema).max(10).default([]),
    currency: z.string().min(1).max(8).default('CNY'),
    amounts: z.object({
      totalFen: fen,
      discountFen: fen.default(0),
      /** Paid amount; defaults to `totalFen` for any status at or beyond `paid`. */
      paidFen: fen.optional(),
    }),
    items: z.array(orderItemSchema).max(500).default([]),
    status: z.enum(ORDER_STATUSES),
    /** All refunds the source knows of (a subset is fine: refunds are merged by refundNo). */
    refunds: z.array(refundSchema).max(100).default([]),
    createdAt: instantSchema,
    paidAt: instantSchema.optional(),
    shippedAt: instantSchema.optional(),
    completedAt: instantSchema.optional(),
    /** When the source produced this version of the order; orders the versions of the order's data. */
    updatedAt: instantSchema,
  })
  .superRefine((o, ctx) => {
    if (o.status === 'partially_refunded' && o.refunds.length === 0) {
      ctx.addIssue({ code: 'custom', path: ['refunds'], message: 'a partially refunded order lists its refunds' });
    }
    if (new Set(o.refunds.map((r) => r.refundNo)).size !== o.refunds.length) {
      ctx.addIssue({ code: 'custom', path: ['refunds'], message: 'refund numbers must be unique' });
    }
  });
export type IncomingOrder = z.output<typeof incomingOrderSchema>;
export type IncomingOrderInput = z.input<typeof incomingOrderSchema>;

/** The converged order as stored: every field is a commutative merge of the updates seen. */
export interface StoredOrder {
  source: OrderSource;
  orderNo: string;
  currency: 'CNY';
  status: OrderStatus;
  /** Union of every identity ref seen, sorted. */
  customer: IdentityRef[];
  totalFen: number;
  discountFen: number;
  /** 0 until the order is known to be paid. */
  paidFen: number;
  items: OrderItem[];
  /** Refunds by refundNo, sorted; a full refund without numbers is recorded as refundNo `*`. */
  refunds: Refund[];
  /** Sum of refunds, capped at `paidFen`. */
  refundedFen: number;
  paid: boolean;
  shipped: boolean;
  completed: boolean;
  /** Some update said the order was refunded in full. */
  fullRefundDeclared: boolean;
  createdAt: Date;
  paidAt?: Date;
  shippedAt?: Date;
  completedAt?: Date;
  /** Earliest instant of a refund that we know of. */
  refundedAt?: Date;
  /** Identifies the update whose body (amounts, items) won: highest (rank, updatedAt, digest). */
  version: { rank: number; updatedAt: Date; digest: string };
}

export type OrderTransition =
  | { type: 'order.created'; source: OrderSource; orderNo: string; createdAt: Date }
  /** `categories`: the product categories bought, for journeys that branch on them (S18). */
  | { type: 'order.paid'; source: OrderSource; orderNo: string; paidFen: number; paidAt: Date; categories: string[] }
  | {
      type: 'order.refunded';
      source: OrderSource;
      orderNo: string;
      refundNo: string;
      /** This refund's own amount. */
      amountFen: number;
      /** How much the capped refunded total grew; equals amountFen unless refunds exceed the paid amount. */
      deltaFen: number;
      /** The order's paid amount, so a consumer can reverse points proportionally without reading the order. */
      paidFen: number;
    };
