import { computeExpiry, multiplierFor, planEarn, planSignUpBonus, type EarnPlan } from '../../core/ledger';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import { applyTier } from '../tiers/apply';
import { addActivity } from '../tiers/window';
import { credit, findRow, insert, openAccount, saveAccount } from './account';
import { valueRules, type ValueRules } from './brand';
import type { PointsOrderDoc } from './documents';

export interface EarnResult {
  ledgerId: string | null;
  points: number;
  balance: number;
  tierId: string;
  replayed: boolean;
}

/** What a paid amount earns a member of this tier now: the brand's rate, rounding, tier multiplier and expiry. */
export const earnPlanFor = (amountFen: number, tierId: string | undefined, now: Date, rules = valueRules()): EarnPlan =>
  planEarn(amountFen, multiplierFor(tierId, rules.points), rules.points, now, rules.timeZone);

/**
 * Credits a paid order once (key `earn:<orderId>`), whatever retries or concurrent deliveries do:
 * the member document is read first, so a second attempt waits for the first and then finds
 * the order already recorded. Also counts the order towards the tier window and re-evaluates the tier.
 * For reuse by order sync inside its own transaction.
 */
export async function earnForOrder(
  tx: Tx,
  memberId: string,
  orderId: string,
  amountFen: number,
  now: Date,
  rules: ValueRules = valueRules(),
): Promise<EarnResult> {
  const acc = await openAccount(tx, memberId);
  const orderRef = tx.collection('points_orders').doc(orderId);
  const seen = (await orderRef.get()).data as PointsOrderDoc | null;
  if (seen) {
    return {
      ledgerId: seen.earned > 0 ? `earn:${orderId}` : null,
      points: seen.earned,
      balance: acc.balance,
      tierId: acc.member.tier ?? rules.tiers.tiers[0]!.id,
      replayed: true,
    };
  }
  const plan = earnPlanFor(amountFen, acc.member.tier, now, rules);
  const key = `earn:${orderId}`;
  const row =
    plan.points > 0
      ? await credit(tx, acc, {
          kind: 'earn',
          key,
          points: plan.points,
          expiresAt: plan.expiresAt,
          source: 'order',
          orderId,
          now,
        })
      : null;
  const order: Omit<PointsOrderDoc, '_id'> = {
    memberId: acc.member._id,
    amountFen,
    earned: plan.points,
    lotId: row?.lotId ?? null,
    refundedFen: 0,
    charged: 0,
    forgiven: 0,
    at: now,
  };
  await insert(tx, 'points_orders', orderId, order);
  acc.member.tierDays = addActivity(
    acc.member.tierDays ?? [],
    { points: plan.points, spendFen: amountFen },
    rules.tiers,
    now,
    rules.timeZone,
  );
  await applyTier(tx, acc.member, rules, now);
  await saveAccount(tx, acc);
  if (row)
    await emit(tx, {
      type: 'points.earned',
      memberId: acc.member._id,
      at: now,
      data: { orderId, points: plan.points, balance: acc.balance },
    });
  return {
    ledgerId: row?._id ?? null,
    points: plan.points,
    balance: acc.balance,
    tierId: acc.member.tier!,
    replayed: false,
  };
}

/**
 * The brand's sign-up bonus (`joinRewards.points`), once per member (key `signup:<memberId>`).
 * The card claim calls it in its transaction (server/join-rewards/rewards.ts).
 */
export async function grantSignUpBonus(
  tx: Tx,
  memberId: string,
  points: number,
  now: Date,
  rules: ValueRules = valueRules(),
): Promise<{ points: number; ledgerId: string | null; replayed: boolean }> {
  const acc = await openAccount(tx, memberId);
  const key = `signup:${acc.member._id}`;
  if (await findRow(tx, key)) return { points: 0, ledgerId: key, replayed: true };
  const plan = planSignUpBonus(points, rules.points, now, rules.timeZone);
  if (plan.points <= 0) return { points: 0, ledgerId: null, replayed: false };
  const { expiresAt } = plan;
  const row = await credit(tx, acc, { kind: 'earn', key, points: plan.points, expiresAt, source: 'signup', now });
  await saveAccount(tx, acc);
  await emit(tx, {
    type: 'points.earned',
    memberId: acc.member._id,
    at: now,
    data: { source: 'signup', points: plan.points, balance: acc.balance },
  });
  return { points: plan.points, ledgerId: row._id, replayed: false };
}

/** Expiry of a manual credit: the brand's policy, like any earning. */
export const creditExpiry = (now: Date, rules: ValueRules = valueRules()): Date =>
  computeExpiry(now, rules.points.expiry, rules.timeZone);
