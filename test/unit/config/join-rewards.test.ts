import { joinAttributionOf, joinRewardsSchema, planJoinRewards } from '../../../core/config/join-rewards';

describe('join rewards', () => {
  test('attribution: a referral first, then an advisor, then a store, else none (first touch before last)', () => {
    const store = { storeId: 's1', advisorId: null };
    const advisor = { storeId: 's1', advisorId: 'a1' };
    expect(joinAttributionOf({ referredBy: 'm1', attribution: { first: advisor } })).toBe('referral');
    expect(joinAttributionOf({ attribution: { first: advisor } })).toBe('advisor');
    expect(joinAttributionOf({ attribution: { first: store, last: advisor } })).toBe('storeQr');
    expect(joinAttributionOf({ attribution: { last: advisor } })).toBe('advisor');
    expect(joinAttributionOf({})).toBe('none');
  });

  test('defaults give nothing; each attribution its own coupon', () => {
    const nothing = { attribution: 'none', points: 0, couponTemplateId: null };
    expect(planJoinRewards(joinRewardsSchema.parse({}), {})).toEqual(nothing);
    const config = joinRewardsSchema.parse({ points: 100, coupons: { storeQr: 'tpl_store', advisor: 'tpl_advisor' } });
    const fromStore = planJoinRewards(config, { attribution: { first: { storeId: 's1' } } });
    expect(fromStore).toEqual({ attribution: 'storeQr', points: 100, couponTemplateId: 'tpl_store' });
    const referred = planJoinRewards(config, { referredBy: 'm1' });
    expect(referred).toEqual({ attribution: 'referral', points: 100, couponTemplateId: null });
  });

  test('a misspelt attribution or a negative bonus is refused', () => {
    expect(() => joinRewardsSchema.parse({ coupons: { store: 'tpl' } })).toThrow(/store/);
    expect(() => joinRewardsSchema.parse({ points: -1 })).toThrow();
  });
});
