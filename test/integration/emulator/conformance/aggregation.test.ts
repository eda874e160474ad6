import type { Emulator } from '../../../../emulator/emulator';
import { bareEmulator } from '../../../support/emulator';
import { connectSdk } from '../../../support/sdk';

/**
 * Conformance with Tencent's CloudBase database suites, aggregation.test.ts and the group, set,
 * conditional and literal cases of command.test.ts (docs/emulator-conformance.md): pipeline stages
 * and accumulators through the real wx-server-sdk.
 */
let emu: Emulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
let db: any, _: any, $: any;

const articles = [
  { _id: '1', author: 'stark', score: 80, tags: ['a', 'b'], profile: { name: 'Tony' } },
  { _id: '2', author: 'stark', score: 60, tags: ['b'], profile: { name: 'Tony' } },
  { _id: '3', author: 'bob', score: 90, tags: [], profile: { name: 'Bob' } },
  { _id: '4', author: 'li', score: 55, profile: { name: 'Li' } },
];
const students = [
  { _id: 's1', group: 'a', score: 84 },
  { _id: 's2', group: 'a', score: 96 },
  { _id: 's3', group: 'b', score: 80 },
  { _id: 's4', group: 'b', score: 100 },
];

const run = async (coll: string, build: (a: unknown) => { end(): Promise<{ list: unknown[] }> }) =>
  (await build(db.collection(coll).aggregate()).end()).list;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's aggregate typings lack the stages these cases chain
type Agg = any;

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _, $ } = connectSdk(emu));
  await db.createCollection('articles');
  await db.collection('articles').add({ data: articles });
  await db.createCollection('students');
  await db.collection('students').add({ data: students });
});
afterAll(() => emu.close());

test('aggregation.test.ts: sample sample', async () => {
  expect(await run('articles', (a: Agg) => a.sample({ size: 1 }))).toHaveLength(1);
});

test('aggregation.test.ts: sortByCount 统计基础类型 / 解构数组类型', async () => {
  expect(await run('articles', (a: Agg) => a.sortByCount('$author').limit(1))).toEqual([{ _id: 'stark', count: 2 }]);
  const tags = await run('articles', (a: Agg) => a.unwind('$tags').sortByCount('$tags'));
  expect(tags).toEqual([
    { _id: 'b', count: 2 },
    { _id: 'a', count: 1 },
  ]);
});

test('aggregation.test.ts: match 匹配 / 匹配 操作符 / 计数', async () => {
  const ids = (q: unknown) => run('articles', (a: Agg) => a.match(q).project({ _id: 1 }));
  expect(await ids({ author: 'stark' })).toEqual([{ _id: '1' }, { _id: '2' }]);
  expect(await ids({ score: _.gt(70).and(_.lt(90)) })).toEqual([{ _id: '1' }]);
  expect(await run('articles', (a: Agg) => a.match({ score: _.gt(58) }).count('n'))).toEqual([{ n: 3 }]);
});

test('aggregation.test.ts: match 匹配 字段 or 逻辑', async () => {
  const either = _.or([{ score: _.gt(85) }, { author: 'li' }]);
  const r = await run('articles', (a: Agg) => a.match(either).project({ _id: 1 }));
  expect(r).toEqual([{ _id: '3' }, { _id: '4' }]);
});

test('aggregation.test.ts: project 指定包含某些字段 / 去除输出中的 _id 字段', async () => {
  expect((await run('articles', (a: Agg) => a.project({ author: 1 })))[0]).toEqual({ _id: '1', author: 'stark' });
  expect((await run('articles', (a: Agg) => a.project({ _id: 0, author: 1 })))[0]).toEqual({ author: 'stark' });
});

test('aggregation.test.ts: project 加入计算出的新字段 / 加入新的数组字段', async () => {
  const spec = { _id: 0, double: $.multiply(['$score', 2]), pair: ['$author', '$score'] };
  const r = await run('articles', (a: Agg) => a.project(spec));
  expect(r[0]).toEqual({ double: 160, pair: ['stark', 80] });
});

test('aggregation.test.ts: replaceRoot 使用已有字段作为根节点 / 使用计算出的新字段作为根节点', async () => {
  expect((await run('articles', (a: Agg) => a.replaceRoot({ newRoot: '$profile' })))[0]).toEqual({ name: 'Tony' });
  const computed = await run('articles', (a: Agg) => a.replaceRoot({ newRoot: { full: $.concat(['$author', '!']) } }));
  expect(computed[2]).toEqual({ full: 'bob!' });
});

test('aggregation.test.ts: skip 跳过一定数量的文档 / sort 根据已有字段排序', async () => {
  const r = await run('articles', (a: Agg) => a.sort({ score: -1 }).skip(1).project({ _id: 1 }));
  expect(r).toEqual([{ _id: '1' }, { _id: '2' }, { _id: '4' }]);
});

test('aggregation.test.ts: unwind 解构 / 解构后，保留原数组索引 / 保留空值', async () => {
  expect(await run('articles', (a: Agg) => a.unwind('$tags'))).toHaveLength(3);
  const withIndex = { path: '$tags', includeArrayIndex: 'i' };
  const indexed = await run('articles', (a: Agg) => a.unwind(withIndex).project({ _id: 0, i: 1 }));
  expect(indexed).toEqual([{ i: 0 }, { i: 1 }, { i: 0 }]);
  const keepEmpty = { path: '$tags', preserveNullAndEmptyArrays: true };
  expect(await run('articles', (a: Agg) => a.unwind(keepEmpty))).toHaveLength(5);
});

test('command.test.ts: group操作符 push / max / min / last / first / avg', async () => {
  const r = await run('students', (a: Agg) =>
    a
      .group({
        _id: '$group',
        all: $.push('$score'),
        max: $.max('$score'),
        min: $.min('$score'),
        last: $.last('$score'),
        first: $.first('$score'),
        avg: $.avg('$score'),
      })
      .sort({ _id: 1 }),
  );
  expect(r).toEqual([
    { _id: 'a', all: [84, 96], max: 96, min: 84, last: 96, first: 84, avg: 90 },
    { _id: 'b', all: [80, 100], max: 100, min: 80, last: 100, first: 80, avg: 90 },
  ]);
});

test('command.test.ts: group操作符 addToSet 非数组字段 / 数组字段', async () => {
  const spec = { _id: null, authors: $.addToSet('$author'), tagSets: $.addToSet('$tags') };
  const r = await run('articles', (a: Agg) => a.group(spec));
  const [got] = r as { authors: string[]; tagSets: string[][] }[];
  expect([...got!.authors].sort()).toEqual(['bob', 'li', 'stark']);
  // the document without tags adds nothing (MongoDB leaves out missing values)
  expect(got!.tagSets).toHaveLength(3);
});

test('command.test.ts: stdDevPop 计算不同组的标准差 / stdDevSamp 计算标准样本偏差', async () => {
  const spec = { _id: '$group', pop: $.stdDevPop('$score'), samp: $.stdDevSamp('$score') };
  const r = await run('students', (a: Agg) => a.group(spec).sort({ _id: 1 }));
  expect(r).toEqual([
    { _id: 'a', pop: 6, samp: Math.sqrt(72) },
    { _id: 'b', pop: 10, samp: Math.sqrt(200) },
  ]);
});

test('command.test.ts: sum 参数为单独字段 / 参数为字段列表', async () => {
  const total = await run('students', (a: Agg) => a.group({ _id: null, total: $.sum('$score') }));
  expect(total).toEqual([{ _id: null, total: 360 }]);
  const listed = await run('students', (a: Agg) => a.project({ _id: 0, s: $.sum(['$score', 1]) }).limit(1));
  expect(listed).toEqual([{ s: 85 }]);
});

test('command.test.ts: let 参数为单独字段', async () => {
  const doubled = $.let({ vars: { s: '$score' }, in: $.multiply(['$$s', 2]) });
  const r = await run('students', (a: Agg) => a.project({ _id: 0, doubled }).limit(1));
  expect(r).toEqual([{ doubled: 168 }]);
});

test('command.test.ts: 条件操作符 cond / ifNull / switch', async () => {
  const r = await run('articles', (a: Agg) =>
    a.project({
      _id: 0,
      pass: $.cond({ if: $.gte(['$score', 60]), then: 'yes', else: 'no' }),
      tags: $.ifNull(['$tags', 'none']),
      band: $.switch({ branches: [{ case: $.gte(['$score', 85]), then: 'A' }], default: 'B' }),
    }),
  );
  expect(r[3]).toEqual({ pass: 'no', tags: 'none', band: 'B' });
  expect(r[2]).toEqual({ pass: 'yes', tags: [], band: 'A' });
});

test('command.test.ts: 字面量操作符 以字面量的形式使用$ / 投影一个字段，对应的值为1', async () => {
  const spec = { _id: 0, price: $.literal('$1'), one: $.literal(1) };
  const r = await run('students', (a: Agg) => a.project(spec).limit(1));
  expect(r).toEqual([{ price: '$1', one: 1 }]);
});

test('command.test.ts: mergeObjects 在group中使用 / 在group以外使用', async () => {
  const merged = { _id: '$author', p: $.mergeObjects('$profile') };
  const grouped = await run('articles', (a: Agg) => a.match({ author: 'stark' }).group(merged));
  expect(grouped).toEqual([{ _id: 'stark', p: { name: 'Tony' } }]);
  const m = $.mergeObjects(['$profile', { s: '$score' }]);
  const flat = await run('articles', (a: Agg) => a.project({ _id: 0, m }).limit(1));
  expect(flat).toEqual([{ m: { name: 'Tony', s: 80 } }]);
});

test('command.test.ts: 集合操作 allElementsTrue / anyElementTrue', async () => {
  const spec = { _id: 0, all: $.allElementsTrue([[1, 0]]), any: $.anyElementTrue([[1, 0]]) };
  const r = await run('students', (a: Agg) => a.project(spec).limit(1));
  expect(r).toEqual([{ all: false, any: true }]);
});

test('command.test.ts: 集合操作2 setDifference / setEquals / setIntersection / setIsSubset / setUnion', async () => {
  const x = [1, 2, 3];
  const y = [2, 3, 4];
  const r = await run('students', (a: Agg) =>
    a
      .project({
        _id: 0,
        d: $.setDifference([x, y]),
        e: $.setEquals([x, [3, 2, 1]]),
        i: $.setIntersection([x, y]),
        s: $.setIsSubset([[2], x]),
        u: $.setUnion([x, y]),
      })
      .limit(1),
  );
  const [got] = r as { d: number[]; e: boolean; i: number[]; s: boolean; u: number[] }[];
  const seen = [got!.d, got!.e, [...got!.i].sort(), got!.s, [...got!.u].sort()];
  expect(seen).toEqual([[1], true, [2, 3], true, [1, 2, 3, 4]]);
});
