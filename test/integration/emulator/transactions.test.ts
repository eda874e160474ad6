import type { Emulator } from '../../../emulator/emulator';
import { inTransaction, isTransactionConflict, type Tx } from '../../../server/db/transaction';
import type { Database } from '../../../server/runtime/cloud';
import { bareEmulator } from '../../support/emulator';
import { connectSdk } from '../../support/sdk';

/**
 * Transactions as CloudBase gives them, through the real SDK: snapshot reads, a write-write
 * conflict answered at the conflicting write (the SDK does not rerun it), a commit conflict (the
 * SDK reruns it), finished transactions refused; and the product's inTransaction rerunning both.
 */
interface SdkTx {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: { bal: number } }>;
      update(o: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
      set(o: { data: Record<string, unknown> }): Promise<unknown>;
      remove(): Promise<unknown>;
    };
    where(q: Record<string, unknown>): { get(): Promise<{ data: { _id: string; bal: number }[] }> };
    add(o: { data: Record<string, unknown> }): Promise<unknown>;
  };
  commit(): Promise<unknown>;
  rollback(reason?: unknown): Promise<unknown>;
}
type SdkCollection = ReturnType<SdkTx['collection']> & { add(o: { data: unknown }): Promise<unknown> };
interface Sdk {
  collection(name: string): SdkCollection;
  createCollection(name: string): Promise<unknown>;
  startTransaction(): Promise<SdkTx>;
  runTransaction<T>(cb: (t: SdkTx) => Promise<T>, times?: number): Promise<T>;
  command: { inc(n: number): unknown };
}

let emu: Emulator;
let db: Sdk;

beforeAll(async () => {
  emu = await bareEmulator();
  db = connectSdk(emu).db as Sdk;
  await db.createCollection('acct');
});
afterAll(() => emu.close());

const balance = async (id: string) => (await db.collection('acct').doc(id).get()).data.bal;
const seed = (docs: { _id: string; bal: number }[]) => db.collection('acct').add({ data: docs });
const product = () => db as unknown as Database;

test('a transfer commits both sides; a rolled-back callback leaves nothing applied', async () => {
  await seed([
    { _id: 'a', bal: 100 },
    { _id: 'b', bal: 0 },
  ]);
  const transfer = (amount: number) =>
    db.runTransaction(async (t) => {
      const from = (await t.collection('acct').doc('a').get()).data;
      if (from.bal < amount) await t.rollback('insufficient');
      await t
        .collection('acct')
        .doc('a')
        .update({ data: { bal: db.command.inc(-amount) } });
      await t
        .collection('acct')
        .doc('b')
        .update({ data: { bal: db.command.inc(amount) } });
      return from.bal - amount;
    });
  await expect(transfer(30)).resolves.toBe(70);
  await expect(transfer(500)).rejects.toBe('insufficient');
  expect([await balance('a'), await balance('b')]).toEqual([70, 30]);
});

test('reads inside a transaction see its own writes; others see them only after commit', async () => {
  await seed([{ _id: 'iso', bal: 1 }]);
  const t = await db.startTransaction();
  await t
    .collection('acct')
    .doc('iso')
    .update({ data: { bal: 2 } });
  await t.collection('acct').add({ data: { _id: 'iso-new', bal: 5 } });
  expect((await t.collection('acct').doc('iso').get()).data.bal).toBe(2);
  expect(await balance('iso')).toBe(1);
  await t.commit();
  expect([await balance('iso'), await balance('iso-new')]).toEqual([2, 5]);
});

test('snapshot reads: writes committed after the transaction began are not seen inside it', async () => {
  await seed([
    { _id: 'snap-1', bal: 10 },
    { _id: 'snap-2', bal: 20 },
  ]);
  const t = await db.startTransaction();
  await db
    .collection('acct')
    .doc('snap-1')
    .update({ data: { bal: 11 } });
  await db.collection('acct').add({ data: { _id: 'snap-3', bal: 30 } });
  await db.collection('acct').doc('snap-2').remove();
  const other = await db.startTransaction();
  await other
    .collection('acct')
    .doc('snap-1')
    .update({ data: { bal: 12 } });
  await other.commit();

  expect((await t.collection('acct').doc('snap-1').get()).data.bal).toBe(10);
  expect((await t.collection('acct').doc('snap-2').get()).data.bal).toBe(20);
  const listed = (
    await t
      .collection('acct')
      .where({ _id: /^snap-/ })
      .get()
  ).data;
  expect(listed.map((d) => [d._id, d.bal]).sort()).toEqual([
    ['snap-1', 10],
    ['snap-2', 20],
  ]);
  await t.commit();
  expect(await balance('snap-1')).toBe(12);
});

test('a query in a transaction over a collection nothing wrote since its start lists what a plain read lists; then its own writes', async () => {
  await db.createCollection('quiet');
  const quiet = db.collection('quiet') as unknown as SdkCollection;
  const at = new Date('2026-01-02T03:04:05.000Z');
  await quiet.add({
    data: [
      { _id: 'q-1', bal: 1, at },
      { _id: 'q-2', bal: 2, at },
    ],
  });
  const outside = (await quiet.where({ bal: 1 }).get()).data;
  const t = await db.startTransaction();
  const inside = (await t.collection('quiet').where({ bal: 1 }).get()).data;
  expect(inside).toEqual(outside);
  expect((inside[0] as unknown as { at: unknown }).at).toBeInstanceOf(Date);
  await t
    .collection('quiet')
    .doc('q-2')
    .update({ data: { bal: 1 } });
  const mine = (await t.collection('quiet').where({ bal: 1 }).get()).data;
  expect(mine.map((d) => d._id).sort()).toEqual(['q-1', 'q-2']);
  await t.commit();
});

test('conflict at the write: the second transaction’s update fails and it is aborted; the first commits', async () => {
  await seed([{ _id: 'ww', bal: 0 }]);
  const first = await db.startTransaction();
  const second = await db.startTransaction();
  await first
    .collection('acct')
    .doc('ww')
    .update({ data: { bal: 1 } });
  const failed = second
    .collection('acct')
    .doc('ww')
    .update({ data: { bal: 2 } });
  const atTheWrite = { errCode: -501001, message: expect.stringContaining('DATABASE_TRANSACTION_CONFLICT') };
  await expect(failed).rejects.toMatchObject(atTheWrite);
  await first.commit();
  expect(await balance('ww')).toBe(1);
  // the aborted one is finished: using it again is refused
  await expect(second.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
});

test('a write to a document changed after the snapshot conflicts, even with no transaction holding it', async () => {
  await seed([{ _id: 'stale', bal: 5 }]);
  const t = await db.startTransaction();
  const seen = (await t.collection('acct').doc('stale').get()).data.bal;
  await db
    .collection('acct')
    .doc('stale')
    .update({ data: { bal: db.command.inc(1) } });
  const write = t
    .collection('acct')
    .doc('stale')
    .update({ data: { bal: seen + 1 } });
  await expect(write).rejects.toMatchObject({ errCode: -501001 });
  expect(await balance('stale')).toBe(6);
});

test('a finished transaction used again answers DATABASE_TRANSACTION_FAIL', async () => {
  await seed([{ _id: 'done', bal: 1 }]);
  const t = await db.startTransaction();
  await t
    .collection('acct')
    .doc('done')
    .update({ data: { bal: 2 } });
  await t.commit();
  await expect(t.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_FAIL' });
  const finished = { message: expect.stringContaining('DATABASE_TRANSACTION_FAIL') };
  await expect(t.collection('acct').doc('done').get()).rejects.toMatchObject(finished);
  const aborted = await db.startTransaction();
  await aborted.rollback();
  await expect(
    aborted
      .collection('acct')
      .doc('done')
      .update({ data: { bal: 3 } }),
  ).rejects.toMatchObject(finished);
  expect(await balance('done')).toBe(2);
});

/** A callback that, on its first run only, lets another transaction write the document first. */
function raced(id: string) {
  const calls = { n: 0 };
  const work = async (t: SdkTx | Tx) => {
    const tx = t as SdkTx;
    calls.n++;
    const cur = (await tx.collection('acct').doc(id).get()).data.bal;
    if (calls.n === 1) {
      const rival = await db.startTransaction();
      await rival
        .collection('acct')
        .doc(id)
        .update({ data: { bal: db.command.inc(100) } });
      await rival.commit();
    }
    await tx
      .collection('acct')
      .doc(id)
      .update({ data: { bal: cur + 1 } });
    return cur + 1;
  };
  return { calls, work };
}

test('the SDK does not rerun a conflict answered inside the callback; inTransaction does', async () => {
  await seed([
    { _id: 'rerun-sdk', bal: 0 },
    { _id: 'rerun-product', bal: 0 },
  ]);
  const bySdk = raced('rerun-sdk');
  await expect(db.runTransaction(bySdk.work)).rejects.toMatchObject({ errCode: -501001 });
  expect(bySdk.calls.n).toBe(1);
  expect(await balance('rerun-sdk')).toBe(100);

  const byProduct = raced('rerun-product');
  await expect(inTransaction(product(), byProduct.work)).resolves.toBe(101);
  expect(byProduct.calls.n).toBe(2);
  expect(await balance('rerun-product')).toBe(101);
});

test('a conflict answered to the commit is rerun (by the SDK when asked, and by inTransaction)', async () => {
  await seed([{ _id: 'late', bal: 0 }]);
  let calls = 0;
  const work = async (t: SdkTx | Tx) => {
    const tx = t as SdkTx;
    calls++;
    const cur = (await tx.collection('acct').doc('late').get()).data.bal;
    await tx
      .collection('acct')
      .doc('late')
      .update({ data: { bal: cur + 1 } });
    // a plain write does not wait for the transaction: its commit finds the document changed
    if (calls === 1)
      await db
        .collection('acct')
        .doc('late')
        .update({ data: { bal: db.command.inc(10) } });
  };
  await db.runTransaction(work);
  expect(calls).toBe(2);
  expect(await balance('late')).toBe(11);
  calls = 0;
  await inTransaction(product(), work);
  expect(calls).toBe(2);
  expect(await balance('late')).toBe(22);
});

test('a conflict is recognised by the commit’s code or by a -501001 message naming it; nothing else is', () => {
  expect(isTransactionConflict({ code: 'DATABASE_TRANSACTION_CONFLICT', message: 'x' })).toBe(true);
  const inCallback =
    'document.update:fail -501001 resource system error. [DATABASE_TRANSACTION_CONFLICT] transaction conflict';
  expect(isTransactionConflict({ errCode: -501001, message: inCallback })).toBe(true);
  expect(isTransactionConflict({ errCode: -501001, message: 'resource system error. WriteConflict' })).toBe(true);
  expect(isTransactionConflict({ errCode: -501001, message: 'resource system error. 500 Internal Server Error' })).toBe(
    false,
  );
  expect(isTransactionConflict({ errCode: -502001, message: 'E11000 duplicate key, transaction conflict' })).toBe(
    false,
  );
  expect(
    isTransactionConflict({ code: 'DATABASE_TRANSACTION_FAIL', message: 'transaction has already committed' }),
  ).toBe(false);
  expect(isTransactionConflict(null)).toBe(false);
});

test('after its last attempt inTransaction throws CONFLICT with a retry message', async () => {
  await seed([{ _id: 'always', bal: 0 }]);
  const work = async (t: Tx) => {
    const cur = (await t.collection('acct').doc('always').get()).data!.bal as number;
    await db
      .collection('acct')
      .doc('always')
      .update({ data: { bal: db.command.inc(1) } });
    await t
      .collection('acct')
      .doc('always')
      .update({ data: { bal: cur + 1 } });
  };
  const policy = { attempts: 3, budgetMs: 2000, baseDelayMs: 1, maxDelayMs: 5 };
  const gaveUp = { code: 'CONFLICT', message: expect.stringContaining('retry'), details: { attempts: 3 } };
  await expect(inTransaction(product(), work, policy)).rejects.toMatchObject(gaveUp);
  expect(await balance('always')).toBe(3);
});

test('50 parallel read-modify-writes of one counter: the SDK alone loses some, inTransaction none', async () => {
  await seed([
    { _id: 'hot-sdk', bal: 0 },
    { _id: 'hot', bal: 0 },
  ]);
  const bump = (id: string) => async (t: SdkTx | Tx) => {
    const tx = t as SdkTx;
    const cur = (await tx.collection('acct').doc(id).get()).data.bal;
    await tx
      .collection('acct')
      .doc(id)
      .update({ data: { bal: cur + 1 } });
  };
  const bare = await Promise.allSettled(Array.from({ length: 50 }, () => db.runTransaction(bump('hot-sdk'))));
  const bareOk = bare.filter((r) => r.status === 'fulfilled').length;
  expect(bareOk).toBeLessThan(50);
  expect(await balance('hot-sdk')).toBe(bareOk);

  const before = { ...emu.db.transactions.stats };
  // 50 contenders on one document: the backoff must spread them over more than 50 transactions' time
  const policy = { attempts: 200, budgetMs: 60_000, baseDelayMs: 2, maxDelayMs: 500 };
  const runs = await Promise.allSettled(
    Array.from({ length: 50 }, () => inTransaction(product(), bump('hot'), policy)),
  );
  expect(runs.filter((r) => r.status === 'rejected')).toEqual([]);
  expect(await balance('hot')).toBe(50);
  const s = emu.db.transactions.stats;
  expect(s.committed - before.committed).toBe(50);
  expect(s.conflictsAtWrite - before.conflictsAtWrite).toBeGreaterThan(0);
});

test('transactions writing two documents in opposite orders neither hang nor lose a write', async () => {
  await seed([
    { _id: 'x', bal: 0 },
    { _id: 'y', bal: 0 },
  ]);
  const both = (first: string, second: string) =>
    inTransaction(
      product(),
      async (t) => {
        const a = (await t.collection('acct').doc(first).get()).data!.bal as number;
        const b = (await t.collection('acct').doc(second).get()).data!.bal as number;
        await t
          .collection('acct')
          .doc(first)
          .update({ data: { bal: a + 1 } });
        await t
          .collection('acct')
          .doc(second)
          .update({ data: { bal: b + 1 } });
      },
      { attempts: 60, budgetMs: 60_000, baseDelayMs: 2, maxDelayMs: 50 },
    );
  const runs = await Promise.allSettled(
    Array.from({ length: 20 }, (_v, i) => (i % 2 ? both('x', 'y') : both('y', 'x'))),
  );
  expect(runs.filter((r) => r.status === 'rejected')).toEqual([]);
  expect([await balance('x'), await balance('y')]).toEqual([20, 20]);
});
