import {
  buildCoupon,
  couponStatus,
  decideClaim,
  decideExchange,
  decideRedeem,
  discountFor,
  parseCouponTemplate,
  validityFor,
  type Coupon,
  type CouponTemplateInput,
} from '../../../core/coupons';
import { DomainError } from '../../../core/errors';

const SH = 'Asia/Shanghai';
const template = (over: Partial<CouponTemplateInput> = {}) =>
  parseCouponTemplate({
    templateId: 'welcome10',
    name: { zh: '入会礼 9 折券', en: 'Welcome 10% off' },
    benefit: { kind: 'percentOff', percent: 10 },
    validity: { kind: 'daysAfterClaim', days: 30 },
    ...over,
  });

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return e.code;
    throw e;
  }
  return undefined;
}

describe('coupon templates', () => {
  test('defaults: no minimum, unlimited stock, one per member, claim centre, every store, not paused', () => {
    expect(template()).toMatchObject({
      minSpendFen: 0,
      totalStock: null,
      perMemberLimit: 1,
      channels: ['claimCentre'],
      storeIds: null,
      paused: false,
    });
  });

  test('rejects percent ≥ 100, two decimals, a reversed fixed window, non-integer fen', () => {
    expect(() => template({ benefit: { kind: 'percentOff', percent: 100 } })).toThrow();
    expect(() => template({ benefit: { kind: 'percentOff', percent: 12.25 } })).toThrow();
    expect(template({ benefit: { kind: 'percentOff', percent: 12.5 } }).benefit).toEqual({
      kind: 'percentOff',
      percent: 12.5,
    });
    expect(() => template({ validity: { kind: 'fixed', fromDate: '2025-03-02', untilDate: '2025-03-01' } })).toThrow();
    expect(() => template({ benefit: { kind: 'amountOff', amountFen: 10.5 } })).toThrow();
  });

  test('the active window accepts ISO strings from the admin form', () => {
    const t = template({ activeWindow: { from: '2025-01-01T00:00:00+08:00', until: '2025-02-01T00:00:00+08:00' } });
    expect(t.activeWindow?.from.toISOString()).toBe('2024-12-31T16:00:00.000Z');
  });
});

describe('S10 coupons: validity in the brand time zone', () => {
  test('S10 coupons: N-day validity ends at local midnight, the claim day counting as day 1', () => {
    const claimed = new Date('2025-01-01T07:00:00Z'); // 15:00 in Shanghai
    expect(validityFor({ kind: 'daysAfterClaim', days: 7 }, claimed, SH)).toEqual({
      validFrom: claimed,
      validUntil: new Date('2025-01-07T16:00:00Z'),
    });
  });

  test('a 1-day coupon claimed at 23:30 local lasts until local midnight, not 24 hours', () => {
    const claimed = new Date('2025-05-20T15:30:00Z'); // 23:30 local
    expect(validityFor({ kind: 'daysAfterClaim', days: 1 }, claimed, SH).validUntil).toEqual(
      new Date('2025-05-20T16:00:00Z'),
    );
    // 00:30 local the next day (still 05-20 in UTC) belongs to the next local day.
    expect(validityFor({ kind: 'daysAfterClaim', days: 1 }, new Date('2025-05-20T16:30:00Z'), SH).validUntil).toEqual(
      new Date('2025-05-21T16:00:00Z'),
    );
  });

  test('fixed window: start of the first local day to the end of the last one', () => {
    expect(
      validityFor(
        { kind: 'fixed', fromDate: '2025-02-01', untilDate: '2025-02-28' },
        new Date('2025-01-10T00:00:00Z'),
        SH,
      ),
    ).toEqual({
      validFrom: new Date('2025-01-31T16:00:00Z'),
      validUntil: new Date('2025-02-28T16:00:00Z'),
    });
  });
});

describe('S10 coupons: claiming', () => {
  const now = new Date('2025-03-01T02:00:00Z');

  test('S10 coupons: stock — the last coupon can be claimed, then none', () => {
    const t = template({ totalStock: 100 });
    expect(codeOf(() => decideClaim(t, { claimedByMember: 0, stockLeft: 1 }, now, SH))).toBeUndefined();
    expect(codeOf(() => decideClaim(t, { claimedByMember: 0, stockLeft: 0 }, now, SH))).toBe('COUPON_OUT_OF_STOCK');
    expect(codeOf(() => decideClaim(template({ totalStock: 0 }), { claimedByMember: 0, stockLeft: 0 }, now))).toBe(
      'COUPON_OUT_OF_STOCK',
    );
  });

  test('S10 coupons: per-member limit, checked before stock', () => {
    const t = template({ perMemberLimit: 2, totalStock: 5 });
    expect(codeOf(() => decideClaim(t, { claimedByMember: 1, stockLeft: 5 }, now))).toBeUndefined();
    expect(codeOf(() => decideClaim(t, { claimedByMember: 2, stockLeft: 5 }, now))).toBe('COUPON_LIMIT_REACHED');
    expect(codeOf(() => decideClaim(t, { claimedByMember: 2, stockLeft: 0 }, now))).toBe('COUPON_LIMIT_REACHED');
    expect(
      codeOf(() => decideClaim(template({ perMemberLimit: null }), { claimedByMember: 999, stockLeft: null }, now)),
    ).toBeUndefined();
  });

  test('paused beats everything; active window is [from, until)', () => {
    const w = { from: new Date('2025-03-01T00:00:00Z'), until: new Date('2025-03-02T00:00:00Z') };
    expect(
      codeOf(() => decideClaim(template({ paused: true, totalStock: 0 }), { claimedByMember: 5, stockLeft: 0 }, now)),
    ).toBe('COUPON_PAUSED');
    expect(
      codeOf(() =>
        decideClaim(
          template({ activeWindow: w }),
          { claimedByMember: 0, stockLeft: null },
          new Date('2025-02-28T23:59:59Z'),
        ),
      ),
    ).toBe('COUPON_NOT_ACTIVE');
    expect(
      codeOf(() => decideClaim(template({ activeWindow: w }), { claimedByMember: 0, stockLeft: null }, w.from)),
    ).toBeUndefined();
    expect(
      codeOf(() => decideClaim(template({ activeWindow: w }), { claimedByMember: 0, stockLeft: null }, w.until)),
    ).toBe('COUPON_NOT_ACTIVE');
  });

  test('a fixed validity that has ended cannot be claimed; a channel not offered is refused', () => {
    const ended = template({ validity: { kind: 'fixed', fromDate: '2025-01-01', untilDate: '2025-02-28' } });
    expect(codeOf(() => decideClaim(ended, { claimedByMember: 0, stockLeft: null }, now, SH))).toBe(
      'COUPON_NOT_ACTIVE',
    );
    expect(
      codeOf(() => decideClaim(template(), { claimedByMember: 0, stockLeft: null, channel: 'pointsMall' }, now)),
    ).toBe('COUPON_CHANNEL_NOT_ALLOWED');
    expect(
      codeOf(() =>
        decideClaim(template({ channels: ['grant'] }), { claimedByMember: 0, stockLeft: null, channel: 'grant' }, now),
      ),
    ).toBeUndefined();
  });
});

describe('S10 coupons: redeeming', () => {
  const claimedAt = new Date('2025-03-01T02:00:00Z');
  const coupon = (over: Partial<CouponTemplateInput> = {}): Coupon => {
    const t = template(over);
    return buildCoupon(
      t,
      { couponId: 'c1', memberId: 'm1', code: 'X' },
      decideClaim(t, { claimedByMember: 0, stockLeft: null }, claimedAt, SH),
      claimedAt,
    );
  };
  const order = { memberId: 'm1', storeId: 's1', orderAmountFen: 19_99 };
  const during = new Date('2025-03-05T00:00:00Z');

  test('S4 welcome coupon: 10% off ¥19.99 is ¥1.99 (floored to the fen), ¥0.09 gives nothing', () => {
    expect(decideRedeem(coupon(), order, during)).toEqual({ discountFen: 199, payableFen: 1800, gift: null });
    expect(decideRedeem(coupon(), { ...order, orderAmountFen: 9 }, during).discountFen).toBe(0);
  });

  test('percent off with a cap; 12.5% is exact; amount off never exceeds the order', () => {
    expect(discountFor({ kind: 'percentOff', percent: 20, maxDiscountFen: 5000 }, 100_000)).toBe(5000);
    expect(discountFor({ kind: 'percentOff', percent: 12.5 }, 800)).toBe(100);
    expect(discountFor({ kind: 'percentOff', percent: 33.3 }, 1000)).toBe(333);
    expect(discountFor({ kind: 'amountOff', amountFen: 2000 }, 1500)).toBe(1500);
  });

  test('S10 coupons: minimum spend equal to the amount is enough; one fen less is not', () => {
    const c = coupon({ benefit: { kind: 'amountOff', amountFen: 2000 }, minSpendFen: 10_000 });
    expect(decideRedeem(c, { ...order, orderAmountFen: 10_000 }, during).discountFen).toBe(2000);
    expect(codeOf(() => decideRedeem(c, { ...order, orderAmountFen: 9_999 }, during))).toBe('COUPON_MIN_SPEND');
  });

  test('S10 coupons: expired from validUntil on (local midnight), not a moment before', () => {
    const c = coupon({ validity: { kind: 'daysAfterClaim', days: 1 } }); // claimed 10:00 local on 03-01
    expect(c.validUntil).toEqual(new Date('2025-03-01T16:00:00Z'));
    expect(decideRedeem(c, order, new Date('2025-03-01T15:59:59Z')).discountFen).toBe(199);
    expect(codeOf(() => decideRedeem(c, order, new Date('2025-03-01T16:00:00Z')))).toBe('COUPON_EXPIRED');
  });

  test('S10 coupons: a used coupon cannot be redeemed again; a foreign one reveals nothing', () => {
    const used = { ...coupon(), usedAt: during };
    expect(codeOf(() => decideRedeem(used, order, during))).toBe('COUPON_ALREADY_USED');
    expect(codeOf(() => decideRedeem(used, { ...order, memberId: 'm2' }, new Date('2030-01-01T00:00:00Z')))).toBe(
      'COUPON_NOT_OWNED',
    );
  });

  test('not yet valid, wrong store, bad amount', () => {
    const future = coupon({ validity: { kind: 'fixed', fromDate: '2025-04-01', untilDate: '2025-04-30' } });
    expect(codeOf(() => decideRedeem(future, order, during))).toBe('COUPON_NOT_YET_VALID');
    expect(codeOf(() => decideRedeem(coupon({ storeIds: ['s2'] }), order, during))).toBe('COUPON_STORE_NOT_ALLOWED');
    expect(codeOf(() => decideRedeem(coupon(), { ...order, orderAmountFen: -1 }, during))).toBe('INVALID_INPUT');
  });

  test('a gift coupon gives the gift and no discount', () => {
    const gift = { zh: '手工月饼一盒' };
    expect(decideRedeem(coupon({ benefit: { kind: 'gift', gift } }), order, during)).toEqual({
      discountFen: 0,
      payableFen: 1999,
      gift,
    });
  });

  test('the issued coupon keeps the template terms it was claimed under', () => {
    const c = coupon({ minSpendFen: 500, storeIds: ['s1'] });
    expect(c).toMatchObject({
      templateId: 'welcome10',
      memberId: 'm1',
      minSpendFen: 500,
      storeIds: ['s1'],
      usedAt: null,
      claimedAt,
      validFrom: claimedAt,
    });
  });

  test('status: available → expired at validUntil; used wins over expired', () => {
    const c = coupon();
    expect(couponStatus(c, during)).toBe('available');
    expect(couponStatus(c, c.validUntil)).toBe('expired');
    expect(couponStatus({ ...c, usedAt: during }, new Date('2030-01-01T00:00:00Z'))).toBe('used');
  });
});

describe('points mall', () => {
  const now = new Date('2025-03-01T02:00:00Z');
  const lots = [
    {
      lotId: 'late',
      amount: 500,
      remaining: 500,
      expired: 0,
      earnedAt: new Date('2025-02-01T00:00:00Z'),
      expiresAt: new Date('2026-12-31T16:00:00Z'),
    },
    {
      lotId: 'soon',
      amount: 300,
      remaining: 300,
      expired: 0,
      earnedAt: new Date('2024-02-01T00:00:00Z'),
      expiresAt: new Date('2025-12-31T16:00:00Z'),
    },
  ];
  const mall = (over: Partial<CouponTemplateInput> = {}) =>
    template({ channels: ['pointsMall'], pointsCost: 400, ...over });

  test('exchanging pays the price with the oldest points and gives the claim validity', () => {
    const { claim, spend } = decideExchange(mall(), { claimedByMember: 0, stockLeft: null, lots }, now, SH);
    expect(spend.consumed).toEqual([
      { lotId: 'soon', amount: 300 },
      { lotId: 'late', amount: 100 },
    ]);
    expect(claim.validFrom).toEqual(now);
  });

  test('not enough points, no price, or limit reached: refused', () => {
    expect(
      codeOf(() => decideExchange(mall({ pointsCost: 801 }), { claimedByMember: 0, stockLeft: null, lots }, now)),
    ).toBe('POINTS_INSUFFICIENT');
    expect(
      codeOf(() =>
        decideExchange(template({ channels: ['pointsMall'] }), { claimedByMember: 0, stockLeft: null, lots }, now),
      ),
    ).toBe('COUPON_CHANNEL_NOT_ALLOWED');
    expect(codeOf(() => decideExchange(mall(), { claimedByMember: 1, stockLeft: null, lots }, now))).toBe(
      'COUPON_LIMIT_REACHED',
    );
  });
});
