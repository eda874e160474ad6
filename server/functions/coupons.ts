import { couponsContracts } from '../../core/contracts/coupons';
import { action, createFunction } from '../kit/router';
import { inTransaction } from '../db/transaction';
import { claimCoupon } from '../coupons/claim';
import { exchangeCoupon } from '../coupons/exchange';
import { runCouponExpiry } from '../coupons/expire';
import { grantCoupon } from '../coupons/grant';
import { redeemCoupon } from '../coupons/redeem';
import { inspectCoupon } from '../coupons/inspect';
import { requireStaff, staffActor } from '../staff/require';
import { viewOf } from '../coupons/documents';
import { claimCentre, couponDetail, listCoupons } from '../coupons/wallet';
import { posEndpoints } from '../coupons/pos-endpoint';
import { changeStock, createTemplate, listTemplatesAdmin, setPaused } from '../coupons/templates-admin';

/** The `coupons` cloud function: wallet, claim centre, points mall; staff redemption and rule grants; nightly expiry. */
const routed = createFunction({
  name: 'coupons',
  actions: {
    list: action(couponsContracts.list, (input, ctx) => listCoupons(ctx, input.status)),
    claimCentre: action(couponsContracts.claimCentre, (input, ctx) => claimCentre(ctx, input.channel)),
    claim: action(couponsContracts.claim, (input, ctx) => claimCoupon(ctx, input.templateId, input.requestId)),
    detail: action(couponsContracts.detail, (input, ctx) => couponDetail(ctx, input.couponId)),
    exchange: action(couponsContracts.exchange, (input, ctx) => exchangeCoupon(ctx, input.templateId, input.requestId)),
    redeem: action(couponsContracts.redeem, async (input, ctx) => {
      const staff = await requireStaff(ctx, 'coupons.redeem', { refuseAs: 'FORBIDDEN' });
      return redeemCoupon(ctx.db, input, { staff, actor: staffActor(staff) }, ctx.now());
    }),
    inspect: action(couponsContracts.inspect, inspectCoupon),
    grant: action(couponsContracts.grant, async (input, ctx) => {
      const staff = await requireStaff(ctx, 'coupons.grant', { refuseAs: 'FORBIDDEN' });
      const now = ctx.now();
      const r = await inTransaction(ctx.db, (tx) => grantCoupon(tx, ctx.db, { ...input, who: staffActor(staff), now }));
      return {
        granted: r.granted,
        coupon: r.coupon ? viewOf(r.coupon, now) : null,
        alreadyGrantedTo: r.alreadyGrantedTo,
      };
    }),
    // staff: coupon templates (brand admin)
    'templates.list': action(couponsContracts['templates.list'], listTemplatesAdmin),
    'templates.create': action(couponsContracts['templates.create'], createTemplate),
    'templates.stock': action(couponsContracts['templates.stock'], changeStock),
    'templates.pause': action(couponsContracts['templates.pause'], setPaused),
  },
  http: posEndpoints,
  timers: {
    expireCoupons: (ctx) => runCouponExpiry(ctx),
  },
});

/** Refused template and inspect calls (wrong role, forged fields) are on the audit trail. */
export const couponsFunction = routed;
