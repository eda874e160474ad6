import {
  decideReferral,
  decideReward,
  DEFAULT_REFERRAL_CONFIG,
  rewardKey,
  type ReferralConfig,
  type ReferralParty,
  type RewardRequest,
  type RewardStatus,
} from '../../../core/referral';

const H = 3_600_000;
const DAY = 24 * H;
const t0 = new Date('2025-03-01T07:00:00Z'); // Saturday afternoon in Shanghai: Nancy and Lizzy in the store

const nancy: ReferralParty = {
  memberId: 'm-nancy',
  identities: [
    { kind: 'openid', value: 'o-nancy' },
    { kind: 'phone', value: '13800000001' },
  ],
};
const lizzy: ReferralParty = {
  memberId: 'm-lizzy',
  identities: [
    { kind: 'openid', value: 'o-lizzy' },
    { kind: 'unionid', value: 'u-lizzy' },
  ],
};

const request = (
  over: {
    friend?: Partial<ReferralParty & { firstSeenAt: Date; referredBy: string | null }>;
    referrer?: ReferralParty;
    counts?: { today: number; total: number };
    config?: Partial<ReferralConfig>;
  } = {},
) => ({
  referrer: over.referrer ?? nancy,
  referrerCounts: over.counts ?? { today: 0, total: 0 },
  friend: { ...lizzy, firstSeenAt: t0, referredBy: null, ...over.friend },
  openedAt: new Date(t0.getTime() + 1000),
  config: { ...DEFAULT_REFERRAL_CONFIG, ...over.config },
});

/** Applies decideReward repeatedly, as a timer and retries would, and collects every grant. */
function drive(req: Omit<RewardRequest, 'now' | 'current'>, times: Date[]) {
  const current: Record<'referrer' | 'friend', RewardStatus> = { referrer: 'none', friend: 'none' };
  const applied: { key: string; action: string }[] = [];
  for (const now of times) {
    for (let replay = 0; replay < 2; replay++) {
      for (const a of decideReward({ ...req, current: { ...current }, now }).actions) {
        applied.push({ key: a.key, action: a.action });
        current[a.side] = a.action === 'hold' ? 'held' : a.action === 'grant' ? 'granted' : 'cancelled';
      }
    }
  }
  return { current, applied };
}

describe('S11 referral decisions (seed 003: Nancy invites Lizzy)', () => {
  it('Lizzy, new to the brand, is accepted as Nancy’s friend', () => {
    expect(decideReferral(request())).toEqual({
      accept: true,
      referrerId: 'm-nancy',
      friendId: 'm-lizzy',
      at: new Date(t0.getTime() + 1000),
    });
  });

  it('Nancy invites Lizzy → both get the 20 RMB voucher decision once, under one key per friend and side', () => {
    const joinedAt = new Date(t0.getTime() + 3 * DAY);
    const { current, applied } = drive(
      {
        referrer: nancy,
        friend: lizzy,
        friendJoinedAt: joinedAt,
        firstPaidOrder: null,
        config: DEFAULT_REFERRAL_CONFIG,
      },
      [t0, joinedAt, new Date(joinedAt.getTime() + H), new Date(joinedAt.getTime() + 10 * DAY)],
    );
    expect(applied).toEqual([
      { key: 'referral:m-lizzy:referrer', action: 'grant' },
      { key: 'referral:m-lizzy:friend', action: 'grant' },
    ]);
    expect(current).toEqual({ referrer: 'granted', friend: 'granted' });
    const grant = decideReward({
      referrer: nancy,
      friend: lizzy,
      friendJoinedAt: joinedAt,
      firstPaidOrder: null,
      config: DEFAULT_REFERRAL_CONFIG,
      current: { referrer: 'none', friend: 'none' },
      now: joinedAt,
    }).actions;
    expect(grant.map((a) => a.couponTemplateId)).toEqual(['referral-voucher-20rmb', 'referral-voucher-20rmb']);
  });

  it('self-referral through a second identity → rejected, and no reward even if merged later', () => {
    const nancyAgain = {
      memberId: 'm-other',
      identities: [
        { kind: 'unionid', value: 'u-x' },
        { kind: 'phone', value: '13800000001' },
      ],
    };
    expect(decideReferral(request({ friend: nancyAgain }))).toEqual({ accept: false, reason: 'self_referral' });
    expect(decideReferral(request({ friend: { ...lizzy, memberId: 'm-nancy' } }))).toMatchObject({
      reason: 'self_referral',
    });
    // Accepted as a stranger, merged into Nancy afterwards: the reward check sees the merge.
    const merged = { ...nancy, mergedMemberIds: ['m-lizzy'] };
    const { applied } = drive(
      { referrer: merged, friend: lizzy, friendJoinedAt: t0, firstPaidOrder: null, config: DEFAULT_REFERRAL_CONFIG },
      [t0],
    );
    expect(applied.every((a) => a.action === 'cancel')).toBe(true);
    expect(applied).toHaveLength(2);
  });

  it('two inviters → the first wins', () => {
    expect(
      decideReferral(
        request({
          friend: { referredBy: 'm-nancy' },
          referrer: { memberId: 'm-third', identities: [{ kind: 'openid', value: 'o-3' }] },
        }),
      ),
    ).toEqual({ accept: false, reason: 'already_referred', firstReferrerId: 'm-nancy' });
  });

  it('only people the brand never saw before count as new', () => {
    expect(decideReferral(request({ friend: { firstSeenAt: new Date(t0.getTime() - 30 * DAY) } }))).toMatchObject({
      reason: 'not_new',
    });
    expect(decideReferral(request({ friend: { firstSeenAt: new Date(t0.getTime() - 60_000) } })).accept).toBe(true); // same visit
  });

  it('caps per referrer per day and in total', () => {
    expect(decideReferral(request({ counts: { today: 10, total: 10 } }))).toMatchObject({ reason: 'daily_cap' });
    expect(decideReferral(request({ counts: { today: 0, total: 200 } }))).toMatchObject({ reason: 'total_cap' });
    expect(decideReferral(request({ counts: { today: 9, total: 199 } })).accept).toBe(true);
  });
});

describe('S11 rewards on the first paid order, held through the refund window', () => {
  const config: ReferralConfig = { ...DEFAULT_REFERRAL_CONFIG, rewardOn: 'first_paid_order', holdDays: 7 };
  const paidAt = new Date(t0.getTime() + 5 * DAY);
  const base = { referrer: nancy, friend: lizzy, friendJoinedAt: t0, config };

  it('joining alone earns nothing; payment holds both until the window passes, then grants once', () => {
    const order = { orderId: 'o1', paidAt, refundedAt: null };
    const { current, applied } = drive({ ...base, firstPaidOrder: order }, [
      t0,
      paidAt,
      new Date(paidAt.getTime() + 7 * DAY - 1),
      new Date(paidAt.getTime() + 7 * DAY),
      new Date(paidAt.getTime() + 30 * DAY),
    ]);
    expect(applied.map((a) => a.action)).toEqual(['hold', 'hold', 'grant', 'grant']);
    expect(current).toEqual({ referrer: 'granted', friend: 'granted' });
    const held = decideReward({
      ...base,
      firstPaidOrder: order,
      current: { referrer: 'none', friend: 'none' },
      now: paidAt,
    });
    expect(held.nextCheckAt).toEqual(new Date(paidAt.getTime() + 7 * DAY));
    expect(held.actions[0]).toMatchObject({
      key: rewardKey('m-lizzy', 'referrer'),
      releaseAt: held.nextCheckAt,
      orderId: 'o1',
    });
  });

  it('refund within the window → the held rewards are cancelled and never granted', () => {
    const order = { orderId: 'o1', paidAt, refundedAt: new Date(paidAt.getTime() + 2 * DAY) };
    const { current, applied } = drive({ ...base, firstPaidOrder: order }, [
      paidAt,
      new Date(paidAt.getTime() + 2 * DAY),
      new Date(paidAt.getTime() + 8 * DAY),
    ]);
    expect(applied.map((a) => a.action)).toEqual(['hold', 'hold', 'cancel', 'cancel']);
    expect(current).toEqual({ referrer: 'cancelled', friend: 'cancelled' });
  });

  it('a refund after the window takes nothing back', () => {
    const order = { orderId: 'o1', paidAt, refundedAt: new Date(paidAt.getTime() + 9 * DAY) };
    const { current } = drive({ ...base, firstPaidOrder: order }, [
      new Date(paidAt.getTime() + 8 * DAY),
      new Date(paidAt.getTime() + 10 * DAY),
    ]);
    expect(current).toEqual({ referrer: 'granted', friend: 'granted' });
  });
});
