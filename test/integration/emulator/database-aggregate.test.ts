import type { Emulator } from '../../../emulator/emulator';
import { bareEmulator } from '../../support/emulator';
import { connectSdk } from '../../support/sdk';

/** Emulator conformance, aggregation: the stages CloudBase supports, through the SDK's aggregate(). */
let emu: Emulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
let db: any, _: any, $: any;

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _, $ } = connectSdk(emu));
  await db.createCollection('orders');
  await db.createCollection('users');
  await db.collection('users').add({
    data: [
      { _id: 'u1', name: 'Nancy' },
      { _id: 'u2', name: 'Lizzy' },
    ],
  });
  await db.collection('orders').add({
    data: [
      { _id: 'o1', user: 'u1', amount: 100, items: ['a', 'b'], at: new Date('2026-01-05T00:00:00Z') },
      { _id: 'o2', user: 'u1', amount: 300, items: ['c'], at: new Date('2026-02-05T00:00:00Z') },
      { _id: 'o3', user: 'u2', amount: 50, items: [], at: new Date('2026-02-06T00:00:00Z') },
    ],
  });
});
afterAll(() => emu.close());

test('match, group with accumulators, sort, limit', async () => {
  const { list } = await db
    .collection('orders')
    .aggregate()
    .match({ amount: _.gt(10) })
    .group({
      _id: '$user',
      total: $.sum('$amount'),
      avg: $.avg('$amount'),
      max: $.max('$amount'),
      n: $.sum(1),
      ids: $.push('$_id'),
    })
    .sort({ total: -1 })
    .limit(10)
    .end();
  expect(list).toEqual([
    { _id: 'u1', total: 400, avg: 200, max: 300, n: 2, ids: ['o1', 'o2'] },
    { _id: 'u2', total: 50, avg: 50, max: 50, n: 1, ids: ['o3'] },
  ]);
});

test('lookup, unwind, project with expressions, skip', async () => {
  const { list } = await db
    .collection('orders')
    .aggregate()
    .lookup({ from: 'users', localField: 'user', foreignField: '_id', as: 'userInfo' })
    .unwind('$items')
    .project({ _id: 0, item: '$items', name: $.arrayElemAt(['$userInfo.name', 0]), dbl: $.multiply(['$amount', 2]) })
    .skip(1)
    .end();
  expect(list).toEqual([
    { item: 'b', name: 'Nancy', dbl: 200 },
    { item: 'c', name: 'Nancy', dbl: 600 },
  ]);
});

test('lookup by an array of ids, by a missing field (joins documents without it) and with a projection of the joined', async () => {
  await db.createCollection('teams');
  await db.collection('teams').add({
    data: [{ _id: 't1', members: ['u1', 'u2'] }, { _id: 't2', members: ['u2', 'nobody'] }, { _id: 't3' }],
  });
  const byIds = await db
    .collection('teams')
    .aggregate()
    .match({ _id: _.in(['t1', 't2']) })
    .lookup({ from: 'users', localField: 'members', foreignField: '_id', as: 'people' })
    .project({ 'people.name': 1 })
    .end();
  expect(byIds.list).toEqual([
    { _id: 't1', people: [{ name: 'Nancy' }, { name: 'Lizzy' }] },
    { _id: 't2', people: [{ name: 'Lizzy' }] },
  ]);
  // a missing local value matches the joined documents that lack the field too (here: none have no _id)
  const missing = await db
    .collection('teams')
    .aggregate()
    .match({ _id: 't3' })
    .lookup({ from: 'orders', localField: 'members', foreignField: 'coupon', as: 'orders' })
    .project({ n: $.size('$orders') })
    .end();
  expect(missing.list).toEqual([{ _id: 't3', n: 3 }]);
});

test('count, bucket, addFields, sortByCount', async () => {
  const c = db.collection('orders');
  expect((await c.aggregate().match({ user: 'u1' }).count('n').end()).list).toEqual([{ n: 2 }]);
  expect(
    (
      await c
        .aggregate()
        .bucket({ groupBy: '$amount', boundaries: [0, 100, 1000], default: 'other', output: { n: $.sum(1) } })
        .end()
    ).list,
  ).toEqual([
    { _id: 0, n: 1 },
    { _id: 100, n: 2 },
  ]);
  expect(
    (
      await c
        .aggregate()
        .match({ _id: 'o2' })
        .addFields({ month: $.month('$at') })
        .project({ month: 1 })
        .end()
    ).list,
  ).toEqual([{ _id: 'o2', month: 2 }]);
  expect((await c.aggregate().sortByCount('$user').end()).list).toEqual([
    { _id: 'u1', count: 2 },
    { _id: 'u2', count: 1 },
  ]);
});
