import {
  evaluateTier,
  nextTierProgress,
  parseTierConfig,
  qualifiedTier,
  windowStart,
  type TierConfigInput,
} from '../../../core/tiers';

const tiers = [
  { id: 'silver', name: { zh: '银卡会员', en: 'Silver' }, threshold: 0 },
  { id: 'gold', name: { zh: '金卡会员', en: 'Gold' }, threshold: 1000 },
  { id: 'black', name: { zh: '黑卡会员', en: 'Black' }, threshold: 5000 },
];
const config = (over: Partial<TierConfigInput> = {}) => parseTierConfig({ tiers, ...over });
const pts = (points: number) => ({ points, spendFen: 0 });
const now = new Date('2025-06-15T04:00:00Z');

describe('tier config', () => {
  test('defaults: points basis, 365-day window, never downgrade', () => {
    const c = config();
    expect(c.basis).toBe('points');
    expect(c.windowDays).toBe(365);
    expect(c.downgrade).toEqual({ mode: 'never' });
  });

  test('a tier holds id, name and threshold only: the multiplier lives in points.tierMultipliers', () => {
    expect(() => parseTierConfig({ tiers: [{ ...tiers[0], benefits: { pointsMultiplier: 2 } }] })).toThrow(/benefits/);
  });

  test('rejects a first tier above 0, falling thresholds, duplicate ids, a leap-day review', () => {
    expect(() => parseTierConfig({ tiers: [{ ...tiers[1] }] })).toThrow(/start at 0/);
    expect(() => parseTierConfig({ tiers: [tiers[0], tiers[2], tiers[1]] })).toThrow(/rise strictly/);
    expect(() => parseTierConfig({ tiers: [tiers[0], { ...tiers[1], id: 'silver' }] })).toThrow(/unique/);
    expect(() => config({ downgrade: { mode: 'yearlyReview', reviewOn: '02-29' } })).toThrow();
  });

  test('windowStart: last N local days including today (Shanghai)', () => {
    expect(windowStart(config({ windowDays: 30 }), now, 'Asia/Shanghai')!.toISOString()).toBe(
      '2025-05-16T16:00:00.000Z',
    );
    expect(windowStart(config({ windowDays: null }), now)).toBeNull();
  });
});

describe('S9 tiers: evaluation', () => {
  test('S9 tiers: upgrade at the event that crosses the threshold (exactly at it counts)', () => {
    const c = config();
    expect(evaluateTier({ tierId: 'silver' }, pts(999), c, now)).toMatchObject({
      tier: { id: 'silver' },
      changed: false,
      direction: 'none',
    });
    expect(evaluateTier({ tierId: 'silver' }, pts(1000), c, now)).toMatchObject({
      tier: { id: 'gold' },
      changed: true,
      direction: 'up',
    });
    expect(evaluateTier({ tierId: 'silver' }, pts(9000), c, now).tier.id).toBe('black');
  });

  test('a member without a tier gets the qualified one', () => {
    expect(evaluateTier({ tierId: null }, pts(0), config(), now)).toMatchObject({
      tier: { id: 'silver' },
      changed: true,
      direction: 'up',
    });
  });

  test('spend basis uses fen', () => {
    const c = config({ basis: 'spend' });
    expect(qualifiedTier({ points: 0, spendFen: 5000 }, c).id).toBe('black');
    expect(qualifiedTier({ points: 99999, spendFen: 4999 }, c).id).toBe('gold');
  });

  test('downgrade never: the tier is kept', () => {
    expect(evaluateTier({ tierId: 'black' }, pts(0), config(), now)).toMatchObject({
      tier: { id: 'black' },
      changed: false,
      direction: 'none',
    });
  });

  test('downgrade rolling: the tier follows the window, more than one step if needed', () => {
    expect(evaluateTier({ tierId: 'black' }, pts(10), config({ downgrade: { mode: 'rolling' } }), now)).toMatchObject({
      tier: { id: 'silver' },
      changed: true,
      direction: 'down',
    });
  });

  test('downgrade at yearly review (01-01 Shanghai): kept during the year, dropped once the review date has passed', () => {
    const c = config({ downgrade: { mode: 'yearlyReview', reviewOn: '01-01' } });
    const since = new Date('2025-03-01T00:00:00Z');
    expect(evaluateTier({ tierId: 'gold', since }, pts(0), c, new Date('2025-12-31T15:59:00Z'))).toMatchObject({
      tier: { id: 'gold' },
      changed: false,
      reviewed: false,
    });
    // 2026-01-01 00:00 in Shanghai is 2025-12-31 16:00 UTC.
    expect(evaluateTier({ tierId: 'gold', since }, pts(0), c, new Date('2025-12-31T16:00:00Z'))).toMatchObject({
      tier: { id: 'silver' },
      direction: 'down',
      reviewed: true,
    });
  });

  test('yearly review happens once: after being reviewed this year, no further downgrade until next year', () => {
    const c = config({ downgrade: { mode: 'yearlyReview', reviewOn: '07-01' } });
    const reviewedAt = new Date('2025-07-01T02:00:00Z');
    const later = new Date('2025-09-01T00:00:00Z');
    expect(
      evaluateTier({ tierId: 'black', since: new Date('2024-01-01T00:00:00Z'), reviewedAt }, pts(1200), c, later),
    ).toMatchObject({ tier: { id: 'black' }, changed: false });
    expect(evaluateTier({ tierId: 'black', reviewedAt }, pts(1200), c, new Date('2026-07-01T00:00:00Z'))).toMatchObject(
      { tier: { id: 'gold' }, direction: 'down', reviewed: true },
    );
  });
  test('a review the member passed still counts: no downgrade later in that year', () => {
    const c = config({ downgrade: { mode: 'yearlyReview', reviewOn: '01-01' } });
    const since = new Date('2024-05-01T00:00:00Z');
    const review = evaluateTier({ tierId: 'gold', since }, pts(1500), c, new Date('2025-01-01T01:00:00Z'));
    expect(review).toMatchObject({ tier: { id: 'gold' }, changed: false, reviewed: true });
    const march = evaluateTier(
      { tierId: 'gold', since, reviewedAt: new Date('2025-01-01T01:00:00Z') },
      pts(100),
      c,
      new Date('2025-03-01T00:00:00Z'),
    );
    expect(march).toMatchObject({ tier: { id: 'gold' }, changed: false, reviewed: false });
  });

  test('rolling and never modes never report a review', () => {
    expect(evaluateTier({ tierId: 'gold' }, pts(0), config({ downgrade: { mode: 'rolling' } }), now).reviewed).toBe(
      false,
    );
    expect(evaluateTier({ tierId: 'gold' }, pts(0), config(), now).reviewed).toBe(false);
  });
});

describe('S9 tiers: next tier and what is missing', () => {
  test('S9 tiers: points basis shows points missing and a ratio', () => {
    const p = nextTierProgress(pts(700), config());
    expect(p.current.id).toBe('silver');
    expect(p.next?.id).toBe('gold');
    expect(p.missing).toBe(300);
    expect(p.ratio).toBeCloseTo(0.7);
    expect(p.message.zh).toBe('再获得 300 积分即可升级为金卡会员');
  });

  test('S9 tiers: spend basis shows RMB missing', () => {
    const p = nextTierProgress(
      { points: 0, spendFen: 123_45 },
      config({ tiers: tiers.map((t) => ({ ...t, threshold: t.threshold * 100 })), basis: 'spend' }),
    );
    expect(p.next?.id).toBe('gold');
    expect(p.missing).toBe(100_000 - 123_45);
    expect(p.message.zh).toBe('再消费 ¥876.55 即可升级为金卡会员');
  });

  test('a kept higher tier: next is above the held tier, not the qualified one', () => {
    const p = nextTierProgress(pts(200), config(), 'gold');
    expect(p.current.id).toBe('gold');
    expect(p.next?.id).toBe('black');
    expect(p.missing).toBe(4800);
    expect(p.ratio).toBe(0);
  });

  test('top tier: nothing missing', () => {
    const p = nextTierProgress(pts(7000), config());
    expect(p).toMatchObject({ next: null, missing: 0, ratio: 1 });
    expect(p.message.zh).toContain('最高等级');
  });
});
