import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../test/support/emulator-process';
import { atLeast, atMost, info, latencies, percentile, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

const phone = (i: number) => `1${String(3_800_000_000 + i).padStart(10, '0')}`;

/** Loads `n` member-like documents through the SDK in batches of 1000 (array inserts). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function load(db: any, coll: string, from: number, to: number): Promise<void> {
  await pool(Math.ceil((to - from) / 1000), 2, async (b) => {
    const start = from + b * 1000;
    const docs = Array.from({ length: Math.min(1000, to - start) }, (_v, k) => {
      const i = start + k;
      return { _id: `m${String(i).padStart(8, '0')}`, phone: phone(i), name: `会员${i}`, points: i % 5000, stage: ['first_time', 'repeat', 'loyal'][i % 3] };
    });
    await db.collection(coll).add({ data: docs });
  });
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function lookupP(db: any, coll: string, size: number, samples: number) {
  const times = await latencies(samples, (i) => db.collection(coll).where({ phone: phone((i * 7919) % size) }).get());
  return { p50: percentile(times, 50), p95: percentile(times, 95) };
}

/** Issue 3: SDK write throughput, indexed lookups at 1k and 1M documents, hot-document transactions. */
export async function emulatorBench(opts: { large: number }): Promise<BenchResult[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'emu-bench-'));
  const index = [{ name: 'phone_unique', fields: ['phone'], unique: true }];
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: '/nonexistent', collections: [{ name: 'writes' }, { name: 'small', indexes: index }, { name: 'large', indexes: index }, { name: 'hot' }] });
  const results: BenchResult[] = [];
  try {
    const { db } = sdkFor(url);
    const writes = 5000;
    const ms = await pool(writes, 32, (i) => db.collection('writes').add({ data: { i, at: new Date(), tags: ['a', 'b'] } }));
    results.push(atLeast('SDK single-document writes', (writes / ms) * 1000, 'writes/s', 2000));

    await load(db, 'small', 0, 1000);
    const small = await lookupP(db, 'small', 1000, 500);
    results.push(info('indexed lookup p50 @1k docs', small.p50, 'ms'));
    results.push(info('indexed lookup p95 @1k docs', small.p95, 'ms'));

    const loadStart = performance.now();
    await load(db, 'large', 0, opts.large);
    results.push(info(`bulk load ${opts.large} docs (SDK, 1000/batch)`, (opts.large / (performance.now() - loadStart)) * 1000, 'docs/s'));
    const large = await lookupP(db, 'large', opts.large, 500);
    results.push(info(`indexed lookup p50 @${opts.large} docs`, large.p50, 'ms'));
    results.push(atMost(`indexed lookup p95 @${opts.large} docs`, large.p95, 'ms', 5));
    results.push(atMost(`lookup p95 ratio ${opts.large}/1k (no scan)`, large.p95 / small.p95, 'x', 3));

    await db.collection('hot').add({ data: { _id: 'counter', n: 0 } });
    const txs = 500;
    const txMs = await pool(txs, 16, () =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      db.runTransaction(async (t: any) => {
        const cur = (await t.collection('hot').doc('counter').get()).data.n;
        await t.collection('hot').doc('counter').update({ data: { n: cur + 1 } });
      }),
    );
    const final = (await db.collection('hot').doc('counter').get()).data.n;
    results.push(info('hot-document transactions (16 in flight)', (txs / txMs) * 1000, 'tx/s'));
    results.push(atLeast('hot-document transactions exact', final === txs ? 1 : 0, 'bool', 1));
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
