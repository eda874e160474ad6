import type { LedgerRow, Lot } from '../../core/ledger';

/** A points_ledger row: `_id` is the idempotency key (unique index too). Append-only. */
export interface LedgerDoc extends LedgerRow {
  _id: string;
  memberId: string;
  /** Crediting rows: when the lot's points expire. */
  expiresAt?: Date;
  balanceAfter: number;
  /** Staff or system that made an adjustment. */
  by?: string;
}

/** A points_lots document: one crediting, consumed oldest-expiring first. */
export interface LotDoc {
  _id: string;
  memberId: string;
  amount: number;
  remaining: number;
  expired: number;
  earnedAt: Date;
  expiresAt: Date;
  source: string;
  orderId?: string;
}

/** A points_orders document (`_id` = order id): what an order earned and what its refunds took back. */
export interface PointsOrderDoc {
  _id: string;
  memberId: string;
  amountFen: number;
  earned: number;
  lotId: string | null;
  refundedFen: number;
  charged: number;
  forgiven: number;
  at: Date;
}

export const toLot = (d: LotDoc): Lot => ({
  lotId: d._id,
  amount: d.amount,
  remaining: d.remaining,
  expired: d.expired,
  earnedAt: new Date(d.earnedAt),
  expiresAt: new Date(d.expiresAt),
});

export const lotIdFor = (key: string): string => `lot:${key}`;
