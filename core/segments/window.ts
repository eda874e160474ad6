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
