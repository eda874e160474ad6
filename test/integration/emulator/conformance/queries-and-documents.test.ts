import type { Emulator } from '../../../../emulator/emulator';
import { bareEmulator } from '../../../support/emulator';
import { connectSdk } from '../../../support/sdk';

/**
 * Conformance with Tencent's CloudBase database suites (docs/emulator-conformance.md): regex,
 * projection, order, limits, dates and server dates, lookup pipelines, geo points, the `$`-field
 * refusal and what a finished transaction answers, through the real wx-server-sdk.
 */
let emu: Emulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
let db: any, _: any, $: any;

const passages = [
  { _id: 'a', category: 'Web', tags: ['JavaScript', 'C#'] },
  { _id: 'b', category: 'Web', tags: ['Go', 'C#'] },
  { _id: 'c', category: 'Life', tags: ['Go', 'Python', 'JavaScript'] },
];

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _, $ } = connectSdk(emu));
  for (const name of ['passages', 'passages2']) {
    await db.createCollection(name);
    await db.collection(name).add({ data: passages });
  }
});
afterAll(() => emu.close());

test('regex-query.test.ts: 正则表达式查询 Document - CRUD', async () => {
  const c = db.collection('passages');
  await c.add({ data: { _id: 'r', name: 'AbCdEfxxxxxxxxxxxxxx1234结尾', name2: 'fffffffffffffffffff' } });
  const rx = () => db.RegExp({ regexp: '^abcdef.*\\d+结尾$', options: 'i' });
  const ids = async (q: unknown) => (await c.where(q).get()).data.map((d: { _id: string }) => d._id);
  expect(await ids({ name: /^abcdef.*\d+结尾$/i })).toEqual(['r']);
  expect(await ids({ name: rx(), name2: /fff/ })).toEqual(['r']);
  expect(await ids(_.or({ name: rx(), name2: db.RegExp({ regexp: 'fffffff', options: 'i' }) }))).toEqual(['r']);
  expect(await ids({ name: _.or(rx(), db.RegExp({ regexp: 'nothing' })) })).toEqual(['r']);
  await c.doc('r').remove();
});

test('projection.test.ts: projection slice', async () => {
  const { data } = await db
    .collection('passages')
    .field({ tags: _.project.slice(1) })
    .get();
  expect(data.map((d: { tags: string[] }) => d.tags)).toEqual([['JavaScript'], ['Go'], ['Go']]);
});

test('projection.test.ts: projection projection true false / 1 0', async () => {
  const shown = (await db.collection('passages').field({ category: true }).get()).data[0];
  expect(shown).toEqual({ _id: 'a', category: 'Web' });
  const hidden = (await db.collection('passages').field({ category: 0 }).get()).data[0];
  expect(hidden).toEqual({ _id: 'a', tags: ['JavaScript', 'C#'] });
});

test('order.test.ts: 正则表达式查询 Document - OrderBy', async () => {
  const { data } = await db.collection('passages').orderBy('category', 'asc').orderBy('_id', 'desc').get();
  expect(data.map((d: { _id: string }) => d._id)).toEqual(['c', 'b', 'a']);
});

test('logic-operators.test.ts: 逻辑操作符 验证多字段or', async () => {
  const { data } = await db
    .collection('passages')
    .where(_.or([{ category: 'Life' }, { tags: 'C#', _id: 'a' }]))
    .get();
  expect(data.map((d: { _id: string }) => d._id)).toEqual(['a', 'c']);
});

test('lookup-pipeline.test.ts: projection lookup', async () => {
  const { list } = await db
    .collection('passages')
    .aggregate()
    .lookup({ from: 'passages2', localField: 'category', foreignField: 'category', as: 'docs' })
    .end();
  expect(list.map((d: { docs: unknown[] }) => d.docs.length)).toEqual([2, 2, 1]);
});

test('lookup-pipeline.test.ts: projection lookup with pipeline', async () => {
  const pipeline = $.pipeline().match({ category: 'Web' }).done();
  const lookup = { from: 'passages2', pipeline, as: 'docs' };
  const { list } = await db.collection('passages').aggregate().lookup(lookup).end();
  expect(list.map((d: { docs: unknown[] }) => d.docs.length)).toEqual([2, 2, 2]);
});

test('query.limit.test.ts: query with limit 1000 / > 1000 / < 1000 / default 100', async () => {
  await db.createCollection('many');
  await db.collection('many').add({ data: Array.from({ length: 1001 }, (_x, i) => ({ i })) });
  const size = async (limit?: number) => {
    const q = db.collection('many');
    return (await (limit === undefined ? q : q.limit(limit)).get()).data.length;
  };
  expect([await size(1000), await size(999), await size()]).toEqual([1000, 999, 100]);
  expect(await size(1001)).toBe(1000);
});

test('date.test.ts: Date类型 Document - CRUD (server dates and their offsets)', async () => {
  const offset = 60 * 1000;
  const date = new Date('2026-01-02T03:04:05.678Z');
  const c = db.collection('passages');
  const doc = {
    _id: 'd',
    date,
    serverDate1: db.serverDate(),
    serverDate2: db.serverDate({ offset }),
    innerServerDate: [db.serverDate({ offset })],
    emptyArray: [],
    emptyObject: {},
    foo: { bar: db.serverDate({ offset }) },
  };
  await c.add({ data: doc });
  const {
    data: [got],
  } = await c.where({ _id: 'd' }).get();
  expect(got.date).toEqual(date);
  expect(got.serverDate2.getTime() - got.serverDate1.getTime()).toBe(offset);
  expect(got.foo.bar).toEqual(got.serverDate2);
  expect(got.innerServerDate).toEqual([got.serverDate2]);
  expect([got.emptyArray, got.emptyObject]).toEqual([[], {}]);
  expect((await c.where({ date: _.lte(date).and(_.gte(date)) }).get()).data).toHaveLength(1);
  await c.where({ date: _.eq(date) }).update({ data: { serverDate2: db.serverDate({ offset: 3600 * 1000 }) } });
  const {
    data: [after],
  } = await c.where({ _id: 'd' }).get();
  expect(after.serverDate2.getTime() - after.serverDate1.getTime()).toBeGreaterThanOrEqual(3600 * 1000);
  await c.doc('d').remove();
});

test('query-date.test.ts: query date 直接匹配 / eq / gte', async () => {
  const c = db.collection('passages');
  const at = (iso: string) => new Date(iso);
  await c.add({
    data: [
      { _id: 'q1', at: at('2020-01-01T00:00:00Z') },
      { _id: 'q2', at: at('2021-01-01T00:00:00Z') },
    ],
  });
  const ids = async (q: unknown) => (await c.where(q).get()).data.map((d: { _id: string }) => d._id);
  expect(await ids({ at: new Date('2020-01-01T00:00:00Z') })).toEqual(['q1']);
  expect(await ids({ at: _.eq(new Date('2021-01-01T00:00:00Z')) })).toEqual(['q2']);
  expect(await ids({ at: _.gte(new Date('2020-06-01T00:00:00Z')) })).toEqual(['q2']);
  await c.where({ _id: _.in(['q1', 'q2']) }).remove();
});

test('geo.test.ts: GEO类型 GEO Point - CRUD', async () => {
  const c = db.collection('passages');
  const point = new db.Geo.Point(-180, 20);
  await c.add({ data: { _id: 'g', point, pointArr: [point, point] } });
  const {
    data: [got],
  } = await c.where({ _id: 'g' }).get();
  expect(got.point.constructor.name).toBe('Point');
  expect([got.point.longitude, got.point.latitude]).toEqual([-180, 20]);
  expect(got.pointArr).toHaveLength(2);
  await c.doc('g').remove();
});

test('index.test.ts: 验证throwOnCode (a $-prefixed field is refused with DATABASE_REQUEST_FAILED)', async () => {
  await expect(db.collection('passages').add({ data: { $_key: 1 } })).rejects.toMatchObject({ errCode: -502001 });
  expect((await db.collection('passages').count()).total).toBe(3);
});

test('transaction.test.ts: transaction 事务提交后, 不能进行其它操作', async () => {
  const t = await db.startTransaction();
  await t.collection('passages').doc('a').get();
  await t.commit();
  await expect(t.collection('passages').doc('a').get()).rejects.toThrow(/DATABASE_TRANSACTION_FAIL/);
});
