import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE } from '../time';
import { computeExpiry, type PointsRules, type Rounding } from './rules';

export interface EarnPlan {
  points: number;
  expiresAt: Date;
}

// Rates are scaled to integers and divided with BigInt so 0.1-style float error never moves a point.
const SCALE = 10_000n;
const scaled = (x: number): bigint => BigInt(Math.round(x * Number(SCALE)));

function divide(num: bigint, den: bigint, rounding: Rounding): bigint {
  if (rounding === 'floor') return num / den;
  if (rounding === 'ceil') return (num + den - 1n) / den;
  return (2n * num + den) / (2n * den); // half up
}

/** Points for a paid amount: fen / 100 × points per RMB × multiplier, rounded by the brand's rule. */
export function pointsForAmount(amountFen: number, multiplier: number, rules: PointsRules): number {
  if (!Number.isSafeInteger(amountFen) || amountFen < 0) {
    throw new DomainError(ErrorCodes.INVALID_INPUT, '订单金额必须是非负整数（分）', { amountFen });
  }
  if (!(multiplier > 0)) throw new DomainError(ErrorCodes.INVALID_INPUT, '积分倍数必须大于 0', { multiplier });
  const num = BigInt(amountFen) * scaled(rules.pointsPerRmb) * scaled(multiplier);
  return Number(divide(num, 100n * SCALE * SCALE, rules.rounding));
}

/** The earning of a paid order: points (may be 0 for tiny orders) and when they expire. */
export function planEarn(
  orderAmountFen: number,
  tierMultiplier: number,
  rules: PointsRules,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
): EarnPlan {
  return {
    points: pointsForAmount(orderAmountFen, tierMultiplier, rules),
    expiresAt: computeExpiry(now, rules.expiry, tz),
  };
}

/** The sign-up bonus (brand config `joinRewards.points`): same expiry policy as any earning. */
export function planSignUpBonus(points: number, rules: PointsRules, now: Date, tz = DEFAULT_TIME_ZONE): EarnPlan {
  return { points, expiresAt: computeExpiry(now, rules.expiry, tz) };
}
