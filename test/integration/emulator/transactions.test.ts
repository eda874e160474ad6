import type { Emulator } from '../../../emulator/emulator';
import { bareEmulator } from '../../support/emulator';
import { connectSdk } from '../../support/sdk';

/** Transactions through db.runTransaction and db.startTransaction, with the SDK's own retry rule. */
let emu: Emulator;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let db: any, _: any;

beforeAll(async () => {
  emu = await bareEmulator();
  ({ db, _ } = connectSdk(emu));
  await db.createCollection('acct');
});
afterAll(() => emu.close());

const balance = async (id: string) => (await db.collection('acct').doc(id).get()).data.bal;

test('a transfer commits both sides; a failing callback leaves nothing applied', async () => {
  await db.collection('acct').add({ data: [{ _id: 'a', bal: 100 }, { _id: 'b', bal: 0 }] });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const transfer = (amount: number) => db.runTransaction(async (t: any) => {
    const from = (await t.collection('acct').doc('a').get()).data;
    if (from.bal < amount) await t.rollback('insufficient');
    await t.collection('acct').doc('a').update({ data: { bal: _.inc(-amount) } });
    await t.collection('acct').doc('b').update({ data: { bal: _.inc(amount) } });
    return from.bal - amount;
  });
  await expect(transfer(30)).resolves.toBe(70);
  await expect(transfer(500)).rejects.toBe('insufficient');
  expect([await balance('a'), await balance('b')]).toEqual([70, 30]);
});

test('reads inside a transaction see its own writes; others see them only after commit', async () => {
  await db.collection('acct').add({ data: { _id: 'iso', bal: 1 } });
  const t = await db.startTransaction();
  await t.collection('acct').doc('iso').update({ data: { bal: 2 } });
  await t.collection('acct').add({ data: { _id: 'iso-new', bal: 5 } });
  expect((await t.collection('acct').doc('iso').get()).data.bal).toBe(2);
  expect(await balance('iso')).toBe(1);
  expect((await db.collection('acct').where({ _id: 'iso-new' }).count()).total).toBe(0);
  await t.commit();
  expect(await balance('iso')).toBe(2);
  expect(await balance('iso-new')).toBe(5);
});

test('an aborted transaction applies nothing', async () => {
  await db.collection('acct').add({ data: { _id: 'ab', bal: 1 } });
  const t = await db.startTransaction();
  await t.collection('acct').doc('ab').update({ data: { bal: 99 } });
  await t.collection('acct').doc('ab-new').set({ data: { bal: 1 } });
  await t.rollback();
  expect(await balance('ab')).toBe(1);
  expect((await db.collection('acct').doc('ab-new').get().catch(() => ({ data: null }))).data).toBeNull();
});

test('a write made outside the transaction after its read makes the commit conflict', async () => {
  await db.collection('acct').add({ data: { _id: 'cf', bal: 10 } });
  const t = await db.startTransaction();
  const seen = (await t.collection('acct').doc('cf').get()).data.bal;
  await db.collection('acct').doc('cf').update({ data: { bal: _.inc(5) } });
  await t.collection('acct').doc('cf').update({ data: { bal: seen + 1 } });
  await expect(t.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_CONFLICT' });
  expect(await balance('cf')).toBe(15);
});

test('100 parallel read-modify-write transactions on one counter: exact', async () => {
  await db.collection('acct').add({ data: { _id: 'hot', bal: 0 } });
  const one = () =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    db.runTransaction(async (t: any) => {
      const cur = (await t.collection('acct').doc('hot').get()).data.bal;
      await t.collection('acct').doc('hot').update({ data: { bal: cur + 1 } });
    });
  const results = await Promise.allSettled(Array.from({ length: 100 }, one));
  expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  expect(await balance('hot')).toBe(100);
});

test('transactions locking two documents in opposite orders do not hang and stay exact', async () => {
  await db.collection('acct').add({ data: [{ _id: 'x', bal: 0 }, { _id: 'y', bal: 0 }] });
  const both = (first: string, second: string) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    db.runTransaction(async (t: any) => {
      const a = (await t.collection('acct').doc(first).get()).data.bal;
      const b = (await t.collection('acct').doc(second).get()).data.bal;
      await t.collection('acct').doc(first).update({ data: { bal: a + 1 } });
      await t.collection('acct').doc(second).update({ data: { bal: b + 1 } });
    });
  const runs = await Promise.allSettled(Array.from({ length: 20 }, (_v, i) => (i % 2 ? both('x', 'y') : both('y', 'x'))));
  const committed = runs.filter((r) => r.status === 'fulfilled').length;
  expect(committed).toBeGreaterThan(0);
  expect(await balance('x')).toBe(committed);
  expect(await balance('y')).toBe(committed);
});
