import type { Emulator } from '../../../../emulator/emulator';
import { bareEmulator } from '../../../support/emulator';
import { connectSdk, refill, type Sdk } from '../../../support/sdk';

/**
 * Conformance with Tencent's CloudBase database suites, advanced-operator.test.ts (the cases and
 * the commit they come from: docs/emulator-conformance.md): array and element operators through
 * the real wx-server-sdk. Each test starts from the same small collection.
 */
let emu: Emulator;
let db: Sdk['db'], _: Sdk['_'];
const coll = 'conf-advanced-operator';

const data = [
  { _id: 'web1', category: 'Web', tags: ['JavaScript', 'C#'], tags2: [1, 2, 3] },
  { _id: 'web2', category: 'Web', tags: ['Go', 'C#'], tags2: [1, 2, 3] },
  { _id: 'luke', category: 'luke', tags: ['Go'] },
  { _id: 'life', category: 'Life', tags: ['Go', 'Python', 'JavaScript'], tags2: [1, 2, 3] },
  { _id: 'number', category: 'number', tags: [1, 2, 3, 4, 5, 6, 7, 8, 9], tags2: [1, 2, 3] },
  { _id: 'embedded', category: 'embedded', tags: [{ value: 1 }, { value: 7 }], tags2: [1, 2, 3] },
  { _id: 'float', category: 'float', tags: ['Go', 'Python', 'JavaScript'], index: 0.2 },
];

const categories = (r: { data: { category: string }[] }) => r.data.map((d) => d.category);
const where = async (q: unknown) => categories(await db.collection(coll).where(q).get());
const update = async (category: string, patch: unknown) => {
  const r = await db.collection(coll).where({ category }).update({ data: patch });
  const { data: docs } = await db.collection(coll).where({ category }).get();
  return { updated: r.stats.updated, doc: docs[0] };
};

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _ } = connectSdk(emu));
  await db.createCollection(coll);
});
beforeEach(() => refill(db, coll, data));
afterAll(() => emu.close());

test('advanced-operator.test.ts: operator addToSet', async () => {
  const { updated, doc } = await update('Life', { tags: _.addToSet('Java') });
  expect(updated).toBe(1);
  expect(doc.tags).toContain('Java');
});

test('advanced-operator.test.ts: operator pullAll', async () => {
  expect((await update('Life', { tags: _.pullAll(['Go']) })).doc.tags).toEqual(['Python', 'JavaScript']);
});

test('advanced-operator.test.ts: pull pull', async () => {
  expect((await update('Life', { tags: _.pull('Go') })).doc.tags).toEqual(['Python', 'JavaScript']);
});

test('advanced-operator.test.ts: pull pull with _.in', async () => {
  expect((await update('Life', { tags: _.pull(_.in(['Go', 'Python'])) })).doc.tags).toEqual(['JavaScript']);
});

test('advanced-operator.test.ts: pull pull多个字段', async () => {
  const { doc } = await update('Life', { tags: _.pull(_.in(['Go', 'Python'])), tags2: _.pull(1) });
  expect([doc.tags, doc.tags2]).toEqual([['JavaScript'], [2, 3]]);
});

test('advanced-operator.test.ts: pull pull with _.gte', async () => {
  expect((await update('number', { tags: _.pull(_.gte(5)) })).doc.tags).toEqual([1, 2, 3, 4]);
});

test('advanced-operator.test.ts: all all', async () => {
  expect(await where({ tags: _.all(['Go']) })).toHaveLength(4);
});

test('advanced-operator.test.ts: elemMatch Element Match', async () => {
  expect(await where({ tags: _.elemMatch(_.gt(2)) })).toEqual(['number']);
});

test('advanced-operator.test.ts: elemMatch Element Match neq', async () => {
  expect(await where({ tags: _.elemMatch(_.neq('Go')) })).not.toContain('luke');
});

test('advanced-operator.test.ts: elemMatch Array of Embedded Documents', async () => {
  // field conditions reach only elements that are documents, never plain values
  expect(await where({ tags: _.elemMatch({ value: _.gt(0) }) })).toEqual(['embedded']);
});

test('advanced-operator.test.ts: size size', async () => {
  expect(await where({ tags: _.size(2) })).toHaveLength(3);
});

test('advanced-operator.test.ts: exists exists', async () => {
  expect(await where({ tags: _.exists(true) })).toHaveLength(data.length);
});

test('advanced-operator.test.ts: exists Array of Embedded Documents', async () => {
  expect(await where({ tags: _.elemMatch({ value: _.exists(true) }) })).toEqual(['embedded']);
});

test('advanced-operator.test.ts: mod Array of Embedded Documents', async () => {
  expect(await where({ tags: _.elemMatch({ value: _.mod([4, 3]) }) })).toEqual(['embedded']);
});

test('advanced-operator.test.ts: mod - mp compatibility Array of Embedded Documents', async () => {
  expect(await where({ tags: _.elemMatch({ value: _.mod(4, 3) }) })).toEqual(['embedded']);
});

test('advanced-operator.test.ts: rename rename', async () => {
  const { doc } = await update('Life', { tags: _.rename('langs') });
  expect(doc.tags).toBeUndefined();
  expect(doc.langs).toEqual(['Go', 'Python', 'JavaScript']);
});

test('advanced-operator.test.ts: max max / min', async () => {
  expect((await update('Web', { tags2: _.max(5) })).doc.tags2).toBe(5);
  expect((await update('Web', { tags2: _.min(1) })).doc.tags2).toBe(1);
});

test('advanced-operator.test.ts: push push array / single item / multiple item / with options', async () => {
  expect((await update('luke', { tags: _.push(['a', 'b']) })).doc.tags).toEqual(['Go', 'a', 'b']);
  expect((await update('luke', { tags: _.push('c') })).doc.tags).toEqual(['Go', 'a', 'b', 'c']);
  const opts = { each: ['z', 'y'], position: 1, slice: 4, sort: undefined };
  expect((await update('luke', { tags: _.push(opts) })).doc.tags).toEqual(['Go', 'z', 'y', 'a']);
});

test('advanced-operator.test.ts: not match with gt', async () => {
  expect(await where({ tags2: _.not(_.size(3)) })).toEqual(['luke', 'float']);
});

test('advanced-operator.test.ts: expr with gte', async () => {
  const $ = _.aggregate;
  expect(await where(_.expr($.gte([$.size('$tags'), 3])))).toEqual(['Life', 'number', 'float']);
});

test('advanced-operator.test.ts: 浮点数inc 浮点数inc', async () => {
  expect((await update('float', { index: _.inc(0.1) })).doc.index).toBeCloseTo(0.3, 10);
});
