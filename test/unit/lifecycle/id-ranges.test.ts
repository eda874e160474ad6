import fc from 'fast-check';
import { splitIds } from '../../../server/lifecycle/id-ranges';

/** The `_id` ranges a rebuild is cut into: increasing boundaries inside the ids, of about even size. */
const numbered = (i: number) => `m${String(i).padStart(8, '0')}`;

test('numbered ids are cut into ranges of about the same size', () => {
  const ids = Array.from({ length: 100_000 }, (_v, i) => numbered(i));
  const cuts = splitIds(ids[0]!, ids[ids.length - 1]!, 16);
  expect(cuts).toHaveLength(15);
  const sizes = [...cuts, '\uffff'].map((c, k) => ids.filter((id) => id <= c && (k === 0 || id > cuts[k - 1]!)).length);
  for (const n of sizes) expect(Math.abs(n - 6250)).toBeLessThan(100);
});

test('generated hex ids are cut into ranges of about the same size', () => {
  const ids = Array.from({ length: 20_000 }, (_v, i) =>
    (((i * 2654435761) >>> 0).toString(16).padStart(8, '0') + 'a1b2c3d4').slice(0, 12),
  ).sort();
  const cuts = splitIds(ids[0]!, ids[ids.length - 1]!, 8);
  expect(cuts).toHaveLength(7);
  const sizes = [...cuts, '\uffff'].map((c, k) => ids.filter((id) => id <= c && (k === 0 || id > cuts[k - 1]!)).length);
  for (const n of sizes) expect(n).toBeGreaterThan(1500);
});

test('boundaries increase strictly and lie after the first id and at or before the last, for any ids', () => {
  fc.assert(
    fc.property(
      fc.string({ minLength: 1 }),
      fc.string({ minLength: 1 }),
      fc.integer({ min: 0, max: 40 }),
      (a, b, n) => {
        const [first, last] = a < b ? [a, b] : [b, a];
        const cuts = splitIds(first, last, n);
        expect(cuts.length).toBeLessThanOrEqual(Math.max(0, n - 1));
        cuts.forEach((c, i) => {
          expect(c > first && c <= last).toBe(true);
          if (i) expect(c > cuts[i - 1]!).toBe(true);
        });
      },
    ),
  );
});
