import { applyEvent, emptyFacts, type LifecycleEvent } from '../../../core/lifecycle';
import {
  DEFAULT_TAGS,
  TAG_CATEGORIES,
  evaluateRule,
  evaluateTags,
  forecastLtvFen,
  historicalLtvFen,
  parseRfmConfig,
  parseTagTaxonomy,
  quintileBreakpoints,
  rfmInputFromFacts,
  rfmScores,
  ruleSchema,
  tagsForInteraction,
  type Rule,
} from '../../../core/portrait';

const DAY = 86_400_000;
const NOW = new Date('2025-06-30T04:00:00Z');
const ago = (days: number) => new Date(NOW.getTime() - days * DAY);
const rfm = parseRfmConfig(); // recency [30,90,180,365] days, frequency [2,3,5,10], monetary [¥500, ¥1,500, ¥3,000, ¥10,000]
const facts = (...events: LifecycleEvent[]) => events.reduce(applyEvent, emptyFacts());
const paid = (daysAgo: number, key: string, paidFen: number): LifecycleEvent => ({
  type: 'order.paid',
  at: ago(daysAgo),
  orderKey: key,
  paidFen,
});

describe('S6 portrait: RFM', () => {
  it('S6 scores each band edge: recency counts whole days, frequency and monetary are inclusive lower bounds', () => {
    expect(rfmScores({ lastPaidAt: ago(30), orderCount: 1, spendFen: 49_999 }, rfm, NOW)).toEqual({
      r: 5,
      f: 1,
      m: 1,
      code: '511',
    });
    expect(rfmScores({ lastPaidAt: ago(31), orderCount: 2, spendFen: 50_000 }, rfm, NOW)).toEqual({
      r: 4,
      f: 2,
      m: 2,
      code: '422',
    });
    expect(rfmScores({ lastPaidAt: ago(366), orderCount: 10, spendFen: 1_000_000 }, rfm, NOW)).toEqual({
      r: 1,
      f: 5,
      m: 5,
      code: '155',
    });
    expect(rfmScores({ orderCount: 0, spendFen: 0 }, rfm, NOW)).toBeNull();
  });

  it('S6 inputs from facts: window for F and M, recency from any purchase, refunds netted, full refunds dropped', () => {
    const f = facts(
      paid(400, 'old', 90_000),
      paid(100, 'a', 60_000),
      paid(10, 'b', 40_000),
      paid(5, 'gone', 70_000),
      { type: 'order.refunded', at: ago(9), orderKey: 'b', deltaFen: 10_000, paidFen: 40_000 },
      { type: 'order.refunded', at: ago(4), orderKey: 'gone', deltaFen: 70_000, paidFen: 70_000 },
    );
    expect(rfmInputFromFacts(f, rfm, NOW)).toEqual({ lastPaidAt: ago(10), orderCount: 2, spendFen: 90_000 });
    expect(rfmInputFromFacts(f, parseRfmConfig({ windowDays: null }), NOW)).toEqual({
      lastPaidAt: ago(10),
      orderCount: 3,
      spendFen: 180_000,
    });
  });

  it('quintile breakpoints put a fifth of the population in each band, both directions, and survive ties', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    const bands = (score: (v: number) => number | undefined) => {
      const counts = [0, 0, 0, 0, 0];
      for (const v of values) {
        const i = (score(v) ?? 0) - 1;
        counts[i] = (counts[i] ?? 0) + 1;
      }
      return counts;
    };
    const fq = parseRfmConfig({
      frequency: quintileBreakpoints(values, 'higherIsBetter'),
      recencyDays: quintileBreakpoints(values, 'lowerIsBetter'),
    });
    expect(bands((v) => rfmScores({ lastPaidAt: NOW, orderCount: v, spendFen: 0 }, fq, NOW)?.f)).toEqual([
      20, 20, 20, 20, 20,
    ]);
    expect(bands((v) => rfmScores({ lastPaidAt: ago(v), orderCount: 1, spendFen: 0 }, fq, NOW)?.r)).toEqual([
      20, 20, 20, 20, 20,
    ]);
    // Most customers have one order: breakpoints still rise strictly and make a valid config.
    const skewed = [...Array.from({ length: 80 }, () => 1), ...Array.from({ length: 20 }, (_, i) => i + 2)];
    const b = quintileBreakpoints(skewed, 'higherIsBetter');
    expect(parseRfmConfig({ frequency: b }).frequency).toEqual(b);
    expect(() => parseRfmConfig({ recencyDays: [30, 30, 60, 90] })).toThrow();
  });
});

describe('S6 portrait: lifetime value', () => {
  const f = facts(paid(120, 'a', 30_000), paid(60, 'b', 50_000), paid(0, 'c', 40_000), {
    type: 'order.refunded',
    at: ago(0),
    orderKey: 'b',
    deltaFen: 20_000,
    paidFen: 50_000,
  });

  it('S6 historical LTV is net paid', () => {
    expect(historicalLtvFen(f, NOW)).toBe(30_000 + 30_000 + 40_000);
    expect(historicalLtvFen(emptyFacts(), NOW)).toBe(0);
  });

  it('S6 forecast = AOV × orders per day × horizon: 3 orders, ¥1,000 net, over 120 days, for 360 days', () => {
    // AOV = 100,000 / 3; rate = 3 / 120 per day; × 360 days = 300,000 fen.
    expect(forecastLtvFen(f, NOW, { horizonDays: 360 })).toBe(300_000);
    // A single purchase today is measured over the 30-day minimum, not over zero days.
    expect(forecastLtvFen(facts(paid(0, 'x', 10_000)), NOW, { horizonDays: 90 })).toBe(30_000);
    expect(forecastLtvFen(facts(paid(200, 'x', 10_000)), NOW, { horizonDays: 90, churnAfterDays: 180 })).toBe(0);
    expect(forecastLtvFen(emptyFacts(), NOW, { horizonDays: 90 })).toBe(0);
  });
});

describe('S6 portrait: rule language', () => {
  const person = {
    age: 29,
    city: '上海',
    stage: 'repeat',
    spend12mFen: 520_000,
    categories: ['qipao', 'accessory'],
    rfm: { r: 5, f: 3, m: 5 },
    lastInteractionAt: ago(3),
    tierId: null,
  };
  const cases: [Rule, boolean][] = [
    [{ field: 'age', op: 'gte', value: 29 }, true],
    [{ field: 'age', op: 'gt', value: 29 }, false],
    [{ field: 'city', op: 'in', value: ['上海', '杭州'] }, true],
    [{ field: 'stage', op: 'nin', value: ['lapsed'] }, true],
    [{ field: 'categories', op: 'contains', value: 'qipao' }, true],
    [{ field: 'rfm.m', op: 'eq', value: 5 }, true],
    [{ field: 'lastInteractionAt', op: 'withinDays', value: 3 }, true],
    [{ field: 'lastInteractionAt', op: 'withinDays', value: 2 }, false],
    [{ field: 'lastInteractionAt', op: 'olderThanDays', value: 2 }, true],
    [{ field: 'lastInteractionAt', op: 'gt', value: ago(4).toISOString() }, true],
    [{ field: 'tierId', op: 'exists' }, false],
    [{ field: 'gender', op: 'eq', value: 'female' }, false],
    [{ field: 'gender', op: 'ne', value: 'female' }, true],
    [{ field: 'age', op: 'eq', value: '29' }, false],
    [{ all: [{ field: 'age', op: 'lt', value: 35 }, { not: { field: 'stage', op: 'eq', value: 'lapsed' } }] }, true],
    [
      {
        any: [
          { field: 'age', op: 'lt', value: 20 },
          { field: 'spend12mFen', op: 'lte', value: 100 },
        ],
      },
      false,
    ],
  ];
  it.each(cases)('%j → %s', (rule, expected) => {
    expect(evaluateRule(ruleSchema.parse(rule), person, NOW)).toBe(expected);
  });

  it('rejects malformed rules', () => {
    expect(() => ruleSchema.parse({ field: 'age', op: 'in', value: 3 })).toThrow();
    expect(() => ruleSchema.parse({ field: 'age', op: 'gte' })).toThrow();
    expect(() => ruleSchema.parse({ field: 'a-b', op: 'eq', value: 1 })).toThrow();
    let deep: Rule = { field: 'x', op: 'exists' };
    for (let i = 0; i < 7; i++) deep = { not: deep };
    expect(() => ruleSchema.parse(deep)).toThrow();
  });
});

describe('S6 portrait: tags', () => {
  it('the default taxonomy covers all five categories of seed 001', () => {
    expect(new Set(DEFAULT_TAGS.map((t) => t.category))).toEqual(new Set(TAG_CATEGORIES));
    expect(() => parseTagTaxonomy([...DEFAULT_TAGS, DEFAULT_TAGS[0]])).toThrow();
  });

  it('S6 rule tags follow their rule; manual tags and expired interaction tags are handled apart', () => {
    const f = {
      age: 40,
      spend12mFen: 600_000,
      categories: ['qipao'],
      channels: ['ecommerce'],
      paidOrderCount: 1,
      lastPaidAt: ago(45),
    };
    const held = [
      { tagId: 'repeat_buyer', source: 'rule' as const, at: ago(100) },
      { tagId: 'hi_po_young_professional', source: 'manual' as const, at: ago(10) },
      { tagId: 'channel_store', source: 'manual' as const, at: ago(10) }, // put on by staff: a rule must not take it off
      { tagId: 'interactive', source: 'interaction' as const, at: ago(31), expiresAt: ago(1) },
    ];
    const d = evaluateTags(DEFAULT_TAGS, f, held, NOW);
    expect(d.add.map((t) => t.tagId).sort()).toEqual(['channel_ecommerce', 'high_value', 'likes_qipao']);
    expect(d.remove.sort()).toEqual(['interactive', 'repeat_buyer']);
  });

  it('S12/seed 002 an interaction puts on the "interactive" tag for 30 days', () => {
    expect(tagsForInteraction(DEFAULT_TAGS, 'oa.menu_clicked', NOW)).toEqual([
      { tagId: 'interactive', source: 'interaction', at: NOW, expiresAt: new Date(NOW.getTime() + 30 * DAY) },
    ]);
    expect(tagsForInteraction(DEFAULT_TAGS, 'order.paid', NOW)).toEqual([]);
  });
});
