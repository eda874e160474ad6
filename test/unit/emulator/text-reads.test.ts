import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DocumentStore } from '../../../emulator/db/store';
import { committedView, find, type FindOptions, type Q } from '../../../emulator/db/engine';
import { findText } from '../../../emulator/db/text-reads';
import { encodeDoc } from '../../../emulator/db/values';

/**
 * Reads that an `_id` scan or one index range decides entirely are answered from the stored text:
 * the same documents, fields and order as the general path (parse, test, project, encode), and the
 * general path keeps every read it does not decide (dates, other fields, exclusions).
 */
let dir: string;
let store: DocumentStore;
const ids = Array.from({ length: 300 }, (_v, i) => `o${String((i * 7919) % 300).padStart(4, '0')}`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'text-reads-'));
  store = new DocumentStore(join(dir, 'db.sqlite'));
  store.declareIndex('orders', { name: 'memberId_createdAt', fields: ['memberId', 'createdAt'] });
  const docs = ids.map((id, i) => ({
    _id: id,
    // some orders of no member, one member id that is a number (a range of strings leaves it out)
    ...(i % 11 === 0 ? {} : { memberId: i === 7 ? 42 : `m${String(i % 37).padStart(3, '0')}` }),
    createdAt: new Date(Date.UTC(2026, 0, 1 + (i % 50))),
    paidFen: i % 3 === 0 ? 0.5 : i * 100,
    items: [{ category: i % 2 ? 'tea' : 'qipao', qty: 1 }],
    note: i % 5 ? null : 'a "quoted" \u00e9 note',
    // documents, arrays and values under dotted paths
    ...(i % 4 === 0
      ? {}
      : {
          nested: {
            a: i % 3 ? { b: i, c: 1 } : 7,
            list: [{ c: 'x', d: 1 }, 3, [{ c: 'y' }], { d: 2 }],
            when: new Date(Date.UTC(2026, 1, 1)),
          },
        }),
  }));
  store.load('orders', docs.slice(0, 150));
  store.apply(docs.slice(150).map((doc) => ({ coll: 'orders', id: doc._id, doc, before: null })));
});
afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const general = (query: Q, opts: FindOptions) => find(committedView(store), 'orders', query, opts).map(encodeDoc);
const text = fc.constantFrom('', 'm', 'm010', 'm020', 'm036', 'o0100', 'o0150', 'o0299', 'z');
const projection = fc.constantFrom<Record<string, 0 | 1> | undefined>(
  undefined,
  {},
  { memberId: 1 },
  { paidFen: 1, note: 1 },
);

test('a read by `_id` range in `_id` order gives from the stored text what the general path gives', () => {
  fc.assert(
    fc.property(
      text,
      text,
      fc.constantFrom('$lt', '$lte'),
      projection,
      fc.integer({ min: 1, max: 120 }),
      (a, b, op, p, limit) => {
        const query = { $and: [{ _id: { $gt: a } }, { _id: { [op]: b } }] };
        const opts = { order: { _id: 1 as const }, limit, ...(p ? { projection: p } : {}) };
        expect(findText(store, 'orders', query, opts)).toEqual(general(query, opts));
      },
    ),
  );
});

test('a read by a range of the first field of an index, in its order, gives from the stored text what the general path gives', () => {
  fc.assert(
    fc.property(text, text, projection, fc.integer({ min: 1, max: 400 }), (a, b, p, limit) => {
      const query = { $and: [{ memberId: { $gt: a } }, { memberId: { $lte: b } }] };
      const opts = { order: { memberId: 1 as const }, limit, ...(p ? { projection: p } : {}) };
      expect(findText(store, 'orders', query, opts)).toEqual(general(query, opts));
    }),
  );
});

test('paths of a projection are cut from the stored text as the general path cuts them', () => {
  const paths = fc.constantFrom<Record<string, 0 | 1>>(
    { 'items.category': 1 },
    { 'items.category': 1, 'items.qty': 1, memberId: 1 },
    { 'createdAt.x': 1, 'note.x': 1, 'items.none': 1 },
    { 'nested.a.b': 1, 'nested.list.c': 1, 'nested.when': 1, _id: 0 },
  );
  fc.assert(
    fc.property(text, paths, fc.integer({ min: 1, max: 120 }), (a, projection, limit) => {
      const query = { _id: { $gt: a } };
      const opts = { order: { _id: 1 as const }, limit, projection };
      const parse = (texts: string[] | null) => texts?.map((t) => JSON.parse(t) as unknown);
      expect(parse(findText(store, 'orders', query, opts))).toEqual(parse(general(query, opts)));
    }),
  );
});

test('reads the stored text does not decide go the general way', () => {
  const limit = 100;
  const byDate = { createdAt: { $gt: new Date(Date.UTC(2026, 0, 10)) } };
  expect(findText(store, 'orders', byDate, { order: { _id: 1 }, limit })).toBeNull();
  const other = { $and: [{ _id: { $gt: 'o0100' } }, { paidFen: 0.5 }] };
  expect(findText(store, 'orders', other, { order: { _id: 1 }, limit })).toBeNull();
  const excluded = { order: { _id: 1 as const }, limit, projection: { note: 0 as const } };
  expect(findText(store, 'orders', { _id: { $gt: 'o0100' } }, excluded)).toBeNull();
  const collision = { order: { _id: 1 as const }, limit, projection: { items: 1 as const, 'items.qty': 1 as const } };
  expect(findText(store, 'orders', { _id: { $gt: 'o0100' } }, collision)).toBeNull();
  expect(findText(store, 'orders', { memberId: { $gt: 'm010' } }, { order: { memberId: -1 }, limit })).toBeNull();
  // without an order, a scan is in insertion order: not the stored text's `_id` order
  expect(findText(store, 'orders', { _id: { $gt: 'o0100' } }, { limit })).toBeNull();
});

test('`_id` descending reads the scan backwards: the last documents first', () => {
  const last = find(committedView(store), 'orders', {}, { order: { _id: -1 }, limit: 3, projection: { _id: 1 } });
  expect(last.map((d) => d._id)).toEqual([...ids].sort().reverse().slice(0, 3));
});
