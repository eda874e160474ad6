import { sideBySide } from '../../../server/db/transaction';

/** Independent database calls side by side: every call settles before a failure is thrown, and which one is thrown. */
const later = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failLater = (ms: number, error: unknown) =>
  new Promise<never>((_resolve, reject) => setTimeout(() => reject(error), ms));
const conflict = Object.assign(new Error('[DATABASE_TRANSACTION_CONFLICT] transaction conflict'), {
  errCode: -501001,
});

test('answers every value in argument order', async () => {
  await expect(sideBySide([later(5, 'a'), 1, later(1, { b: 2 })] as const)).resolves.toEqual(['a', 1, { b: 2 }]);
});

test('waits for the slowest call before it throws, so no call of a transaction is still out', async () => {
  let slowDone = false;
  const slow = later(30, 'slow').then((v) => ((slowDone = true), v));
  await expect(sideBySide([failLater(1, new Error('first')), slow] as const)).rejects.toThrow('first');
  expect(slowDone).toBe(true);
});

test('throws the failure of the first call in argument order, as calls made one after another would', async () => {
  const p = sideBySide([failLater(20, new Error('who')), failLater(1, new Error('what'))] as const);
  await expect(p).rejects.toThrow('who');
});

test('a transaction conflict wins over other failures, so the transaction is rerun', async () => {
  const used = new Error('[DATABASE_TRANSACTION_FAIL] transaction has already aborted');
  await expect(sideBySide([failLater(5, used), failLater(1, conflict)] as const)).rejects.toBe(conflict);
});
