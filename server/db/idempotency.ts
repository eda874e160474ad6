import type { Tx } from './transaction';

/**
 * Runs `work` once per key inside the caller's transaction: a retry with the same key returns the
 * first result. The key is the document id, so two concurrent first attempts serialise on it.
 */
export async function once<T>(
  tx: Tx,
  key: string,
  now: Date,
  work: () => Promise<T>,
): Promise<{ result: T; replayed: boolean }> {
  const ref = tx.collection('idempotency').doc(key);
  const seen = await ref.get();
  if (seen.data) return { result: seen.data.result as T, replayed: true };
  const result = await work();
  await ref.set({
    data: { result: result === undefined ? null : (result as unknown as Record<string, unknown>), at: now },
  });
  return { result, replayed: false };
}
