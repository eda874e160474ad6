import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { signedHeaders } from '../core/signing';
import { devSecret, syncSecretName } from '../server/http/secrets';

/**
 * Samples this process's resident memory every 100 ms after a garbage collection (when node runs with
 * --expose-gc); `stop()` ends the sampling and gives the RSS before and the peak seen, in bytes.
 */
export function watchRss(): { stop: () => { before: number; peak: number } } {
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  return {
    stop: () => {
      clearInterval(timer);
      return { before, peak };
    },
  };
}

/** One measured figure: `npm run bench` prints these as a table and writes them to bench/results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** e.g. ">= 2000" or "<= 5" */
  target: string;
  ok: boolean;
}

export const atLeast = (name: string, value: number, unit: string, min: number): BenchResult => ({
  name,
  value: round(value),
  unit,
  target: `>= ${min}`,
  ok: value >= min,
});
export const atMost = (name: string, value: number, unit: string, max: number): BenchResult => ({
  name,
  value: round(value),
  unit,
  target: `<= ${max}`,
  ok: value <= max,
});
export const exactly = (name: string, value: number, unit: string, want: number): BenchResult => ({
  name,
  value: round(value),
  unit,
  target: `= ${want}`,
  ok: value === want,
});
export const info = (name: string, value: number, unit: string): BenchResult => ({
  name,
  value: round(value),
  unit,
  target: '-',
  ok: true,
});

const round = (v: number) => Math.round(v * 100) / 100;

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `work(i)` for i in [0, total) with at most `concurrency` in flight; returns elapsed ms. */
export async function pool(total: number, concurrency: number, work: (i: number) => Promise<unknown>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) await work(next++);
    }),
  );
  return performance.now() - started;
}

/** Times each call of `work` in sequence: latency samples in ms. */
export async function latencies(count: number, work: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await work(i);
    out.push(performance.now() - t);
  }
  return out;
}

export function report(results: BenchResult[]): void {
  const rows = results.map((r) => [r.ok ? 'ok' : 'MISS', r.name, `${r.value} ${r.unit}`, r.target]);
  const widths = [4, ...[1, 2, 3].map((c) => Math.max(...rows.map((r) => (r[c] as string).length), 6))];
  for (const r of [['', 'benchmark', 'value', 'target'], ...rows])
    console.log(r.map((c, i) => (c as string).padEnd(widths[i] as number)).join('  '));
  writeFileSync(join(__dirname, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote bench/results.json (${results.filter((r) => r.ok).length}/${results.length} within target)`);
}

/** POSTs `body` as JSON to a signed endpoint of the emulator, signed as the POS with its local secret. */
export async function signedPost(url: string, path: string, body: unknown, at: Date): Promise<Response> {
  const text = JSON.stringify(body);
  const parts = { method: 'POST', path, nonce: randomBytes(12).toString('hex'), body: text, at };
  const headers = {
    ...signedHeaders(devSecret(syncSecretName('pos')), 'pos', parts),
    'content-type': 'application/json',
  };
  return fetch(`${url}${path}`, { method: 'POST', headers, body: text });
}

/** Runs the suite when its file is the one node was started with (`tsx bench/<file>`), and prints its figures. */
export function runIfMain(file: string, suite: () => Promise<BenchResult[]>): void {
  if (!process.argv.slice(1, 3).some((a) => a.endsWith(file))) return;
  const fail = (e: unknown) => {
    console.error(e);
    process.exit(1);
  };
  suite().then((r) => {
    console.table(r);
    process.exit(0);
  }, fail);
}
