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

const LATEST_PAID_KEYS = Array.from({ length: LATEST_PAID_KEPT }, (_v, k) => `n${k + 1}` as const);

/**
 * The paid times of the latest orders that count (not fully refunded), newest first, as the member
 * keeps them: "at least k orders in the last d days" is then "the k-th latest paid on or after the
 * cut-off", a range one index answers, instead of a sum over every order.
 */
export function latestPaidOf(orders: readonly WindowOrder[] | null | undefined): LatestPaid {
  const times = countedNewestFirst(orders);
  const out: LatestPaid = {};
  LATEST_PAID_KEYS.forEach((key, k) => (out[key] = k < times.length ? new Date(times[k]!.t) : null));
  return out;
}

/**
 * The orders that count (not fully refunded, with a readable paid time), newest first, as paid time
 * and net amount. Without intermediate arrays: the lifecycle rebuild runs this for every member.
 */
function countedNewestFirst(orders: readonly WindowOrder[] | null | undefined): { t: number; net: number }[] {
  const out: { t: number; net: number }[] = [];
  for (const o of orders ?? []) {
    const net = o.paidFen - Math.min(o.paidFen, o.refundedFen);
    if (!(net > 0)) continue;
    const t = o.paidAt instanceof Date ? o.paidAt.getTime() : new Date(o.paidAt).getTime();
    if (!Number.isNaN(t)) out.push({ t, net });
  }
  return out.sort((x, y) => y.t - x.t);
}

/** The spend amounts (fen) whose reach in time each member keeps (`spendReach`): a rule on one of them is one range. */
export const SPEND_LADDER_FEN = [10_000, 20_000, 30_000, 50_000, 100_000, 200_000, 500_000] as const;

/** The key of a ladder amount under `lifecycle.spendReach`: `y100` for 100 yuan (a name, never an array index). */
export const spendReachKey = (fen: number): string => `y${fen / 100}`;
const SPEND_REACH_KEYS = SPEND_LADDER_FEN.map(spendReachKey);

/**
 * For each ladder amount X, the paid time of the order at which the spend counted back from the newest order
 * (each order's paid amount less its refunds) first reaches X; null when the lifetime net spend stays below X.
 * "Spent at least X in the last d days" is then "reached X on or after the cut-off": every order paid on or after
 * that time is inside the window, and those paid later sum to less than X. Orders paid at one time count
 * together, so which of them comes first does not matter. Every key is always written (see `LatestPaid`).
 */
export function spendReachOf(orders: readonly WindowOrder[] | null | undefined): Record<string, Date | null> {
  const counted = countedNewestFirst(orders);
  const reach: Record<string, Date | null> = {};
  let sum = 0;
  let i = 0;
  SPEND_LADDER_FEN.forEach((amount, k) => {
    while (i < counted.length && sum < amount) sum += counted[i++]!.net;
    reach[SPEND_REACH_KEYS[k]!] = sum >= amount ? new Date(counted[i - 1]!.t) : null;
  });
  return reach;
}
