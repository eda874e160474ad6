import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo/query';
import { DocumentStore } from '../../../emulator/db/store';
import { committedView, count, find } from '../../../emulator/db/engine';
import { compileFilter } from '../../../emulator/db/index-filter';
import { filteredCount } from '../../../emulator/db/planner';
import { emulatorContext } from '../../../emulator/db/operators';

/**
 * Counts and id-ordered pages answered inside SQLite from indexes agree with testing every document:
 * random documents (fields missing, null, scalars, arrays, dates) and random and/or/nor queries of
 * equality, lists, ranges and `$exists`.
 */
let dir: string;
let store: DocumentStore;
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
const ids = Array.from({ length: 400 }, (_v, i) => `d${String(i).padStart(4, '0')}`);
const docs = ids.map((id, i) => {
  const doc: Record<string, unknown> = { _id: id };
  if (i % 5) doc.tier = ['silver', 'gold', 'platinum'][i % 3];
  if (i % 13 === 0) doc.tier = null;
  doc.tags = i % 4 === 0 ? [] : [{ tagId: `t${i % 3}` }, ...(i % 6 === 0 ? [{ tagId: 't9' }] : [])];
  if (i % 7) doc.score = i % 9;
  if (i % 17 === 0) doc.score = 'high';
  doc.seen = day(i % 50);
  doc.paid = i % 3 ? [day(i % 30), day((i * 7) % 60)] : [];
  if (i % 2) doc.optIn = i % 4 === 1;
  return doc;
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'index-filter-'));
  store = new DocumentStore(join(dir, 'db.sqlite'));
  for (const f of ['tier', 'tags.tagId', 'score', 'seen', 'paid', 'optIn'])
    store.declareIndex('m', { name: f.replace('.', '_'), fields: [f] });
  store.apply(docs.map((doc) => ({ coll: 'm', id: String(doc._id), doc })));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const leaf: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  fc.constantFrom('silver', 'gold', 'bronze', null).map((v) => ({ tier: v })),
  fc.subarray(['silver', 'gold', 'platinum', null]).map((v) => ({ tier: { $in: v } })),
  fc.subarray(['silver', 'gold', null], { minLength: 1 }).map((v) => ({ tier: { $nin: v } })),
  fc.constantFrom('gold', null).map((v) => ({ tier: { $ne: v } })),
  fc.subarray(['t0', 't1', 't2', 't9'], { minLength: 1 }).map((v) => ({ 'tags.tagId': { $in: v } })),
  fc.subarray(['t0', 't1', 't9'], { minLength: 1 }).map((v) => ({ 'tags.tagId': { $all: v } })),
  fc.subarray(['t0', 't9'], { minLength: 1 }).map((v) => ({ 'tags.tagId': { $nin: v } })),
  fc
    .tuple(fc.constantFrom('$gt', '$gte', '$lt', '$lte'), fc.integer({ min: -1, max: 10 }))
    .map(([op, v]) => ({ score: { [op]: v } })),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))
    .map(([a, b]) => ({ score: { $gte: a, $lt: b } })),
  fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => ({
    paid: { $gte: day(a), $lt: day(b) },
  })),
  fc.integer({ min: 0, max: 55 }).map((n) => ({ seen: { $gte: day(n) } })),
  fc.boolean().map((v) => ({ optIn: v })),
  fc.boolean().map((v) => ({ optIn: { $ne: v } })),
  fc.boolean().map((v) => ({ score: { $exists: v } })),
  fc.constantFrom('d0100', 'd0250').map((v) => ({ _id: { $gt: v } })),
);
const query: fc.Arbitrary<Record<string, unknown>> = fc.letrec<{ q: Record<string, unknown> }>((tie) => ({
  q: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('q'), { minLength: 1, maxLength: 3 }).map((parts) => ({ $and: parts })),
    fc.array(tie('q'), { minLength: 1, maxLength: 3 }).map((parts) => ({ $or: parts })),
    fc.array(tie('q'), { minLength: 1, maxLength: 2 }).map((parts) => ({ $nor: parts })),
  ),
})).q;

const brute = (q: Record<string, unknown>) => {
  const test = new Query(q, { context: emulatorContext });
  return docs.filter((d) => test.test(d)).map((d) => String(d._id));
};

// each plan: index entries drive with the scalar rows joined, the scalar table read whole, and the default choice
describe.each([
  ['index entries drive', Infinity],
  ['the scalar table is read whole', 0],
  ['the planner chooses', 1 / 32],
])('%s', (_plan, share) => {
  beforeAll(() => {
    store.scanShare = share;
  });
  afterAll(() => {
    store.scanShare = 1 / 32;
  });

  test('an index-answered count equals the count of matching documents', () => {
    fc.assert(
      fc.property(query, (q) => {
        const { exact } = compileFilter(store.specsOf('m'), q);
        expect(exact).toBe(true);
        expect(filteredCount(store, 'm', q)).toBe(brute(q).length);
      }),
      { numRuns: 300 },
    );
  });

  test('a page in _id order holds the first matching documents', () => {
    fc.assert(
      fc.property(query, query, (a, b) => {
        const q = { $and: [a, b] };
        const page = find(committedView(store), 'm', q, { order: { _id: 1 }, limit: 10 });
        expect(page.map((d) => d._id)).toEqual(brute(q).slice(0, 10));
      }),
      { numRuns: 150 },
    );
  });

  test('a query past SQLite limits (500 terms of a union, expressions 1,000 deep) is still answered', () => {
    const wide = { $or: Array.from({ length: 600 }, (_v, i) => ({ 'tags.tagId': `t${i % 12}`, score: i % 9 })) };
    const deep = {
      $and: Array.from({ length: 1100 }, (_v, i) => ({ $or: [{ tier: { $ne: `x${i}` } }, { 'tags.tagId': 't0' }] })),
    };
    for (const q of [wide, deep, { $nor: [wide] }]) expect(filteredCount(store, 'm', q)).toBe(brute(q).length);
    const page = find(committedView(store), 'm', deep, { order: { _id: 1 }, limit: 10 });
    expect(page.map((d) => d._id)).toEqual(brute(deep).slice(0, 10));
  });
});

test('updates and removals keep the scalar table equal to the documents', () => {
  const changed = docs.map((d, i) => {
    if (i % 3 === 0) return { ...d, tier: i % 2 ? 'gold' : null, optIn: !d.optIn };
    if (i % 3 === 1) return Object.fromEntries(Object.entries(d).filter(([k]) => k !== 'score' && k !== 'seen'));
    return d;
  });
  const removed = new Set(ids.filter((_id, i) => i % 11 === 0));
  const other = new DocumentStore(join(dir, 'changed.sqlite'));
  for (const f of ['tier', 'score', 'seen', 'optIn']) other.declareIndex('m', { name: f, fields: [f] });
  other.apply(docs.map((doc) => ({ coll: 'm', id: String(doc._id), doc })));
  other.apply(changed.map((doc) => ({ coll: 'm', id: String(doc._id), doc })));
  other.apply([...removed].map((id) => ({ coll: 'm', id, doc: null })));
  other.scanShare = 0;
  const left = changed.filter((d) => !removed.has(String(d._id)));
  const queries = [
    { tier: 'gold' },
    { tier: null },
    { optIn: { $ne: true } },
    { score: { $exists: false } },
    { $or: [{ score: { $gte: 4 } }, { seen: { $lt: day(10) } }] },
    { $nor: [{ tier: { $in: ['silver', 'platinum'] } }] },
  ];
  for (const q of queries) {
    const test = new Query(q, { context: emulatorContext });
    expect([q, filteredCount(other, 'm', q)]).toEqual([q, left.filter((d) => test.test(d)).length]);
  }
  other.close();
});

test('a condition indexes cannot decide is left to the document test, and the count is still right', () => {
  const q = { $and: [{ tier: 'gold' }, { name: { $regex: '^a' } }] };
  expect(compileFilter(store.specsOf('m'), q).exact).toBe(false);
  expect(filteredCount(store, 'm', q)).toBeNull();
  expect(count(committedView(store), 'm', q)).toBe(brute(q).length);
  // under a `not`, an undecided condition decides nothing: every document stays a candidate
  expect(compileFilter(store.specsOf('m'), { $nor: [q] }).filter).toEqual({ kind: 'all' });
});
