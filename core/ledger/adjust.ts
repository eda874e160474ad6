import { DomainError, ErrorCodes } from '../errors';
import { openLot } from './lots';
import { planSpend } from './spend';
import type { Consumption, Lot } from './types';

export type AdjustPlan =
  | { direction: 'credit'; amount: number; lot: Lot; settledDebt: number }
  | { direction: 'debit'; amount: number; consumed: Consumption[] };

/**
 * A manual or POS adjustment. A credit opens a lot expiring at `expiresAt` (the caller applies the
 * brand's expiry policy); a debit consumes like spending and fails with POINTS_INSUFFICIENT rather
 * than making the balance negative — only refunds can do that.
 */
export function planAdjust(
  lots: readonly Lot[],
  balance: number,
  delta: number,
  at: { lotId: string; now: Date; expiresAt: Date },
): AdjustPlan {
  if (!Number.isSafeInteger(delta) || delta === 0) {
    throw new DomainError(ErrorCodes.INVALID_INPUT, '调整积分必须是非零整数', { delta });
  }
  if (delta > 0) {
    const { lot, settledDebt } = openLot(
      { lotId: at.lotId, points: delta, earnedAt: at.now, expiresAt: at.expiresAt },
      balance,
    );
    return { direction: 'credit', amount: delta, lot, settledDebt };
  }
  return { direction: 'debit', amount: delta, consumed: planSpend(lots, -delta, at.now).consumed };
}
