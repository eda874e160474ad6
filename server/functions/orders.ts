import { ordersContracts as c } from '../../core/contracts/orders';
import { action, createFunction } from '../kit/router';
import { httpRouter } from '../http/signed';
import { orderSyncEndpoint } from '../orders/endpoint';
import { productSyncEndpoint } from '../catalogue/endpoint';
import { memberPortrait, myOrders } from '../orders/views';
import { attachWaitingOrders } from '../orders/attach';
import { recomputeAll } from '../lifecycle/recompute';
import { computeDailyStats } from '../stats/daily';
import { computeInsight } from '../insight/aggregate';
import type { SystemContext } from '../kit/context';

/** Work per run of the nightly review, well inside the 60 s timeout. */
const REVIEW_SLICE_MS = 10_000;

/**
 * The nightly lifecycle + RFM review at 03:00, in slices of 10 s: what is still due when a slice ends is
 * taken by the runs every 10 minutes until 06:00 (`lifecycleNightlyRest`), which find nothing due
 * on an ordinary night.
 */
const lifecycleReview = (ctx: SystemContext) =>
  recomputeAll(ctx.db, ctx.now(), ctx.log, undefined, { until: Date.now() + REVIEW_SLICE_MS });

/**
 * The `orders` cloud function: signed order sync over HTTP, the member's orders, staff portrait,
 * and the timers: waiting orders attached, nightly lifecycle + RFM recompute, daily statistics.
 */
export const ordersFunction = createFunction({
  name: 'orders',
  actions: {
    mine: action(c.mine, (input, ctx) => myOrders(input.page, ctx)),
    portrait: action(c.portrait, (input, ctx) => memberPortrait(input.memberId, ctx)),
  },
  timers: {
    attachOrders: (ctx) => attachWaitingOrders(ctx.db, ctx.now(), ctx.log),
    lifecycleNightly: (ctx) => lifecycleReview(ctx),
    lifecycleNightlyRest: (ctx) => lifecycleReview(ctx),
    dailyStats: (ctx) => computeDailyStats(ctx.db, ctx.now(), ctx.log),
    // after the daily statistics, whose rows the referral report reads
    insightStats: (ctx) => computeInsight(ctx.db, ctx.now(), ctx.log),
  },
  http: httpRouter({ 'POST /http/orders/sync': orderSyncEndpoint, 'POST /http/orders/products': productSyncEndpoint }),
});
