import {
  computeExpiry,
  parsePointsRules,
  planEarn,
  planSignUpBonus,
  multiplierFor,
  pointsForAmount,
} from '../../../core/ledger';
import { isDomainError } from '../../../core/errors';

const SH = 'Asia/Shanghai';

describe('points rules', () => {
  test('defaults: 1 point per RMB, floor, end of following year', () => {
    const rules = parsePointsRules({});
    expect(rules).toEqual({
      pointsPerRmb: 1,
      rounding: 'floor',
      expiry: { kind: 'endOfFollowingYear' },
      tierMultipliers: {},
    });
  });

  test('rejects a bad expiry policy, a negative rate, and the bonus that moved to joinRewards', () => {
    expect(() => parsePointsRules({ expiry: { kind: 'days', days: 0 } })).toThrow();
    expect(() => parsePointsRules({ pointsPerRmb: -5 })).toThrow();
    expect(() => parsePointsRules({ signUpBonus: 100 })).toThrow(/signUpBonus/);
  });

  test('multiplierFor falls back to 1 for unknown tiers', () => {
    const rules = parsePointsRules({ tierMultipliers: { gold: 1.5 } });
    expect(multiplierFor('gold', rules)).toBe(1.5);
    expect(multiplierFor('silver', rules)).toBe(1);
    expect(multiplierFor(undefined, rules)).toBe(1);
  });
});

describe('S8 points: earning amounts', () => {
  test('¥99.99 earns 99 (floor), 100 (round), 100 (ceil)', () => {
    expect(pointsForAmount(9999, 1, parsePointsRules({ rounding: 'floor' }))).toBe(99);
    expect(pointsForAmount(9999, 1, parsePointsRules({ rounding: 'round' }))).toBe(100);
    expect(pointsForAmount(9999, 1, parsePointsRules({ rounding: 'ceil' }))).toBe(100);
  });

  test('round is half up: ¥0.50 at 1/RMB → 1, ¥0.49 → 0', () => {
    const rules = parsePointsRules({ rounding: 'round' });
    expect(pointsForAmount(50, 1, rules)).toBe(1);
    expect(pointsForAmount(49, 1, rules)).toBe(0);
  });

  test('tier multiplier 1.5 on ¥10.00 gives exactly 15 even under ceil (no float drift)', () => {
    expect(pointsForAmount(1000, 1.5, parsePointsRules({ rounding: 'ceil' }))).toBe(15);
    // 0.1 × 3 is 0.30000000000000004 in floats; ceil would wrongly give 31 for ¥100 × 0.3.
    expect(pointsForAmount(10000, 0.1 * 3, parsePointsRules({ rounding: 'ceil' }))).toBe(30);
  });

  test('fractional rate: 0.5 points per RMB on ¥35 floors to 17', () => {
    expect(pointsForAmount(3500, 1, parsePointsRules({ pointsPerRmb: 0.5 }))).toBe(17);
  });

  test('a negative or fractional amount is rejected', () => {
    const rules = parsePointsRules({});
    for (const bad of [-1, 10.5, Number.NaN]) {
      try {
        pointsForAmount(bad, 1, rules);
        throw new Error('should have thrown');
      } catch (e) {
        expect(isDomainError(e) && e.code).toBe('INVALID_INPUT');
      }
    }
  });

  test('planEarn returns points and the expiry from the policy; sign-up bonus too', () => {
    const rules = parsePointsRules({ expiry: { kind: 'days', days: 30 }, pointsPerRmb: 2 });
    const now = new Date('2025-03-10T04:00:00Z'); // 12:00 in Shanghai
    const plan = planEarn(12345, 1, rules, now, SH);
    expect(plan.points).toBe(246);
    expect(plan.expiresAt.toISOString()).toBe('2025-04-09T16:00:00.000Z'); // end of 2025-04-09 local
    expect(planSignUpBonus(200, rules, now, SH)).toEqual({ points: 200, expiresAt: plan.expiresAt });
  });
});

describe('S8 points: expiry dates in the brand time zone', () => {
  const eofy = { kind: 'endOfFollowingYear' } as const;

  test('earned 2025-12-31 23:59 Shanghai (15:59Z) → expires end of 2026 local', () => {
    const at = new Date('2025-12-31T15:59:00Z');
    expect(computeExpiry(at, eofy, SH).toISOString()).toBe('2026-12-31T16:00:00.000Z');
  });

  test('earned 2026-01-01 00:30 Shanghai (still 2025 in UTC) → expires end of 2027 local', () => {
    const at = new Date('2025-12-31T16:30:00Z');
    expect(computeExpiry(at, eofy, SH).toISOString()).toBe('2027-12-31T16:00:00.000Z');
    // In UTC the same instant is still 2025, which would give one year less.
    expect(computeExpiry(at, eofy, 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  test('N days: valid through the end of the local day N days later, whatever the hour', () => {
    const policy = { kind: 'days', days: 1 } as const;
    const early = new Date('2025-06-01T16:05:00Z'); // 2025-06-02 00:05 local
    const late = new Date('2025-06-02T15:55:00Z'); // 2025-06-02 23:55 local
    expect(computeExpiry(early, policy, SH).toISOString()).toBe('2025-06-03T16:00:00.000Z');
    expect(computeExpiry(late, policy, SH)).toEqual(computeExpiry(early, policy, SH));
  });

  test('N days across a leap day: 2024-02-28 + 2 days → end of 2024-03-01', () => {
    expect(computeExpiry(new Date('2024-02-28T02:00:00Z'), { kind: 'days', days: 2 }, SH).toISOString()).toBe(
      '2024-03-01T16:00:00.000Z',
    );
  });
});
