import { interestsOf, recommend } from '../../../core/behaviour/interests';

const now = new Date('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

test('interests: buying weighs most, recent signals count more, faint old ones are no interest', () => {
  const interests = interestsOf(
    [
      { category: 'scarf', kind: 'product_view', at: daysAgo(0) },
      { category: 'scarf', kind: 'product_view', at: daysAgo(1) },
      { category: 'qipao', kind: 'bought', at: daysAgo(30) },
      { category: 'tea', kind: 'add_to_cart', at: daysAgo(0) },
      { category: 'fan', kind: 'product_view', at: daysAgo(200) },
    ],
    now,
  );
  expect(interests.map((i) => i.category)).toEqual(['tea', 'qipao', 'scarf']);
  expect(interests.find((i) => i.category === 'qipao')!.score).toBe(2.5);
});

test('recommend: top interests share the list round-robin, bought products left out, no interests → given order', () => {
  const p = (productId: string, category: string) => ({ productId, category });
  const candidates = [p('a1', 'a'), p('a2', 'a'), p('a3', 'a'), p('b1', 'b'), p('c1', 'c')];
  const interests = [
    { category: 'a', score: 5 },
    { category: 'b', score: 2 },
  ];
  expect(recommend(interests, candidates, new Set(['a1']), 3).map((c) => c.productId)).toEqual(['a2', 'b1', 'a3']);
  expect(recommend([], candidates, new Set(['a1']), 2).map((c) => c.productId)).toEqual(['a2', 'a3']);
});
