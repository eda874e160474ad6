import fc from 'fast-check';
import { mergeId, planMerge, type MergeCandidate } from '../../../core/identity/merge';
import { maskPhone, stateOf } from '../../../core/identity/member';

const member = fc.record({
  _id: fc.stringMatching(/^m_[a-f0-9]{4}$/),
  createdAt: fc.integer({ min: 0, max: 1e6 }).map((n) => new Date(1.7e12 + n * 1000)),
  claimedAt: fc.option(
    fc.integer({ min: 0, max: 1e6 }).map((n) => new Date(1.7e12 + n * 1000)),
    { nil: undefined },
  ),
  points: fc.integer({ min: 0, max: 10_000 }),
  name: fc.option(fc.constantFrom('张三', 'Li'), { nil: undefined }),
});

test('S3 merge plan: the same survivor whichever order the pair is given; points are summed', () => {
  fc.assert(
    fc.property(member, member, (a, b) => {
      if (a._id === b._id) return;
      const p1 = planMerge(a as MergeCandidate, b as MergeCandidate);
      const p2 = planMerge(b as MergeCandidate, a as MergeCandidate);
      expect(p1.survivorId).toBe(p2.survivorId);
      expect(new Set([p1.survivorId, p1.loserId])).toEqual(new Set([a._id, b._id]));
      expect(p1.survivorPatch.points).toBe(a.points + b.points);
      expect(mergeId(a._id, b._id)).toBe(mergeId(b._id, a._id));
    }),
  );
});

test('S3 merge plan: a card holder survives; the survivor keeps its own fields and fills gaps', () => {
  const a = { _id: 'm_a', createdAt: new Date(1), points: 1 } as MergeCandidate;
  const b = {
    _id: 'm_b',
    createdAt: new Date(2),
    claimedAt: new Date(3),
    cardNo: '800000000001',
    name: 'B',
    points: 2,
  } as MergeCandidate;
  const p = planMerge({ ...a, nickname: 'nick' }, b);
  expect(p.survivorId).toBe('m_b');
  expect(p.survivorPatch).toMatchObject({ nickname: 'nick', points: 3 });
  expect(p.survivorPatch.name).toBeUndefined();
  expect(() => planMerge(a, a)).toThrow();
});

test('state and phone mask', () => {
  expect(stateOf({ cardNo: '8', oaFollowing: true })).toBe('member');
  expect(stateOf({ oaFollowing: true })).toBe('follower');
  expect(stateOf({})).toBe('visitor');
  expect(stateOf({ cardNo: '8', deletedAt: new Date() })).toBe('deleted');
  expect(maskPhone('13800138000')).toBe('138****8000');
});
