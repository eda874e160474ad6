import { DomainError, ErrorCodes } from '../errors';
import { spendableLots, takeInOrder } from './lots';
import type { Consumption, Lot } from './types';

export interface SpendPlan {
  amount: number;
  consumed: Consumption[];
}

/** Spends `amount` points from lots still valid at `now`, oldest-expiring first. */
export function planSpend(lots: readonly Lot[], amount: number, now: Date): SpendPlan {
  if (!Number.isSafeInteger(amount) || amount <= 0) {
    throw new DomainError(ErrorCodes.INVALID_INPUT, '积分数量必须是正整数', { amount });
  }
  const { consumed, taken } = takeInOrder(spendableLots(lots, now), amount);
  if (taken < amount) {
    throw new DomainError(ErrorCodes.POINTS_INSUFFICIENT, '积分不足', { required: amount, available: taken });
  }
  return { amount, consumed };
}
