import fc from 'fast-check';
import { Query } from 'mingo';
import {
  factsOfMember,
  matches,
  needsMemberCheck,
  segmentRuleSchema,
  toMongoQuery,
  type MemberFacts,
  type SegmentRule,
  type StoredMember,
} from '../../../core/segments';
import { MAX_RULE_DEPTH } from '../../../core/segments/rule';
import { latestPaidOf, SPEND_LADDER_FEN, spendReachOf } from '../../../core/segments/window';
import { birthMonthOf } from '../../../core/segments/birthday';
import { instantOf } from '../../../core/time';

const TZ = 'Asia/Shanghai';
const NOW = instantOf('2025-03-10', '09:30', TZ);
const DAY = 86_400_000;

const order = (paidAt: string, paidFen = 1000, refundedFen = 0) => ({ paidAt: new Date(paidAt), paidFen, refundedFen });
const member = (over: Partial<MemberFacts> = {}): MemberFacts => ({
  tags: [],
  stage: 'window',
  tier: 'silver',
  spendFen: 0,
  lastPaidAt: null,
  language: 'zh',
  storeId: 's1',
  birthdayMonth: null,
  isFollower: false,
  isMember: true,
  ...over,
});

describe('S20 segments: rules over member facts', () => {
  const hiPo: SegmentRule = {
    and: [
      { field: 'tags', op: 'hasAll', values: ['young-professional'] },
      { field: 'isFollower', op: 'is', value: true },
      { field: 'isMember', op: 'is', value: false },
    ],
  };

  it('S12 the Hi-Po segment takes a follower-only young professional and leaves out members', () => {
    const lizzy = member({ tags: held(['young-professional', 'referred']), isFollower: true, isMember: false });
    expect(matches(hiPo, lizzy, NOW, TZ)).toBe(true);
    expect(matches(hiPo, { ...lizzy, isMember: true }, NOW, TZ)).toBe(false);
    expect(matches(hiPo, { ...lizzy, tags: held(['referred']) }, NOW, TZ)).toBe(false);
  });

  it('recency counts brand-local days: paid yesterday 23:59 Shanghai is within 1 day, not within 0', () => {
    const m = member({ lastPaidAt: instantOf('2025-03-09', '23:59', TZ) });
    expect(matches({ field: 'recencyDays', op: 'within', days: 1 }, m, NOW, TZ)).toBe(true);
    expect(matches({ field: 'recencyDays', op: 'within', days: 0 }, m, NOW, TZ)).toBe(false);
    expect(matches({ field: 'recencyDays', op: 'notWithin', days: 0 }, m, NOW, TZ)).toBe(true);
    expect(matches({ field: 'recencyDays', op: 'notWithin', days: 30 }, member(), NOW, TZ)).toBe(true); // never paid
  });

  it('birthday this month follows the brand time zone, not UTC', () => {
    const lateFeb28Utc = new Date('2025-02-28T17:00:00Z'); // 1 March 01:00 in Shanghai
    const rule: SegmentRule = { field: 'birthdayMonth', op: 'thisMonth' };
    expect(matches(rule, member({ birthdayMonth: 3 }), lateFeb28Utc, TZ)).toBe(true);
    expect(matches(rule, member({ birthdayMonth: 3 }), lateFeb28Utc, 'UTC')).toBe(false);
  });

  it('missing fields follow MongoDB semantics: never "in", always "not in"', () => {
    const bare: MemberFacts = {};
    expect(matches({ field: 'stage', op: 'in', values: ['loyal'] }, bare, NOW)).toBe(false);
    expect(matches({ field: 'stage', op: 'notIn', values: ['loyal'] }, bare, NOW)).toBe(true);
    expect(matches({ field: 'spendFen', op: 'lt', value: 100 }, bare, NOW)).toBe(false);
    expect(matches({ field: 'tags', op: 'hasNone', values: ['vip'] }, bare, NOW)).toBe(true);
  });

  it('the schema rejects empty lists and unknown fields', () => {
    expect(segmentRuleSchema.safeParse({ field: 'tags', op: 'hasAll', values: [] }).success).toBe(false);
    expect(segmentRuleSchema.safeParse({ and: [] }).success).toBe(false);
    expect(segmentRuleSchema.safeParse({ field: 'age', op: 'in', values: ['x'] }).success).toBe(false);
    expect(segmentRuleSchema.safeParse(hiPo).success).toBe(true);
  });

  it('toMongoQuery freezes the recency cut-off at the start of the brand-local day, on the paid orders the product keeps', () => {
    expect(toMongoQuery({ field: 'recencyDays', op: 'within', days: 7 }, NOW, TZ)).toEqual({
      'lifecycle.paidOrders.paidAt': { $gte: new Date('2025-03-02T16:00:00Z') },
    });
  });

  it('spend and order count in a window: paid in the last N brand-local days, net of refunds', () => {
    const m = member({
      paidOrders: [
        order('2025-03-09T15:00:00Z', 5000),
        order('2025-03-01T00:00:00Z', 3000),
        order('2025-03-10T00:00:00Z', 2000, 2000),
      ],
    });
    expect(matches({ field: 'ordersInWindow', days: 0, op: 'gte', value: 1 }, m, NOW, TZ)).toBe(false); // 23:00 Shanghai yesterday; today's refunded
    expect(matches({ field: 'ordersInWindow', days: 1, op: 'gte', value: 1 }, m, NOW, TZ)).toBe(true);
    expect(matches({ field: 'spendInWindow', days: 30, op: 'gte', value: 8000 }, m, NOW, TZ)).toBe(true);
    expect(matches({ field: 'spendInWindow', days: 30, op: 'gt', value: 8000 }, m, NOW, TZ)).toBe(false);
    expect(matches({ not: { field: 'ordersInWindow', days: 30, op: 'gte', value: 3 } }, m, NOW, TZ)).toBe(true);
    expect(needsMemberCheck({ not: { field: 'spendInWindow', days: 30, op: 'gte', value: 1 } })).toBe(true);
  });

  it('facts come from the fields the product writes: OA follow, card, lifetime value, paid orders, first store, birthday', () => {
    const stored: StoredMember = {
      oaFollowing: true,
      cardNo: 'C1',
      ltvFen: 12_800,
      birthday: '1990-03-07',
      lifecycle: { paidOrders: [order('2025-03-01T00:00:00Z'), order('2025-03-10T01:00:00Z')] },
      attribution: { first: { storeId: 's2' }, last: { storeId: 's1' } },
    };
    expect(factsOfMember(stored)).toMatchObject({
      isFollower: true,
      isMember: true,
      spendFen: 12_800,
      birthdayMonth: 3,
      storeId: 's2',
      lastPaidAt: new Date('2025-03-10T01:00:00Z'),
    });
    expect(
      factsOfMember({
        ...stored,
        rfm: { r: 5, f: 1, m: 2 },
        consents: { marketingOptIn: true },
        lifecycle: { paidOrders: [], categories: ['qipao'], channels: ['store'] },
      }),
    ).toMatchObject({ rfm: { r: 5 }, marketingOptIn: true, categories: ['qipao'], channels: ['store'] });
    expect(
      factsOfMember({ state: 'visitor', attribution: { last: { storeId: 's1' } }, birthday: '11-30' }),
    ).toMatchObject({
      isFollower: false,
      isMember: false,
      storeId: 's1',
      birthdayMonth: 11,
      spendFen: null,
      lastPaidAt: null,
    });
  });
});

// ---- property: matches() and the database query agree ----
const TAGS = ['vip', 'hi-po', 'young-professional', 'referred'];
// as the portrait stores held tags
function held(ids: string[]) {
  return ids.map((tagId) => ({ tagId, source: 'rule' }));
}
const str = (xs: string[]) => fc.constantFrom(...xs);
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: null });

const dayOffset = fc.integer({ min: -60 * DAY, max: DAY }).map((d) => new Date(NOW.getTime() + d));
const storeArb = maybe(
  fc.record(
    { storeId: maybe(str(['s1', 's2'])), advisorId: maybe(str(['a1', 'a2'])), via: maybe(str(['code', 'share'])) },
    { requiredKeys: [] },
  ),
);
const CATS = ['qipao', 'accessories', 'fabric'];
const CHANNELS = ['store', 'ecommerce', 'mini_program'];
const score = fc.integer({ min: 1, max: 5 });
const comparison = fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const);

// the member document as the product writes it
const memberArb: fc.Arbitrary<StoredMember> = fc
  .record(
    {
      tags: fc.oneof(fc.subarray(TAGS).map(held), fc.constant(null)),
      stage: maybe(str(['window', 'first-time', 'repeat', 'loyal', 'lapsed'])),
      tier: maybe(str(['silver', 'gold'])),
      ltvFen: maybe(fc.integer({ min: 0, max: 50_000 })),
      lifecycle: fc
        .record(
          {
            paidOrders: fc.array(
              fc.record({
                paidAt: dayOffset,
                paidFen: fc.constantFrom(1000, 5000, 10_000, 30_000),
                refundedFen: fc.constantFrom(0, 1000, 5000, 10_000),
              }),
              { maxLength: 6 },
            ),
            categories: fc.subarray(CATS),
            channels: fc.subarray(CHANNELS),
          },
          { requiredKeys: [] },
        )
        .map((l) =>
          l.paidOrders ? { ...l, latestPaid: latestPaidOf(l.paidOrders), spendReach: spendReachOf(l.paidOrders) } : l,
        ),
      rfm: maybe(fc.record({ r: score, f: score, m: score })),
      ltvForecastFen: maybe(fc.integer({ min: 0, max: 50_000 })),
      consents: maybe(fc.record({ marketingOptIn: fc.boolean() })),
      lastSeenAt: maybe(dayOffset),
      language: maybe(str(['zh', 'en'])),
      attribution: maybe(fc.record({ first: storeArb, last: storeArb }, { requiredKeys: [] })),
      birthday: maybe(
        fc
          .tuple(fc.boolean(), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }))
          .map(([year, m, d]) => `${year ? '1990-' : ''}${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`),
      ),
      oaFollowing: maybe(fc.boolean()),
      state: maybe(str(['member', 'visitor'])),
      cardNo: maybe(str(['C1', 'C2'])),
    },
    { requiredKeys: [] },
  )
  // the product writes the birth month with the birthday
  .map((m) => (m.birthday ? { ...m, birthMonth: birthMonthOf(m.birthday) } : m));

const leafArb: fc.Arbitrary<SegmentRule> = fc.oneof(
  fc.record({
    field: fc.constant('tags' as const),
    op: str(['hasAll', 'hasAny', 'hasNone']) as fc.Arbitrary<'hasAll' | 'hasAny' | 'hasNone'>,
    values: fc.subarray(TAGS, { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('stage' as const),
    op: fc.constantFrom('in' as const, 'notIn' as const),
    values: fc.subarray(['window', 'repeat', 'loyal'], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constantFrom('tier' as const, 'language' as const, 'storeId' as const),
    op: fc.constantFrom('in' as const, 'notIn' as const),
    values: fc.subarray(['silver', 'gold', 'zh', 'en', 's1', 's2'], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('spendFen' as const),
    op: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
    value: fc.integer({ min: 0, max: 50_000 }),
  }),
  fc.record({
    field: fc.constant('recencyDays' as const),
    op: fc.constantFrom('within' as const, 'notWithin' as const),
    days: fc.integer({ min: 0, max: 60 }),
  }),
  fc.record({
    field: fc.constant('birthdayMonth' as const),
    op: fc.constant('in' as const),
    values: fc.uniqueArray(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 3 }),
  }),
  fc.constant<SegmentRule>({ field: 'birthdayMonth', op: 'thisMonth' }),
  fc.record({
    field: fc.constantFrom('isFollower' as const, 'isMember' as const, 'marketingOptIn' as const),
    op: fc.constant('is' as const),
    value: fc.boolean(),
  }),
  fc.record({
    field: fc.constantFrom('categories' as const, 'channels' as const),
    op: str(['hasAll', 'hasAny', 'hasNone']) as fc.Arbitrary<'hasAll' | 'hasAny' | 'hasNone'>,
    values: fc.subarray([...CATS, ...CHANNELS], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('rfm' as const),
    dim: fc.constantFrom('r' as const, 'f' as const, 'm' as const),
    op: fc.constant('in' as const),
    values: fc.uniqueArray(score, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({
    field: fc.constant('ltvForecastFen' as const),
    op: comparison,
    value: fc.integer({ min: 0, max: 50_000 }),
  }),
  fc.record({
    field: fc.constant('ordersInWindow' as const),
    days: fc.integer({ min: 0, max: 60 }),
    op: comparison,
    value: fc.integer({ min: -1, max: 7 }),
  }),
  fc.record({
    field: fc.constantFrom('ordersInWindow' as const, 'spendInWindow' as const),
    days: fc.integer({ min: 0, max: 60 }),
    op: comparison,
    value: fc.integer({ min: -1, max: 6000 }),
  }),
  // spend on the ladder (one indexed range), next to it and between its steps (narrowed, then checked)
  fc.record({
    field: fc.constant('spendInWindow' as const),
    days: fc.integer({ min: 0, max: 60 }),
    op: comparison,
    value: fc.oneof(
      fc.constantFrom(...SPEND_LADDER_FEN.slice(0, 4)).chain((x) => fc.constantFrom(x - 1, x, x + 1)),
      fc.integer({ min: 0, max: 120_000 }),
    ),
  }),
  fc.record({
    field: fc.constant('attribution' as const),
    key: fc.constantFrom('advisorId' as const, 'via' as const),
    op: fc.constantFrom('in' as const, 'notIn' as const),
    values: fc.subarray(['a1', 'a2', 'code', 'share'], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('activeDays' as const),
    op: fc.constantFrom('within' as const, 'notWithin' as const),
    days: fc.integer({ min: 0, max: 60 }),
  }),
);

// nesting stays within what the schema accepts (MAX_RULE_DEPTH): deeper rules are refused before matching
const ruleArb: fc.Arbitrary<SegmentRule> = fc.letrec<{ rule: SegmentRule }>((tie) => ({
  rule: fc.oneof(
    { depthSize: 'small', withCrossShrink: true, maxDepth: MAX_RULE_DEPTH - 2, depthIdentifier: 'rule' },
    leafArb,
    fc.record({ and: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ or: fc.array(tie('rule'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ not: tie('rule') }),
  ),
})).rule;

describe('S20 segments: preview in the database counts the same members', () => {
  it('matches() on factsOfMember() agrees with toMongoQuery() evaluated by mingo on random member documents and rules', () => {
    fc.assert(
      fc.property(ruleArb, fc.array(memberArb, { minLength: 1, maxLength: 8 }), (rule, members) => {
        expect(segmentRuleSchema.safeParse(rule).success).toBe(true);
        const q = new Query(toMongoQuery(rule, NOW, TZ));
        const exact = !needsMemberCheck(rule);
        for (const m of members) {
          const inSegment = matches(rule, factsOfMember(m), NOW, TZ);
          // with a window part the query may take more people (a superset), never fewer
          if (exact) expect(q.test(m as Record<string, unknown>)).toBe(inSegment);
          else if (inSegment) expect(q.test(m as Record<string, unknown>)).toBe(true);
        }
      }),
      { numRuns: 400 },
    );
  });
});
