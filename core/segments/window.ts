import { DEFAULT_TIME_ZONE } from '../time';
import { recencyCutoff } from './recency';
import type { WindowOrder } from './rule';

/**
 * Paid orders in the last `days` brand-local days (paid on or after the start of that day): how many
 * were not fully refunded, and what they came to after refunds.
 */
export function windowTotals(
  orders: readonly WindowOrder[] | null | undefined,
  days: number,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): { orders: number; spendFen: number } {
  const cutoff = recencyCutoff(days, now, tz).getTime();
  let count = 0;
  let spendFen = 0;
  for (const o of orders ?? []) {
    if (new Date(o.paidAt).getTime() < cutoff) continue;
    const net = o.paidFen - Math.min(o.paidFen, o.refundedFen);
    if (net > 0) count++;
    spendFen += net;
  }
  return { orders: count, spendFen };
}

/** How many of a member's latest counted orders keep their paid time on the member (`latestPaid`). */
export const LATEST_PAID_KEPT = 5;

/**
 * `n1` … `n5`: the paid time of the latest counted order, of the second latest, and so on; null where the member
 * has fewer. Every key is always written: an update merges nested objects field by field, so a key left out would
 * keep a stale time after a refund.
 */
export type LatestPaid = Record<`n${number}`, Date | null>;

/**
 * The paid times of the latest orders that count (not fully refunded), newest first, as the member
 * keeps them: "at least k orders in the last d days" is then "the k-th latest paid on or after the
 * cut-off", a range one index answers, instead of a sum over every order.
 */
export function latestPaidOf(orders: readonly WindowOrder[] | null | undefined): LatestPaid {
  const times = (orders ?? [])
    .filter((o) => o.paidFen - Math.min(o.paidFen, o.refundedFen) > 0)
    .map((o) => new Date(o.paidAt).getTime())
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)
    .slice(0, LATEST_PAID_KEPT);
  return Object.fromEntries(
    Array.from({ length: LATEST_PAID_KEPT }, (_v, k) => [`n${k + 1}`, k < times.length ? new Date(times[k]!) : null]),
  );
}
