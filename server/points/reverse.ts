import { DomainError, ErrorCodes } from '../../core/errors';
import { planReverse, reverseInputOf, type Lot } from '../../core/ledger';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import { applyTier } from '../tiers/apply';
import { addActivity } from '../tiers/window';
import { debit, findRow, openAccount, saveAccount } from './account';
import { valueRules, type ValueRules } from './brand';
import { existingMemberTx } from '../members/resolve';
import { toLot, type LotDoc, type PointsOrderDoc } from './documents';

export interface ReverseResult {
  ledgerId: string | null;
  charged: number;
  forgiven: number;
  balance: number;
  replayed: boolean;
}

/**
 * Takes back an order's points for one refund (key `reverse:<orderId>:<refundId>`), in proportion
 * to the money refunded, by the core rule: own lot first, expired points forgiven, the rest from
 * other lots or as debt. Refunds of one order add up to at most what it earned.
 */
export async function reverseForRefund(
  tx: Tx,
  memberId: string,
  orderId: string,
  refundId: string,
  refundFen: number,
  now: Date,
  rules: ValueRules = valueRules(),
): Promise<ReverseResult> {
  const acc = await openAccount(tx, memberId);
  const key = `reverse:${orderId}:${refundId}`;
  const orderRef = tx.collection('points_orders').doc(orderId);
  const order = (await orderRef.get()).data as PointsOrderDoc | null;
  if (!order) throw new DomainError(ErrorCodes.POINTS_ORDER_UNKNOWN, '该订单没有积分记录', { orderId });
  const seen = await findRow(tx, key);
  if (seen)
    return {
      ledgerId: seen._id,
      charged: -seen.amount,
      forgiven: seen.forgiven ?? 0,
      balance: acc.balance,
      replayed: true,
    };
  // the order may have earned under an id merged since: it must still be this person's
  if (order.memberId !== acc.member._id && (await existingMemberTx(tx, order.memberId))._id !== acc.member._id) {
    throw new DomainError(ErrorCodes.FORBIDDEN, '订单不属于该会员', { orderId });
  }

  let ownLot: Lot | null = null;
  if (order.lotId) {
    ownLot = acc.lots.find((l) => l.lotId === order.lotId) ?? null;
    if (!ownLot) {
      const d = (await tx.collection('points_lots').doc(order.lotId).get()).data as LotDoc | null;
      ownLot = d ? toLot({ ...d, _id: order.lotId }) : null;
    }
  }
  const lots = ownLot && !acc.lots.includes(ownLot) ? [...acc.lots, ownLot] : acc.lots;
  const plan = planReverse(reverseInputOf(order, refundFen, lots, acc.balance));
  const row = await debit(tx, acc, {
    kind: 'reverse',
    key,
    amount: -plan.charged,
    consumed: plan.consumed,
    forgiven: plan.forgiven,
    source: 'refund',
    orderId,
    now,
    reason: `refund ${refundId}`,
    extraLots: ownLot ? [ownLot] : [],
  });
  await orderRef.update({
    data: {
      refundedFen: Math.min(order.amountFen, order.refundedFen + refundFen),
      charged: order.charged + plan.charged,
      forgiven: order.forgiven + plan.forgiven,
    },
  });
  acc.member.tierDays = addActivity(
    acc.member.tierDays ?? [],
    { points: -plan.due, spendFen: -Math.min(refundFen, order.amountFen - order.refundedFen) },
    rules.tiers,
    now,
    rules.timeZone,
  );
  await applyTier(tx, acc.member, rules, now);
  await saveAccount(tx, acc);
  await emit(tx, {
    type: 'points.reversed',
    memberId: acc.member._id,
    at: now,
    data: { orderId, refundId, charged: plan.charged, forgiven: plan.forgiven, debt: plan.debt, balance: acc.balance },
  });
  return { ledgerId: row._id, charged: plan.charged, forgiven: plan.forgiven, balance: acc.balance, replayed: false };
}
