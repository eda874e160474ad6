import type { LifecycleFacts } from '../lifecycle/facts';

const DAY_MS = 86_400_000;

/** Historical lifetime value: net paid (paid − refunded) in fen over every order paid up to now. */
export function historicalLtvFen(facts: LifecycleFacts, now: Date): number {
  let sum = 0;
  for (const o of Object.values(facts.paidOrders))
    if (o.paidAt.getTime() <= now.getTime()) sum += Math.max(0, o.paidFen - o.refundedFen);
  return sum;
}

export interface LtvForecastOptions {
  horizonDays: number;
  /** A customer's purchase rate is measured over at least this many days, so one recent order does not read as one a day. */
  minTenureDays?: number;
  /** If set, a customer with no purchase for this many days is assumed gone: forecast 0. */
  churnAfterDays?: number | null;
}

/**
 * Simple forecast, documented so staff can explain it:
 *   forecast = average order value × purchase rate × horizon
 *   average order value = net spend / counted orders
 *   purchase rate = counted orders / max(minTenureDays, days since first purchase)   (orders per day)
 * Fully refunded orders are not counted. No seasonality, no discounting; 0 for non-customers and,
 * with churnAfterDays, for customers quiet for longer than that. Rounded to whole fen.
 */
export function forecastLtvFen(facts: LifecycleFacts, now: Date, options: LtvForecastOptions): number {
  const t = now.getTime();
  const minTenureDays = options.minTenureDays ?? 30;
  let count = 0;
  let net = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const o of Object.values(facts.paidOrders)) {
    const paid = o.paidAt.getTime();
    if (paid > t || (o.paidFen > 0 && o.refundedFen >= o.paidFen)) continue;
    count++;
    net += o.paidFen - o.refundedFen;
    first = Math.min(first, paid);
    last = Math.max(last, paid);
  }
  if (count === 0) return 0;
  if (options.churnAfterDays != null && t - last >= options.churnAfterDays * DAY_MS) return 0;
  const tenureDays = Math.max(minTenureDays, (t - first) / DAY_MS);
  return Math.round((net / count) * (count / tenureDays) * options.horizonDays);
}
