import { DomainError, ErrorCodes } from '../errors';
import { byExpiry, takeInOrder } from './lots';
import type { Consumption, Lot } from './types';

export interface ReverseInput {
  lots: readonly Lot[];
  /** The member's balance before this reversal (may already be negative). */
  balance: number;
  /** The lot the order's earning opened (null when it earned nothing). */
  orderLotId: string | null;
  /** Points the order earned. */
  earnedPoints: number;
  orderAmountFen: number;
  /** Fen refunded by earlier refunds of this order. */
  refundedBeforeFen: number;
  refundFen: number;
  /** Sums over this order's earlier reverse rows: points charged and points forgiven. */
  before: { charged: number; forgiven: number };
}

/** What the points side keeps of an order: its earning and what earlier refunds took back. */
export interface OrderPoints {
  lotId: string | null;
  earned: number;
  amountFen: number;
  refundedFen: number;
  charged: number;
  forgiven: number;
}

/** The reversal input for a refund of `refundFen` of the order, against the member's lots and balance. */
export const reverseInputOf = (
  order: OrderPoints,
  refundFen: number,
  lots: readonly Lot[],
  balance: number,
): ReverseInput => ({
  lots,
  balance,
  orderLotId: order.lotId,
  earnedPoints: order.earned,
  orderAmountFen: order.amountFen,
  refundedBeforeFen: order.refundedFen,
  refundFen,
  before: { charged: order.charged, forgiven: order.forgiven },
});

export interface ReversePlan {
  /** Points of the order this refund accounts for (charged + forgiven). */
  due: number;
  /** Points taken from the member: the reverse row's amount is -charged. */
  charged: number;
  /** Points not taken because they had already expired from the order's lot. */
  forgiven: number;
  /** Lots the charged points came from: the order's own lot first, then the oldest-expiring. */
  consumed: Consumption[];
  /** Charged points no lot could cover: the balance goes this far below what the lots hold. */
  debt: number;
  balanceAfter: number;
}

/**
 * A refund takes back the order's points in proportion to the money refunded. Partial refunds
 * are computed cumulatively (floor(earned × refunded so far / order amount) minus what earlier
 * refunds accounted for), so they add up to exactly the points earned and never more.
 *
 * Rule when the points are no longer there: value is never created by a refund.
 * 1. What is left of the order's own lot is taken first.
 * 2. Points of that lot that already expired are forgiven (taken once by expiry, not again).
 * 3. The rest (points that were spent) is taken from the member's other lots, oldest-expiring
 *    first — including lots due to expire but not yet swept, which keeps lots == balance; and
 *    what no lot covers leaves the balance NEGATIVE. The next credits pay that debt off first
 *    (see openLot), so spending is impossible until the member is back above zero.
 */
export function planReverse(input: ReverseInput): ReversePlan {
  const { lots, balance, orderLotId, earnedPoints, orderAmountFen, refundedBeforeFen, refundFen, before } = input;
  for (const [k, v] of Object.entries({ earnedPoints, orderAmountFen, refundedBeforeFen, refundFen })) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new DomainError(ErrorCodes.INVALID_INPUT, '退款冲销参数必须是非负整数', { [k]: v });
  }
  const refundedAfter = Math.min(orderAmountFen, refundedBeforeFen + refundFen);
  const target =
    orderAmountFen === 0 ? 0 : Number((BigInt(earnedPoints) * BigInt(refundedAfter)) / BigInt(orderAmountFen));
  const due = Math.max(0, target - before.charged - before.forgiven);

  const own = orderLotId === null ? undefined : lots.find((l) => l.lotId === orderLotId);
  const fromOwn = Math.min(due, own?.remaining ?? 0);
  const forgiven = Math.min(due - fromOwn, Math.max(0, (own?.expired ?? 0) - before.forgiven));
  const others = lots.filter((l) => l !== own && l.remaining > 0).sort(byExpiry);
  const fromOthers = takeInOrder(others, due - fromOwn - forgiven);
  const debt = due - fromOwn - forgiven - fromOthers.taken;

  const consumed = [...(own && fromOwn > 0 ? [{ lotId: own.lotId, amount: fromOwn }] : []), ...fromOthers.consumed];
  const charged = due - forgiven;
  return { due, charged, forgiven, consumed, debt, balanceAfter: balance - charged };
}
