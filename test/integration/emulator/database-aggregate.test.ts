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
