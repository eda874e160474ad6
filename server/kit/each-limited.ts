import pLimit from 'p-limit';

/** Runs `work` over `items` with at most `n` in flight; the first failure rejects (the others still finish). */
export async function eachLimited<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  const limit = pLimit(Math.max(1, n));
  await Promise.all(items.map((item) => limit(() => work(item))));
}
