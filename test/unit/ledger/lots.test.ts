import { checkLedger, expiringSoon, parsePointsRules, planExpire, planSpend, type Lot } from '../../../core/ledger';
import { DomainError } from '../../../core/errors';
import { adjust, earn, emptyBook, expire, reverse, spend } from './harness';

const d = (iso: string) => new Date(iso);
const lot = (
  lotId: string,
  remaining: number,
  expiresAt: string,
  earnedAt = '2025-01-01T00:00:00Z',
  amount = remaining,
): Lot => ({ lotId, amount, remaining, expired: 0, earnedAt: d(earnedAt), expiresAt: d(expiresAt) });

describe('S8 points: spending', () => {
  const now = d('2025-06-01T00:00:00Z');

  test('S8 points: spending consumes the oldest-expiring lot first, regardless of list order', () => {
    const lots = [
      lot('late', 100, '2026-12-31T16:00:00Z'),
      lot('soon', 30, '2025-12-31T16:00:00Z'),
      lot('mid', 50, '2026-06-30T16:00:00Z'),
    ];
    expect(planSpend(lots, 60, now).consumed).toEqual([
      { lotId: 'soon', amount: 30 },
      { lotId: 'mid', amount: 30 },
    ]);
  });

  test('equal expiry: the earlier earned lot goes first', () => {
    const lots = [
      lot('b', 10, '2026-12-31T16:00:00Z', '2025-05-02T00:00:00Z'),
      lot('a', 10, '2026-12-31T16:00:00Z', '2025-05-01T00:00:00Z'),
    ];
    expect(planSpend(lots, 15, now).consumed).toEqual([
      { lotId: 'a', amount: 10 },
      { lotId: 'b', amount: 5 },
    ]);
  });

  test('expired-but-not-yet-swept points cannot be spent: ErrorCodes.POINTS_INSUFFICIENT with what is available', () => {
    const lots = [lot('gone', 500, '2025-05-31T16:00:00Z'), lot('ok', 40, '2026-01-01T00:00:00Z')];
    expect(() => planSpend(lots, 50, now)).toThrow(DomainError);
    try {
      planSpend(lots, 50, now);
    } catch (e) {
      expect((e as DomainError).code).toBe('POINTS_INSUFFICIENT');
      expect((e as DomainError).details).toEqual({ required: 50, available: 40 });
    }
    expect(planSpend(lots, 40, now).consumed).toEqual([{ lotId: 'ok', amount: 40 }]);
  });

  test('a lot expires exactly at expiresAt (exclusive)', () => {
    const lots = [lot('x', 10, '2025-06-01T00:00:00Z')];
    expect(() => planSpend(lots, 1, now)).toThrow('积分不足');
    expect(planSpend(lots, 1, d('2025-05-31T23:59:59.999Z')).consumed).toEqual([{ lotId: 'x', amount: 1 }]);
  });

  test('zero, negative or fractional spends are invalid input', () => {
    for (const bad of [0, -3, 1.5])
      expect(() => planSpend([lot('x', 10, '2030-01-01T00:00:00Z')], bad, now)).toThrow(
        expect.objectContaining({ code: 'INVALID_INPUT' }),
      );
  });
});

describe('S8 points: expiry job', () => {
  test('expires only due lots, each once; a second run expires nothing', () => {
    const rules = parsePointsRules({ expiry: { kind: 'days', days: 10 } });
    const b = emptyBook();
    earn(b, 10000, 1, rules, d('2025-01-01T04:00:00Z'));
    earn(b, 5000, 1, rules, d('2025-01-05T04:00:00Z'));
    spend(b, 30, d('2025-01-06T00:00:00Z'));
    const first = expire(b, d('2025-01-12T00:00:00Z')); // after end of 01-11 local (first lot), before the second
    expect(first.expired).toEqual([{ lotId: b.lots[0]!.lotId, amount: 70 }]);
    expect(expire(b, d('2025-01-12T00:00:00Z')).total).toBe(0);
    expect(b.balance).toBe(50);
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('a clock jump of a year expires everything due at once, and once', () => {
    const rules = parsePointsRules({ expiry: { kind: 'days', days: 30 } });
    const b = emptyBook();
    for (let i = 0; i < 5; i++) earn(b, 1000 * (i + 1), 1, rules, d(`2025-0${i + 1}-10T04:00:00Z`));
    const plan = expire(b, d('2026-06-01T00:00:00Z'));
    expect(plan.total).toBe(150);
    expect(plan.expired).toHaveLength(5);
    expect(expire(b, d('2027-06-01T00:00:00Z')).total).toBe(0);
    expect(b.balance).toBe(0);
    expect(b.lots.every((l) => l.expired === l.amount)).toBe(true);
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('planExpire leaves lots not yet due alone', () => {
    expect(planExpire([lot('a', 5, '2025-06-01T00:00:01Z')], d('2025-06-01T00:00:00Z')).expired).toEqual([]);
  });

  test('expiringSoon lists valid points expiring within N days, earliest first', () => {
    const now = d('2025-12-01T00:00:00Z');
    const lots = [
      lot('jan', 20, '2026-01-15T00:00:00Z'),
      lot('dec', 10, '2025-12-20T00:00:00Z'),
      lot('past', 99, '2025-11-30T00:00:00Z'),
      lot('empty', 0, '2025-12-10T00:00:00Z', undefined, 7),
      lot('later', 5, '2026-03-01T00:00:00Z'),
    ];
    const soon = expiringSoon(lots, now, 60);
    expect(soon.total).toBe(30);
    expect(soon.earliest).toEqual(d('2025-12-20T00:00:00Z'));
    expect(soon.lots.map((l) => l.lotId)).toEqual(['dec', 'jan']);
    expect(expiringSoon(lots, now, 1)).toEqual({ total: 0, earliest: null, lots: [] });
  });
});

describe('S8 points: refunds reverse earned points', () => {
  const rules = parsePointsRules({});
  const t0 = d('2025-03-01T04:00:00Z');

  test('partial refunds add up to exactly the points earned, never more', () => {
    const b = emptyBook();
    const o = earn(b, 10000, 1, rules, t0); // ¥100 → 100 points
    earn(b, 5000, 1, rules, t0); // other points the reversal must not touch
    expect(reverse(b, o, 3333, t0).charged).toBe(33);
    expect(reverse(b, o, 3333, t0).charged).toBe(33); // floor(100 × 6666 / 10000) − 33
    expect(reverse(b, o, 3334, t0).charged).toBe(34);
    expect(reverse(b, o, 5000, t0).charged).toBe(0); // refunded more than paid: nothing more
    expect(o.charged).toBe(100);
    expect(b.balance).toBe(50);
    expect(b.lots.find((l) => l.lotId === o.lotId)!.remaining).toBe(0);
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('spent points: reversal takes other lots oldest first, then the balance goes negative', () => {
    const b = emptyBook();
    const o = earn(b, 10000, 1, rules, t0);
    spend(b, 100, t0);
    const other = earn(b, 4000, 1, rules, t0);
    const plan = reverse(b, o, 10000, t0);
    expect(plan).toMatchObject({ due: 100, charged: 100, forgiven: 0, debt: 60, balanceAfter: -60 });
    expect(plan.consumed).toEqual([{ lotId: other.lotId, amount: 40 }]);
    expect(b.balance).toBe(-60);
    // Negative balance: nothing is spendable and the next earning pays the debt first.
    expect(() => spend(b, 1, t0)).toThrow(expect.objectContaining({ code: 'POINTS_INSUFFICIENT' }));
    earn(b, 10000, 1, rules, t0);
    expect(b.balance).toBe(40);
    expect(b.lots.at(-1)).toMatchObject({ amount: 100, remaining: 40 });
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('points that already expired are forgiven, not taken a second time', () => {
    const b = emptyBook();
    const o = earn(b, 10000, 1, { ...rules, expiry: { kind: 'days', days: 5 } }, t0);
    spend(b, 40, t0);
    expire(b, d('2025-04-01T00:00:00Z')); // the 60 left expire
    const keep = earn(b, 2000, 1, rules, d('2025-04-01T00:00:00Z'));
    const first = reverse(b, o, 5000, d('2025-04-02T00:00:00Z'));
    expect(first).toMatchObject({ due: 50, forgiven: 50, charged: 0 });
    const second = reverse(b, o, 5000, d('2025-04-02T00:00:00Z'));
    // 10 more forgiven (60 expired in all), the 40 spent are taken from the other lot.
    expect(second).toMatchObject({ due: 50, forgiven: 10, charged: 40, debt: 20 });
    expect(second.consumed).toEqual([{ lotId: keep.lotId, amount: 20 }]);
    expect(b.balance).toBe(-20);
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('an order that earned nothing reverses nothing', () => {
    const b = emptyBook();
    const o = earn(b, 50, 1, rules, t0);
    expect(o.lotId).toBeNull();
    expect(reverse(b, o, 50, t0)).toMatchObject({ due: 0, charged: 0, consumed: [] });
  });
});

describe('adjustments and the invariant checker', () => {
  const rules = parsePointsRules({});
  const now = d('2025-03-01T04:00:00Z');

  test('a debit adjustment cannot overdraw; a credit opens a lot', () => {
    const b = emptyBook();
    adjust(b, 30, rules, now);
    expect(() => adjust(b, -31, rules, now)).toThrow(expect.objectContaining({ code: 'POINTS_INSUFFICIENT' }));
    adjust(b, -30, rules, now);
    expect(b.balance).toBe(0);
    expect(checkLedger(b.rows, b.lots, b.balance)).toEqual([]);
  });

  test('checkLedger names each broken invariant', () => {
    const b = emptyBook();
    earn(b, 10000, 1, rules, now);
    spend(b, 10, now);
    expect(checkLedger(b.rows, b.lots, 95)).toEqual(
      expect.arrayContaining([expect.stringContaining('ledger sum 90'), expect.stringContaining('lots hold 90')]),
    );
    const broken = b.lots.map((l) => ({ ...l, remaining: -1 }));
    expect(checkLedger(b.rows, broken, b.balance).some((p) => p.includes('remaining -1'))).toBe(true);
    const wrongSign = [...b.rows, { kind: 'spend' as const, amount: 5, at: now, idempotencyKey: 'x', source: 't' }];
    expect(checkLedger(wrongSign, b.lots, 95).some((p) => p.includes('(spend) has amount 5'))).toBe(true);
  });
});
