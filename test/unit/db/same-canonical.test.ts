import fc from 'fast-check';
import { canonical, sameCanonical } from '../../../server/db/documents';

const shuffled = (v: unknown): unknown => {
  if (Array.isArray(v)) return v.map(shuffled);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype)
    return Object.fromEntries(
      Object.entries(v)
        .reverse()
        .map(([k, x]) => [k, shuffled(x)]),
    );
  return v;
};

const value = fc.anything({ withDate: true, withNullPrototype: false, withBoxedValues: false, maxDepth: 3 });

test('sameCanonical agrees with comparing canonical texts, on unrelated values', () => {
  fc.assert(
    fc.property(value, value, (a, b) => {
      expect(sameCanonical(a, b)).toBe(canonical(a) === canonical(b));
    }),
    { numRuns: 2000 },
  );
});

test('sameCanonical agrees with comparing canonical texts, on copies with keys reordered or dates as text', () => {
  fc.assert(
    fc.property(value, fc.boolean(), (a, asText) => {
      const b = asText ? JSON.parse(JSON.stringify(a) ?? 'null') : shuffled(a);
      expect(sameCanonical(a, b)).toBe(canonical(a) === canonical(b));
      expect(sameCanonical(a, b)).toBe(asText ? canonical(a) === canonical(b) : true);
    }),
    { numRuns: 2000 },
  );
});

test('sameCanonical tells members that differ in one nested field or a date', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  const m = { stage: 'active', lifecycle: { paidOrders: [{ key: 'pos:1', paidAt: at, paidFen: 100 }] }, x: undefined };
  expect(
    sameCanonical(m, { lifecycle: { paidOrders: [{ paidFen: 100, paidAt: at, key: 'pos:1' }] }, stage: 'active' }),
  ).toBe(true);
  expect(
    sameCanonical(m, { ...m, lifecycle: { paidOrders: [{ key: 'pos:1', paidAt: new Date(1), paidFen: 100 }] } }),
  ).toBe(false);
  expect(sameCanonical(m, { ...m, extra: null })).toBe(false);
});
