import { z } from 'zod';
import { defineAction, isoInstant } from './common';

const localized = z.object({ zh: z.string(), en: z.string() });
const points = z.number().int();
/** A client-made id for one intended operation: retrying with the same id never repeats it. */
export const requestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 letters, digits, _ or -');
const memberId = z.string().min(1).max(64);

export const ledgerKind = z.enum(['earn', 'spend', 'expire', 'reverse', 'adjust']);

export const tierView = z.object({ id: z.string(), name: localized });

/** points.summary: the points page header (balance, expiring soon, tier and what is missing for the next). */
export const summary = defineAction(
  z.object({}).strict(),
  z.object({
    memberId: z.string(),
    /** The ledger sum; can include points due to expire that the nightly job has not swept yet. */
    balance: points,
    /** What can be spent now. */
    spendable: points,
    expiringSoon: z.object({ total: points, earliest: isoInstant.nullable(), withinDays: z.number().int() }),
    tier: tierView,
    nextTier: tierView.nullable(),
    progress: z.object({
      basis: z.enum(['points', 'spend']),
      value: z.number(),
      missing: z.number(),
      ratio: z.number(),
      message: localized,
    }),
  }),
);

export const ledgerItem = z.object({
  id: z.string(),
  kind: ledgerKind,
  amount: points,
  at: isoInstant,
  source: z.string(),
  reason: z.string().optional(),
  orderId: z.string().optional(),
  /** Crediting rows: when the points they brought expire. */
  expiresAt: isoInstant.optional(),
  balanceAfter: points,
});

/** points.history: newest first, 20 per page. */
export const history = defineAction(
  z.object({ page: z.number().int().min(0).max(5000).default(0) }).strict(),
  z.object({ items: z.array(ledgerItem), page: z.number().int(), pageSize: z.number().int(), hasMore: z.boolean() }),
);

/** points.adjust (staff: store manager or brand admin): audited. */
export const adjust = defineAction(
  z
    .object({
      memberId,
      delta: z
        .number()
        .int()
        .refine((d) => d !== 0, 'must not be 0')
        .refine((d) => Math.abs(d) <= 1_000_000, 'too large'),
      reason: z.string().trim().min(2).max(200),
      requestId,
    })
    .strict(),
  z.object({ ledgerId: z.string(), amount: points, balance: points, replayed: z.boolean() }),
);

/** points.earnOrder (staff or system): credits a paid order once; order sync calls the same server function. */
export const earnOrder = defineAction(
  z
    .object({
      memberId,
      orderId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
      amountFen: z.number().int().min(0).max(1e10),
    })
    .strict(),
  z.object({ ledgerId: z.string().nullable(), points, balance: points, tierId: z.string(), replayed: z.boolean() }),
);

/** points.refundOrder (staff or system): takes back an order's points in proportion to the refund, once per refund id. */
export const refundOrder = defineAction(
  z
    .object({
      memberId,
      orderId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
      refundId: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/),
      refundFen: z.number().int().min(1).max(1e10),
    })
    .strict(),
  z.object({
    ledgerId: z.string().nullable(),
    charged: points,
    forgiven: points,
    balance: points,
    replayed: z.boolean(),
  }),
);

export const pointsContracts = { summary, history, adjust, earnOrder, refundOrder } as const;
