import type { Emulator } from '../../../../emulator/emulator';
import { bareEmulator } from '../../../support/emulator';
import { connectSdk, refill, type Sdk } from '../../../support/sdk';

/**
 * Conformance with Tencent's CloudBase database suites, transaction.test.ts (docs/emulator-conformance.md):
 * transactions through the real wx-server-sdk. Each test starts from the same two documents.
 */
let emu: Emulator;
let db: Sdk['db'], _: Sdk['_'], lenient: Sdk['db'];
const coll = 'conf-transactions';
const date = new Date('2026-03-04T05:06:07.000Z');
const data = [
  { _id: '1', category: 'Web', tags: ['JavaScript', 'C#'], date },
  { _id: '2', category: 'Web', tags: ['Go', 'C#'] },
];
const read = async (id: string) => (await db.collection(coll).where({ _id: id }).get()).data[0];

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _ } = connectSdk(emu));
  // the service answers a missing document with null; wx-server-sdk throws for it unless told not to
  lenient = connectSdk(emu, { throwOnNotFound: false }).db;
  await db.createCollection(coll);
});
beforeEach(() => refill(db, coll, data));
afterAll(() => emu.close());

test('transaction.test.ts: transaction 发起事务 / 提交事务 / get', async () => {
  const t = await db.startTransaction();
  expect((await t.collection(coll).doc('1').get()).data).toEqual(data[0]);
  await expect(t.commit()).resolves.toBeDefined();
});

test('transaction.test.ts: transaction get不存在的文档，返回null', async () => {
  const t = await lenient.startTransaction();
  expect((await t.collection(coll).doc('114514').get()).data).toBeNull();
  await t.commit();
});

test('transaction.test.ts: transaction insert / insert with custom docid', async () => {
  const t = await db.startTransaction();
  const generated = await t.collection(coll).add({ data: { category: 'Web' } });
  const custom = await t.collection(coll).add({ data: { _id: 'mine', category: 'Web' } });
  expect(custom._id ?? custom.id).toBe('mine');
  await t.collection(coll).doc('mine').remove();
  await t.commit();
  expect(await read(generated._id ?? generated.id)).toMatchObject({ category: 'Web' });
  expect(await read('mine')).toBeUndefined();
});

test('transaction.test.ts: transaction 事务回滚', async () => {
  const t = await db.startTransaction();
  await t
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'rolled back' } });
  await t.rollback();
  expect((await read('1')).category).toBe('Web');
});

test('transaction.test.ts: transaction update / set doc', async () => {
  const t = await db.startTransaction();
  const updated = await t
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'Node.js' } });
  expect(updated.stats.updated).toBe(1);
  await t
    .collection(coll)
    .doc('2')
    .set({ data: { category: 'Set' } });
  expect((await t.collection(coll).doc('2').get()).data).toEqual({ _id: '2', category: 'Set' });
  await t.commit();
  expect([(await read('1')).category, await read('2')]).toEqual(['Node.js', { _id: '2', category: 'Set' }]);
});

test('transaction.test.ts: transaction upsert doc', async () => {
  const t = await db.startTransaction();
  await t
    .collection(coll)
    .doc('114514')
    .set({ data: { category: 'Node.js', date } });
  expect((await t.collection(coll).doc('114514').get()).data).toEqual({ _id: '114514', category: 'Node.js', date });
  await t.rollback();
  expect(await read('114514')).toBeUndefined();
});

test('transaction.test.ts: transaction delete doc / delete doc and abort', async () => {
  const t = await lenient.startTransaction();
  expect((await t.collection(coll).doc('2').remove()).stats.removed).toBe(1);
  expect((await t.collection(coll).doc('2').get()).data).toBeNull();
  await t.rollback();
  expect(await read('2')).toEqual(data[1]);
});

test('transaction.test.ts: transaction runTransaction with customResult', async () => {
  type Tx = { collection(c: string): { doc(id: string): { get(): Promise<unknown> } } };
  expect(
    await db.runTransaction(async (t: Tx) => {
      await t.collection(coll).doc('1').get();
      return 'luke';
    }),
  ).toBe('luke');
});

test('transaction.test.ts: transaction rollback within runTransaction', async () => {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings give the transaction handle as any
  const run = db.runTransaction(async (t: any) => {
    await t
      .collection(coll)
      .doc('1')
      .update({ data: { category: 'never' } });
    await t.rollback('luke');
  });
  await expect(run).rejects.toBe('luke');
  expect((await read('1')).category).toBe('Web');
});

test('transaction.test.ts: transaction 冲突检测', async () => {
  const t1 = await db.startTransaction();
  const t2 = await db.startTransaction();
  await t1.collection(coll).doc('1').get();
  await t2
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'first' } });
  const second = t1
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'second' } });
  await expect(second).rejects.toThrow(/DATABASE_TRANSACTION_CONFLICT/);
  await t2.commit();
  expect((await read('1')).category).toBe('first');
});

test('transaction.test.ts: transaction 读快照', async () => {
  const t = await db.startTransaction();
  await t
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'update in transaction' } });
  expect((await read('1')).category).toBe('Web');
  expect((await t.collection(coll).doc('1').get()).data.category).toBe('update in transaction');
  await t.commit();
});

test('transaction.test.ts: transaction 读偏', async () => {
  const t = await db.startTransaction();
  await t.collection(coll).doc('1').get();
  await db
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'changed outside' } });
  const inside = t
    .collection(coll)
    .doc('1')
    .update({ data: { category: 'inside' } });
  await expect(inside).rejects.toThrow(/DATABASE_TRANSACTION_CONFLICT/);
});
