import fc from 'fast-check';
import { checkLedger, parsePointsRules, type Lot } from '../../../core/ledger';
import { isDomainError } from '../../../core/errors';
import { adjust, earn, emptyBook, expire, reverse, spend } from './harness';

const DAY = 86_400_000;

const ruleArb = fc.record({
  rounding: fc.constantFrom('floor' as const, 'round' as const, 'ceil' as const),
  pointsPerRmb: fc.constantFrom(0.5, 1, 2),
  expiry: fc.oneof(
    fc.integer({ min: 1, max: 400 }).map((days) => ({ kind: 'days' as const, days })),
    fc.constant({ kind: 'endOfFollowingYear' as const }),
  ),
});

const opArb = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('earn' as const),
      fen: fc.integer({ min: 0, max: 100_000 }),
      mult: fc.constantFrom(1, 1.5, 2),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('spend' as const), amount: fc.integer({ min: 1, max: 800 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('expire' as const) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('reverse' as const),
      order: fc.nat(),
      fen: fc.integer({ min: 1, max: 100_000 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('adjust' as const),
      delta: fc.integer({ min: -300, max: 300 }).filter((n) => n !== 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('advance' as const),
      ms: fc.oneof(fc.integer({ min: 0, max: 3 * DAY }), fc.integer({ min: 0, max: 400 * DAY })),
    }),
  },
);

// Written independently of core's comparator: expiry, then earning time.
const older = (a: Lot, b: Lot) =>
  a.expiresAt.getTime() < b.expiresAt.getTime() ||
  (a.expiresAt.getTime() === b.expiresAt.getTime() && a.earnedAt.getTime() < b.earnedAt.getTime());

describe('S8 points: ledger properties', () => {
  test('S8 points: after any sequence of earn/spend/expire/reverse/adjust with a moving clock, balance == ledger sum and no lot goes negative', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(opArb, { maxLength: 60 }), (ruleInput, ops) => {
        const rules = parsePointsRules(ruleInput);
        const b = emptyBook();
        let now = new Date('2025-12-30T10:00:00Z');
        for (const o of ops) {
          switch (o.op) {
            case 'earn':
              earn(b, o.fen, o.mult, rules, now);
              break;
            case 'advance':
              now = new Date(now.getTime() + o.ms);
              break;
            case 'expire': {
              expire(b, now);
              expect(b.lots.filter((l) => l.remaining > 0 && l.expiresAt <= now)).toEqual([]);
              expect(expire(b, now).total).toBe(0);
              break;
            }
            case 'reverse': {
              const order = b.orders[o.order % Math.max(1, b.orders.length)];
              if (!order) break;
              reverse(b, order, o.fen, now);
              expect(order.charged + order.forgiven).toBeLessThanOrEqual(order.earned);
              if (order.refundedFen === order.amountFen) expect(order.charged + order.forgiven).toBe(order.earned);
              break;
            }
            case 'adjust':
            case 'spend': {
              const available = b.lots.filter((l) => l.expiresAt > now).reduce((s, l) => s + l.remaining, 0);
              const amount = o.op === 'spend' ? o.amount : -o.delta;
              try {
                if (o.op === 'spend') spend(b, o.amount, now);
                else adjust(b, o.delta, rules, now);
              } catch (e) {
                expect(isDomainError(e) && e.code).toBe('POINTS_INSUFFICIENT');
                expect(available).toBeLessThan(amount);
              }
              break;
            }
          }
          expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('S8 points: spending always consumes the oldest lots first', () => {
    const lotArb = fc.record({
      remaining: fc.integer({ min: 0, max: 200 }),
      expiresInDays: fc.integer({ min: -30, max: 30 }),
      earnedDaysAgo: fc.integer({ min: 0, max: 30 }),
    });
    fc.assert(
      fc.property(
        fc.array(lotArb, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 1500 }),
        (specs, amount) => {
          const now = new Date('2025-06-01T00:00:00Z');
          const lots: Lot[] = specs.map((s, i) => ({
            lotId: `L${i}`,
            amount: s.remaining + 10,
            remaining: s.remaining,
            expired: 0,
            earnedAt: new Date(now.getTime() - s.earnedDaysAgo * DAY),
            expiresAt: new Date(now.getTime() + s.expiresInDays * DAY),
          }));
          const b = { ...emptyBook(), lots: lots.map((l) => ({ ...l })) };
          const live = lots.filter((l) => l.expiresAt > now && l.remaining > 0);
          try {
            const plan = spend(b, amount, now);
            const took = new Map(plan.consumed.map((c) => [c.lotId, c.amount]));
            expect([...took.values()].reduce((s, n) => s + n, 0)).toBe(amount);
            for (const c of plan.consumed) {
              const consumedLot = lots.find((l) => l.lotId === c.lotId)!;
              expect(consumedLot.expiresAt > now).toBe(true);
              // Every live lot strictly older than one we took from must have been emptied.
              for (const other of live.filter((l) => older(l, consumedLot)))
                expect(took.get(other.lotId)).toBe(other.remaining);
            }
            // At most one lot is left partly used.
            expect(
              plan.consumed.filter((c) => c.amount < lots.find((l) => l.lotId === c.lotId)!.remaining).length,
            ).toBeLessThanOrEqual(1);
          } catch (e) {
            expect(isDomainError(e) && e.code).toBe('POINTS_INSUFFICIENT');
            expect(live.reduce((s, l) => s + l.remaining, 0)).toBeLessThan(amount);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
