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
    lifecycleNightly: (ctx) => recomputeAll(ctx.db, ctx.now(), ctx.log),
    dailyStats: (ctx) => computeDailyStats(ctx.db, ctx.now(), ctx.log),
    // after the daily statistics, whose rows the referral report reads
    insightStats: (ctx) => computeInsight(ctx.db, ctx.now(), ctx.log),
  },
  http: httpRouter({ 'POST /http/orders/sync': orderSyncEndpoint, 'POST /http/orders/products': productSyncEndpoint }),
});
