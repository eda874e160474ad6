import { z } from 'zod';
import { defineAction, isoInstant } from './common';
import { portraitContracts } from './portrait';

export const ORDERS_PAGE_SIZE = 20;

export const orderView = z.object({
  orderId: z.string(),
  source: z.string(),
  /** The source as the brand names it (config `orderSync.sources[].label`), e.g. 天猫旗舰店. */
  sourceLabel: z.string(),
  orderNo: z.string(),
  status: z.enum(['created', 'paid', 'shipped', 'completed', 'partially_refunded', 'refunded']),
  totalFen: z.number().int(),
  paidFen: z.number().int(),
  refundedFen: z.number().int(),
  createdAt: isoInstant,
  paidAt: isoInstant.optional(),
  items: z.array(
    z.object({
      sku: z.string(),
      name: z.string().optional(),
      category: z.string(),
      qty: z.number().int(),
      priceFen: z.number().int(),
    }),
  ),
  refunds: z.array(z.object({ refundNo: z.string(), amountFen: z.number().int(), at: isoInstant.optional() })),
  /** Points this order earned, and those taken back for its refunds (≤ 0). */
  points: z.object({ earned: z.number().int(), reversed: z.number().int() }),
});

/** orders.mine: the caller's orders from every channel, newest first, 20 a page. */
export const mine = defineAction(
  z.object({ page: z.number().int().min(1).max(500).default(1) }).strict(),
  z.object({ items: z.array(orderView), page: z.number().int(), hasMore: z.boolean() }),
);

/** Body of `POST /http/orders/sync` (signed): each order is checked on its own by core/orders. */
export const syncRequest = z.object({ orders: z.array(z.unknown()).min(1).max(500) }).strict();

export const orderSyncResult = z.discriminatedUnion('ok', [
  z.object({
    index: z.number().int(),
    orderId: z.string(),
    ok: z.literal(true),
    status: z.string(),
    memberId: z.string().nullable(),
    transitions: z.array(z.string()),
    replayed: z.boolean(),
  }),
  z.object({
    index: z.number().int(),
    orderId: z.string().nullable(),
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
  }),
]);
/** @public the answer a brand system gets from an order sync (parsed by no server code) */
export const syncResponse = z.object({
  ok: z.literal(true),
  data: z.object({ results: z.array(orderSyncResult), accepted: z.number().int(), rejected: z.number().int() }),
});

export const ordersContracts = { mine, ...portraitContracts };
