import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Query } from 'mingo';
import { DocumentStore } from '../../../emulator/db/store';
import { committedView, count, find } from '../../../emulator/db/engine';
import { keyPart } from '../../../emulator/db/indexes';
import { exactCount, plan } from '../../../emulator/db/planner';

/**
 * Index keys sort like their values, so an index answers ranges and orders: the journeys tick's
 * `status = active, nextDueAt ≤ now` by `nextDueAt` reads the due runs, not every active run; and
 * counts whose conditions indexes answer exactly are answered from the indexes alone.
 */
let dir: string;
let store: DocumentStore;
const t0 = Date.UTC(2026, 10, 1);
const at = (minutes: number) => new Date(t0 + minutes * 60_000);
const byteOrder = (a: string, b: string) => Math.sign(Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ranges-'));
  store = new DocumentStore(join(dir, 'db.sqlite'));
  store.declareIndex('runs', { name: 'status_nextDueAt', fields: ['status', 'nextDueAt'] });
  store.declareIndex('runs', { name: 'status', fields: ['status'] });
  store.declareIndex('runs', { name: 'score', fields: ['score'] });
  store.apply(
    Array.from({ length: 400 }, (_v, i) => {
      const id = `r${String((i * 7919) % 400).padStart(4, '0')}`;
      // due times repeat (ties broken by _id), some runs have none, one has a string
      const nextDueAt = i % 13 === 0 ? undefined : i === 5 ? 'soon' : at((i * 37) % 120);
      return {
        coll: 'runs',
        id,
        doc: {
          _id: id,
          status: i % 4 === 0 ? 'ended' : 'active',
          ...(nextDueAt === undefined ? {} : { nextDueAt }),
          ...(i % 9 === 0 ? {} : { score: ((i * 53) % 41) - 20 }),
        },
      };
    }),
  );
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const all = () => find(committedView(store), 'runs', {}, { limit: 10_000 });

test('keys sort like the values: numbers (negative, zero, infinite), dates and strings (escapes, any code point) by type then value', () => {
  const num = fc.oneof(
    fc.double({ noNaN: true }),
    fc.integer().map((n) => n),
    fc.constantFrom(0, -0, Infinity, -Infinity),
  );
  fc.assert(
    fc.property(num, num, (a, b) => expect(byteOrder(keyPart(a), keyPart(b))).toBe(Math.sign(a - b) || 0)),
    { numRuns: 500 },
  );
  const str = fc.string({
    unit: fc.oneof(fc.constantFrom('\u0000', '\u0001', '\u0002', 'a', 'é', '中', '😀', '\uffff')),
    maxLength: 6,
  });
  const codePoints = (s: string) => [...s].map((c) => c.codePointAt(0)!);
  const cmp = (a: number[], b: number[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return Math.sign(a[i]! - b[i]!);
    return Math.sign(a.length - b.length);
  };
  fc.assert(
    fc.property(str, str, (a, b) => expect(byteOrder(keyPart(a), keyPart(b))).toBe(cmp(codePoints(a), codePoints(b)))),
    { numRuns: 500 },
  );
  const ms = fc.integer({ min: -8.64e15, max: 8.64e15 });
  fc.assert(
    fc.property(ms, ms, (a, b) => expect(byteOrder(keyPart(new Date(a)), keyPart(new Date(b)))).toBe(Math.sign(a - b))),
  );
  // types in Mongo's order
  expect(
    [null, -1, 'a', { a: 1 }, [1], false, new Date(0)]
      .map(keyPart)
      .every((k, i, ks) => i === 0 || byteOrder(ks[i - 1]!, k) < 0),
  ).toBe(true);
});

test('a sorted, limited range query reads the index in order and stops after the limit', () => {
  const query = { status: 'active', nextDueAt: { $lte: at(30) } };
  const p = plan(store, 'runs', query, [
    ['nextDueAt', 1],
    ['_id', 1],
  ]);
  expect(p).toMatchObject({ kind: 'range', via: 'status_nextDueAt (range)', serves: true, dir: 1 });
  // documents come with their index entries, a page at a time; only those the read takes are parsed
  const rangeDocs = store.rangeDocs.bind(store);
  let taken = 0;
  const reads = jest.spyOn(store, 'rangeDocs').mockImplementation(function* (...args) {
    for (const doc of rangeDocs(...args)) {
      taken++;
      yield doc;
    }
  });
  const gets = jest.spyOn(store, 'get');
  const page = find(committedView(store), 'runs', query, { order: { nextDueAt: 1, _id: 1 }, limit: 5 });
  const lookups = gets.mock.calls.length;
  reads.mockRestore();
  gets.mockRestore();
  expect(taken).toBe(5);
  expect(lookups).toBe(0);
  const expected = all()
    .filter((d) => d.status === 'active' && d.nextDueAt instanceof Date && d.nextDueAt.getTime() <= at(30).getTime())
    .sort(
      (a, b) =>
        (a.nextDueAt as Date).getTime() - (b.nextDueAt as Date).getTime() || String(a._id).localeCompare(String(b._id)),
    );
  expect(page.map((d) => d._id)).toEqual(expected.slice(0, 5).map((d) => d._id));
});

test('whatever the bounds, direction, limit and offset, a range query answers what filtering every document answers', () => {
  const docs = all();
  const bound = fc.option(fc.record({ m: fc.integer({ min: -5, max: 125 }), inclusive: fc.boolean() }), {
    nil: undefined,
  });
  fc.assert(
    fc.property(
      fc.constantFrom('active', 'ended'),
      bound,
      bound,
      fc.constantFrom<1 | -1>(1, -1),
      fc.boolean(),
      fc.integer({ min: 1, max: 40 }),
      fc.integer({ min: 0, max: 20 }),
      (status, lo, hi, dir, withId, limit, offset) => {
        const cond: Record<string, Date> = {};
        if (lo) cond[lo.inclusive ? '$gte' : '$gt'] = at(lo.m);
        if (hi) cond[hi.inclusive ? '$lte' : '$lt'] = at(hi.m);
        const query = { status, ...(lo || hi ? { nextDueAt: cond } : {}) };
        const order: Record<string, 1 | -1> = withId ? { nextDueAt: dir, _id: dir } : { nextDueAt: dir };
        const got = find(committedView(store), 'runs', query, { order, limit, offset });
        const expected = new Query({})
          .find(docs.filter((d) => new Query(query).test(d)) as Record<string, unknown>[])
          .sort(order)
          .skip(offset)
          .limit(limit)
          .all() as Record<string, unknown>[];
        // ties on nextDueAt alone may come in either _id order: compare the due times, and the ids when _id is ordered too
        expect(got.map((d) => String(d.nextDueAt))).toEqual(expected.map((d) => String(d.nextDueAt)));
        if (withId) expect(got.map((d) => d._id)).toEqual(expected.map((d) => d._id));
      },
    ),
    { numRuns: 150 },
  );
});

test('keyset pagination (`nextDueAt` fixed, `_id` greater) resumes inside the run of equal keys', () => {
  const due = at(37);
  const same = all()
    .filter((d) => d.status === 'active' && d.nextDueAt instanceof Date && d.nextDueAt.getTime() === due.getTime())
    .map((d) => String(d._id))
    .sort();
  expect(same.length).toBeGreaterThan(1);
  const query = { status: 'active', nextDueAt: due, _id: { $gt: same[0]! } };
  expect(plan(store, 'runs', query, [['_id', 1]])).toMatchObject({
    kind: 'range',
    via: 'status_nextDueAt',
    serves: true,
    afterId: same[0],
  });
  expect(find(committedView(store), 'runs', query, { order: { _id: 1 }, limit: 100 }).map((d) => d._id)).toEqual(
    same.slice(1),
  );
});

test('an index that ever held an array is not read as a range (keys per element), and answers stay exact', () => {
  store.declareIndex('lists', { name: 'n', fields: ['n'] });
  store.apply([
    { coll: 'lists', id: 'a', doc: { _id: 'a', n: 3 } },
    { coll: 'lists', id: 'b', doc: { _id: 'b', n: [0, 10] } },
  ]);
  expect(store.specsOf('lists')[0]!.multikey).toBe(true);
  expect(plan(store, 'lists', { n: { $gt: 1, $lt: 5 } })).toMatchObject({ kind: 'scan' });
  // Mongo semantics: one element above 1 and another below 5 match too
  expect(find(committedView(store), 'lists', { n: { $gt: 1, $lt: 5 } }, { limit: 10 }).map((d) => d._id)).toEqual([
    'a',
    'b',
  ]);
  expect(count(committedView(store), 'lists', { n: { $gt: 1, $lt: 5 } })).toBe(2);
});

test('counts of equality, $in, range and $exists conditions come from the indexes alone and equal a filtered count', () => {
  const docs = all();
  const gets = jest.spyOn(store, 'get');
  const scans = jest.spyOn(store, 'scan');
  fc.assert(
    fc.property(
      fc.constantFrom<unknown>('active', 'ended', { $in: ['active', 'ended'] }, { $in: [] }),
      fc.option(fc.record({ lo: fc.integer({ min: -25, max: 25 }), hi: fc.integer({ min: -25, max: 25 }) }), {
        nil: undefined,
      }),
      fc.constantFrom(undefined, true, false),
      (status, score, exists) => {
        const parts: Record<string, unknown>[] = [{ status }];
        if (score) parts.push({ score: { $gte: score.lo, $lt: score.hi } });
        if (exists !== undefined) parts.push({ score: { $exists: exists } });
        const query = { $and: parts };
        const n = exactCount(store, 'runs', query);
        expect(n).toBe(docs.filter((d) => new Query(query).test(d)).length);
      },
    ),
    { numRuns: 80 },
  );
  expect(gets).not.toHaveBeenCalled();
  expect(scans).not.toHaveBeenCalled();
  gets.mockRestore();
  scans.mockRestore();
  // a condition no index answers exactly leaves the count to the documents
  expect(exactCount(store, 'runs', { status: 'active', nextDueAt: { $lte: at(10) } })).toBeNull();
  expect(exactCount(store, 'runs', { $or: [{ status: 'active' }] })).toBeNull();
  expect(exactCount(store, 'runs', { score: { $exists: false } })).toBeNull(); // nothing to subtract from
  // equality on the first field of a compound index without arrays is answered by its prefix
  store.declareIndex('queue', { name: 'state_dueAt', fields: ['state', 'dueAt'] });
  store.apply(
    Array.from({ length: 50 }, (_v, i) => ({
      coll: 'queue',
      id: `q${i}`,
      doc: { _id: `q${i}`, state: i % 3 ? 'pending' : 'sent', ...(i % 4 ? { dueAt: at(i) } : {}) },
    })),
  );
  expect(exactCount(store, 'queue', { state: 'pending' })).toBe(
    Array.from({ length: 50 }, (_v, i) => i).filter((i) => i % 3 !== 0).length,
  );
});

test('a segment preview (held tags by tagId, tier, not deleted, not merged) is counted from indexes and equals a filtered count', () => {
  store.declareIndex('members', { name: 'tags_tagId', fields: ['tags.tagId'] });
  store.declareIndex('members', { name: 'tier', fields: ['tier'] });
  store.declareIndex('members', { name: 'deletedAt', fields: ['deletedAt'] });
  store.declareIndex('members', { name: 'mergedInto', fields: ['mergedInto'] });
  const tiers = ['silver', 'gold', 'platinum'];
  store.apply(
    Array.from({ length: 300 }, (_v, i) => ({
      coll: 'members',
      id: `m${i}`,
      doc: {
        _id: `m${i}`,
        tags:
          i % 5 === 0
            ? []
            : [
                { tagId: i % 3 ? 'hipo' : 'vip', source: 'rule' },
                ...(i % 4 ? [] : [{ tagId: 'hipo', source: 'manual' }]),
              ],
        ...(i % 6 ? { tier: tiers[i % 3] } : {}),
        ...(i % 17 === 0 ? { deletedAt: new Date(0) } : {}),
        ...(i % 23 === 0 ? { mergedInto: 'm1' } : {}),
      },
    })),
  );
  const docs = find(committedView(store), 'members', {}, { limit: 1000 });
  for (const tags of [['hipo'], ['vip'], ['hipo', 'vip'], ['none']]) {
    for (const tier of [['gold'], ['gold', 'silver']]) {
      const query = {
        $and: [
          { $and: [{ 'tags.tagId': { $in: tags } }, { tier: { $in: tier } }] },
          { deletedAt: { $exists: false }, mergedInto: { $exists: false } },
        ],
      };
      const expected = docs.filter((d) => new Query(query).test(d)).length;
      expect(exactCount(store, 'members', query)).toBe(expected);
      expect(count(committedView(store), 'members', query)).toBe(expected);
    }
  }
});

test('a top-level $or whose branches each have an index is read as the union of their plans; one without makes it a scan', () => {
  const query = {
    $or: [
      { status: 'ended', score: { $gt: 10 } },
      { status: 'active', nextDueAt: { $lte: at(5) } },
    ],
  };
  const p = plan(store, 'runs', query);
  expect(p.kind).toBe('union');
  const docs = all();
  const expected = docs
    .filter((d) => new Query(query).test(d))
    .map((d) => d._id)
    .sort();
  expect(expected.length).toBeGreaterThan(0);
  expect(
    find(committedView(store), 'runs', query, { limit: 1000 })
      .map((d) => d._id)
      .sort(),
  ).toEqual(expected);
  expect(find(committedView(store), 'runs', query, { limit: 1000, order: { _id: 1 } }).map((d) => d._id)).toEqual(
    expected,
  );
  expect(plan(store, 'runs', { $or: [{ status: 'ended' }, { nextDueAt: at(3) }] }).kind).toBe('scan');
});

test('several fixed values with a served order read one range each, merged in order (events of some types by time)', () => {
  store.declareIndex('events', { name: 'type_at', fields: ['type', 'at'] });
  const types = ['member.joined', 'order.paid', 'order.refunded', 'oa.scanned'];
  store.apply(
    Array.from({ length: 240 }, (_v, i) => ({
      coll: 'events',
      id: `e${String((i * 31) % 240).padStart(3, '0')}`,
      doc: { _id: `e${String((i * 31) % 240).padStart(3, '0')}`, type: types[i % 4], at: at((i * 7) % 50) },
    })),
  );
  const docs = find(committedView(store), 'events', {}, { limit: 1000 });
  for (const dir of [1, -1] as const) {
    const query = { type: { $in: types.slice(0, 3) }, at: { $gt: at(10), $lte: at(40) } };
    const p = plan(store, 'events', query, [
      ['at', dir],
      ['_id', dir],
    ]);
    expect(p).toMatchObject({ kind: 'range', serves: true });
    expect(p.kind === 'range' && p.ranges.length).toBe(3);
    const got = find(committedView(store), 'events', query, { order: { at: dir, _id: dir }, limit: 25, offset: 5 });
    const expected = new Query({})
      .find(docs.filter((d) => new Query(query).test(d)) as Record<string, unknown>[])
      .sort({ at: dir, _id: dir })
      .skip(5)
      .limit(25)
      .all() as Record<string, unknown>[];
    expect(got.map((d) => d._id)).toEqual(expected.map((d) => d._id));
  }
});
