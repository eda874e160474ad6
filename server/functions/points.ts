import { pointsContracts } from '../../core/contracts/points';
import { action, createFunction } from '../kit/router';
import { inTransaction } from '../db/transaction';
import { audit } from '../audit';
import { requireStaff, staffActor, useDailyLimit } from '../staff/require';
import { adjustPoints } from '../points/adjust';
import { earnForOrder } from '../points/earn';
import { runPointsExpiry } from '../points/expire';
import { reverseForRefund } from '../points/reverse';
import { pointsHistory, pointsSummary } from '../points/views';
import { runTierReview } from '../points/tier-review';

// coupons and points clients read FORBIDDEN for every refusal
const REFUSE = { refuseAs: 'FORBIDDEN' } as const;

/** The `points` cloud function: the member's points and tier; staff adjustments; nightly expiry and tier review. */
export const pointsFunction = createFunction({
  name: 'points',
  actions: {
    summary: action(pointsContracts.summary, (_input, ctx) => pointsSummary(ctx)),
    history: action(pointsContracts.history, (input, ctx) => pointsHistory(ctx, input.page)),
    adjust: action(pointsContracts.adjust, async (input, ctx) => {
      const staff = await requireStaff(ctx, 'points.adjust', REFUSE);
      const now = ctx.now();
      return inTransaction(ctx.db, async (tx) => {
        const r = await adjustPoints(tx, {
          memberId: input.memberId,
          delta: input.delta,
          reason: input.reason,
          key: `adjust:${staff._id}:${input.requestId}`,
          source: 'staff',
          who: staffActor(staff),
          now,
        });
        // a replay uses nothing of the day's allowance; an adjustment over it rolls back with the transaction
        if (!r.replayed) await useDailyLimit(tx, staff, 'points.adjust', input.delta, now);
        return r;
      });
    }),
    earnOrder: action(pointsContracts.earnOrder, async (input, ctx) => {
      const staff = await requireStaff(ctx, 'points.orders', REFUSE);
      const now = ctx.now();
      return inTransaction(ctx.db, async (tx) => {
        const r = await earnForOrder(tx, input.memberId, input.orderId, input.amountFen, now);
        if (!r.replayed)
          await audit(tx, {
            ...staffActor(staff),
            at: now,
            action: 'points.earnOrder',
            target: input.memberId,
            before: null,
            after: { orderId: input.orderId, amountFen: input.amountFen, points: r.points },
          });
        return r;
      });
    }),
    refundOrder: action(pointsContracts.refundOrder, async (input, ctx) => {
      const staff = await requireStaff(ctx, 'points.orders', REFUSE);
      const now = ctx.now();
      return inTransaction(ctx.db, async (tx) => {
        const r = await reverseForRefund(tx, input.memberId, input.orderId, input.refundId, input.refundFen, now);
        if (!r.replayed)
          await audit(tx, {
            ...staffActor(staff),
            at: now,
            action: 'points.refundOrder',
            target: input.memberId,
            before: null,
            after: { orderId: input.orderId, refundId: input.refundId, refundFen: input.refundFen, charged: r.charged },
          });
        return r;
      });
    }),
  },
  timers: {
    expirePoints: (ctx) => runPointsExpiry(ctx),
    tierReview: (ctx) => runTierReview(ctx),
  },
});
