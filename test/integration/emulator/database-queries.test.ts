import type { Emulator } from '../../../emulator/emulator';
import { bareEmulator } from '../../support/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';

/**
 * Emulator conformance, queries: the real wx-server-sdk against the emulator, every query form
 * the SDK can send, checked against what MongoDB returns for this small fixed collection.
 */
let emu: Emulator;
let db: Sdk['db'], _: Sdk['_'];

const products = [
  {
    _id: 'p1',
    name: 'Qipao Classic',
    price: 1200,
    qty: 3,
    tags: ['silk', 'red'],
    sizes: [
      { s: 'M', n: 2 },
      { s: 'L', n: 0 },
    ],
    meta: { season: 'spring', year: 2024 },
    at: new Date('2026-01-01T00:00:00Z'),
  },
  {
    _id: 'p2',
    name: 'qipao mini',
    price: 899.5,
    qty: 0,
    tags: ['cotton'],
    sizes: [{ s: 'S', n: 5 }],
    meta: { season: 'summer', year: 2025 },
    at: new Date('2026-02-01T00:00:00Z'),
  },
  {
    _id: 'p3',
    name: 'Scarf',
    price: 199,
    qty: 10,
    tags: ['silk', 'blue'],
    sizes: [],
    meta: { season: 'winter', year: 2025 },
    at: new Date('2026-03-01T00:00:00Z'),
  },
  {
    _id: 'p4',
    name: 'Fan',
    price: 59,
    qty: 7,
    tags: [],
    meta: { season: 'summer', year: 2023 },
    at: new Date('2026-04-01T00:00:00Z'),
    discontinued: true,
  },
];

const ids = (r: { data: { _id: string }[] }) => r.data.map((d) => d._id);

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _ } = connectSdk(emu));
  await db.createCollection('products');
  await db.collection('products').add({ data: products });
});
afterAll(() => emu.close());

test('doc().get() returns the document with dates and numbers intact', async () => {
  const { data } = await db.collection('products').doc('p2').get();
  expect(data).toEqual(products[1]);
  expect(data.at).toBeInstanceOf(Date);
});

test('a missing document throws like the platform, and resolves null with throwOnNotFound:false', async () => {
  await expect(db.collection('products').doc('nope').get()).rejects.toMatchObject({ errCode: -1 });
});

test.each([
  ['equality on a field', { name: 'Scarf' }, ['p3']],
  ['array contains', { tags: 'silk' }, ['p1', 'p3']],
  ['dot path from a nested object', { meta: { season: 'summer' } }, ['p2', 'p4']],
  ['date equality', { at: new Date('2026-03-01T00:00:00Z') }, ['p3']],
])('where: %s', async (_name, query, expected) => {
  expect(ids(await db.collection('products').where(query).get())).toEqual(expected);
});

test('comparison and set commands: gt gte lt lte eq neq in nin', async () => {
  const c = db.collection('products');
  expect(ids(await c.where({ price: _.gt(199) }).get())).toEqual(['p1', 'p2']);
  expect(ids(await c.where({ price: _.gte(199) }).get())).toEqual(['p1', 'p2', 'p3']);
  expect(ids(await c.where({ qty: _.lt(3) }).get())).toEqual(['p2']);
  expect(ids(await c.where({ qty: _.lte(3) }).get())).toEqual(['p1', 'p2']);
  expect(ids(await c.where({ qty: _.eq(7) }).get())).toEqual(['p4']);
  expect(ids(await c.where({ qty: _.neq(7) }).get())).toEqual(['p1', 'p2', 'p3']);
  expect(ids(await c.where({ _id: _.in(['p4', 'p2', 'zz']) }).get())).toEqual(['p2', 'p4']);
  expect(ids(await c.where({ name: _.nin(['Fan', 'Scarf']) }).get())).toEqual(['p1', 'p2']);
});

test('logical commands: and (chained), or, nor, not, and across fields', async () => {
  const c = db.collection('products');
  expect(ids(await c.where({ price: _.gt(50).and(_.lt(200)) }).get())).toEqual(['p3', 'p4']);
  expect(ids(await c.where({ qty: _.lt(1).or(_.gt(9)) }).get())).toEqual(['p2', 'p3']);
  expect(ids(await c.where(_.or([{ name: 'Fan' }, { tags: 'cotton' }])).get())).toEqual(['p2', 'p4']);
  expect(ids(await c.where(_.and([{ tags: 'silk' }, { qty: _.gt(5) }])).get())).toEqual(['p3']);
  expect(ids(await c.where(_.nor([{ tags: 'silk' }, { qty: 0 }])).get())).toEqual(['p4']);
  expect(ids(await c.where({ qty: _.not(_.gt(3)) }).get())).toEqual(['p1', 'p2']);
});

test('element and array commands: exists, size, all, elemMatch, mod', async () => {
  const c = db.collection('products');
  expect(ids(await c.where({ discontinued: _.exists(true) }).get())).toEqual(['p4']);
  expect(ids(await c.where({ sizes: _.exists(false) }).get())).toEqual(['p4']);
  expect(ids(await c.where({ tags: _.size(2) }).get())).toEqual(['p1', 'p3']);
  expect(ids(await c.where({ tags: _.all(['silk', 'red']) }).get())).toEqual(['p1']);
  expect(ids(await c.where({ sizes: _.elemMatch({ s: 'M', n: _.gt(0) }) }).get())).toEqual(['p1']);
  expect(ids(await c.where({ sizes: _.elemMatch({ s: 'L', n: _.gt(0) }) }).get())).toEqual([]);
  expect(ids(await c.where({ qty: _.mod(5, 0) }).get())).toEqual(['p2', 'p3']);
});

test('regular expressions, from db.RegExp and from a JS RegExp', async () => {
  const c = db.collection('products');
  expect(ids(await c.where({ name: db.RegExp({ regexp: '^qipao', options: 'i' }) }).get())).toEqual(['p1', 'p2']);
  expect(ids(await c.where({ name: /^qipao/ }).get())).toEqual(['p2']);
});

test('orderBy on several fields, skip, limit and field projection', async () => {
  const c = db.collection('products');
  const byYearThenPrice = await c.orderBy('meta.year', 'desc').orderBy('price', 'asc').get();
  expect(ids(byYearThenPrice)).toEqual(['p3', 'p2', 'p1', 'p4']);
  const page = await c.orderBy('price', 'desc').skip(1).limit(2).field({ name: true, price: true }).get();
  expect(page.data).toEqual([
    { _id: 'p2', name: 'qipao mini', price: 899.5 },
    { _id: 'p3', name: 'Scarf', price: 199 },
  ]);
  const excluded = await c.where({ _id: 'p4' }).field({ tags: false, meta: false, sizes: false, at: false }).get();
  expect(excluded.data).toEqual([{ _id: 'p4', name: 'Fan', price: 59, qty: 7, discontinued: true }]);
});

test('count with and without conditions', async () => {
  const c = db.collection('products');
  expect((await c.count()).total).toBe(4);
  expect((await c.where({ tags: 'silk' }).count()).total).toBe(2);
});

test('server reads: 100 by default, at most 1000, and the SDK caps larger limits at 1000', async () => {
  await db.createCollection('many');
  const rows = Array.from({ length: 1100 }, (_v, i) => ({ _id: `r${String(i).padStart(4, '0')}`, i }));
  for (let i = 0; i < rows.length; i += 500) await db.collection('many').add({ data: rows.slice(i, i + 500) });
  expect((await db.collection('many').get()).data).toHaveLength(100);
  expect((await db.collection('many').limit(5000).get()).data).toHaveLength(1000);
  const last = await db
    .collection('many')
    .where({ _id: _.gt('r1090') })
    .get();
  expect(last.data.map((d: { i: number }) => d.i)).toEqual([1091, 1092, 1093, 1094, 1095, 1096, 1097, 1098, 1099]);
});

test('a missing collection fails with the platform error code', async () => {
  await expect(db.collection('nope').get()).rejects.toMatchObject({ errCode: -502005 });
  await expect(db.createCollection('products')).rejects.toMatchObject({ code: 'DATABASE_COLLECTION_ALREADY_EXIST' });
});

test('without orderBy documents come back in insertion order; orderBy _id sorts them', async () => {
  await db.createCollection('arrivals');
  for (const id of ['c', 'a', 'b']) await db.collection('arrivals').add({ data: { _id: id, k: 'x' } });
  expect(ids(await db.collection('arrivals').where({}).get())).toEqual(['c', 'a', 'b']);
  expect(ids(await db.collection('arrivals').where({ k: 'x' }).limit(2).get())).toEqual(['c', 'a']);
  expect(
    ids(
      await db
        .collection('arrivals')
        .where({ _id: _.in(['a', 'b', 'c']) })
        .get(),
    ),
  ).toEqual(['c', 'a', 'b']);
  expect(ids(await db.collection('arrivals').orderBy('_id', 'asc').get())).toEqual(['a', 'b', 'c']);
  await db
    .collection('arrivals')
    .doc('c')
    .update({ data: { k: 'y' } });
  expect(ids(await db.collection('arrivals').get())).toEqual(['c', 'a', 'b']);
});
