/**
 * A lot is one crediting (earn, sign-up bonus, positive adjust). Spending, expiry and reversal
 * consume lots, oldest-expiring first, so each point expires at most once and never twice.
 * `expiresAt` is exclusive: the lot's points are gone from that instant on.
 */
export interface Lot {
  lotId: string;
  amount: number;
  remaining: number;
  /** Points of this lot removed by expiry (needed so a refund does not take expired points twice). */
  expired: number;
  earnedAt: Date;
  expiresAt: Date;
}

/** Points taken from one lot by a debit. */
export interface Consumption {
  lotId: string;
  amount: number;
}

export type LedgerKind = 'earn' | 'spend' | 'expire' | 'reverse' | 'adjust';

/**
 * Sign of `amount` per kind: earn > 0; spend < 0; expire < 0; reverse <= 0 (0 when all of it
 * was forgiven because those points had expired already); adjust != 0 (staff or POS, either way).
 * balance == sum(amount) over the member's rows, always.
 */
export const AMOUNT_SIGN: Record<LedgerKind, 'positive' | 'negative' | 'nonPositive' | 'nonZero'> = {
  earn: 'positive',
  spend: 'negative',
  expire: 'negative',
  reverse: 'nonPositive',
  adjust: 'nonZero',
};

/** One append-only ledger row, as the server stores it (plus its own ids and member reference). */
export interface LedgerRow {
  kind: LedgerKind;
  amount: number;
  at: Date;
  /** Unique per member and movement: a retry with the same key returns the first result. */
  idempotencyKey: string;
  /** Where the movement came from: 'order', 'signup', 'referral', 'coupon', 'staff', 'pos', 'job'... */
  source: string;
  reason?: string;
  /** The order an earn or reverse belongs to. */
  orderId?: string;
  /** Crediting rows: the lot they opened. */
  lotId?: string;
  /** Crediting rows: points that paid off a negative balance instead of going into the lot. */
  settledDebt?: number;
  /** Debiting rows: the lots they took points from. */
  consumed?: Consumption[];
  /** Reverse rows: points not taken again because they had already expired. */
  forgiven?: number;
}

export function signOk(kind: LedgerKind, amount: number): boolean {
  if (!Number.isSafeInteger(amount)) return false;
  switch (AMOUNT_SIGN[kind]) {
    case 'positive':
      return amount > 0;
    case 'negative':
      return amount < 0;
    case 'nonPositive':
      return amount <= 0;
    case 'nonZero':
      return amount !== 0;
  }
}
