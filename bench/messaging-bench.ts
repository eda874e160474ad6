import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collections } from '../server/db/schema';
import { FUNCTIONS_DIR, buildFunctions } from '../scripts/build-functions';
import { segmentWhere } from '../server/segments/segments';
import { spawnEmulator } from '../test/support/emulator-process';
import { atLeast, atMost, info, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Db = any;

async function bulk(db: Db, coll: string, total: number, make: (i: number) => Record<string, unknown>): Promise<void> {
  await pool(Math.ceil(total / 1000), 2, async (b) => {
    const docs = Array.from({ length: Math.min(1000, total - b * 1000) }, (_v, k) => make(b * 1000 + k));
    await db.collection(coll).add({ data: docs });
  });
}

async function timer(url: string, trigger: string): Promise<{ ms: number; result: Record<string, unknown> }> {
  const t = performance.now();
  const r = (await (await fetch(`${url}/invoke/messaging`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid: 'o_bench_timer', source: 'timer', data: { Type: 'Timer', TriggerName: trigger, Time: new Date().toISOString() } }) })).json()) as { result?: Record<string, unknown>; errMsg?: string };
  if (!r.result) throw new Error(`${trigger} failed: ${r.errMsg}`);
  return { ms: performance.now() - t, result: r.result };
}

/**
 * Issue 9: dispatch N outbox rows through the emulator's OpenAPI recorder by running the dispatch
 * timer until none is due (resumable: each run goes on where the last stopped); one journeys tick
 * over N waiting runs; a segment preview (count) over the large member collection.
 * BENCH_MESSAGES (default 100,000) and BENCH_LARGE (default 1,000,000) set the sizes.
 */
export async function messagingBench(opts: { messages?: number; large?: number } = {}): Promise<BenchResult[]> {
  const n = opts.messages ?? Number(process.env.BENCH_MESSAGES ?? 100_000);
  const large = opts.large ?? Number(process.env.BENCH_LARGE ?? 1_000_000);
  buildFunctions();
  const { child, url } = await spawnEmulator({ dataDir: mkdtempSync(join(tmpdir(), 'messaging-bench-')), functionsDir: FUNCTIONS_DIR, collections });
  const results: BenchResult[] = [];
  try {
    const { db, _ } = sdkFor(url);
    const past = new Date(Date.now() - 60_000);
    await bulk(db, 'members', 1000, (i) => ({ _id: `bm${i}`, openid: `o_bench_${i}`, oaOpenid: `oa_bench_${i}`, oaFollowing: true }));
    await bulk(db, 'outbox', n, (i) => ({ _id: `bench:${i}`, key: `bench:${i}`, kind: 'message', memberId: `bm${i % 1000}`, channel: 'oa_template', template: 'bench', purpose: 'transactional', data: {}, state: 'pending', reason: null, dueAt: past, attempts: 0, lease: null, leaseUntil: null, createdAt: past, decidedAt: past, sentAt: null }));
    let runs = 0;
    const started = performance.now();
    while ((await db.collection('outbox').where({ state: 'pending' }).count()).total > 0 && runs < 10_000) {
      await timer(url, 'dispatch');
      runs++;
    }
    const ms = performance.now() - started;
    const sent = (await db.collection('outbox').where({ state: 'sent' }).count()).total;
    results.push(atLeast(`dispatch ${n} outbox rows through the OpenAPI recorder`, (sent / ms) * 1000, 'msg/s', 2000));
    results.push(info('dispatch timer runs needed (resumable)', runs, 'runs'));

    const future = new Date(Date.now() + 86_400_000);
    await bulk(db, 'journey_runs', n, (i) => ({ _id: `unpaid-order-reminder:bench${i}`, runId: `unpaid-order-reminder:bench${i}`, journeyId: 'unpaid-order-reminder', memberId: `bm${i % 1000}`, status: 'active', cursor: 'wait-30m', nextDueAt: future, arrivedAt: past, enteredAt: past, trigger: { id: `bench${i}`, type: 'order.created', memberId: `bm${i % 1000}`, at: past }, visits: {}, history: [], evidence: [], endedAt: null, exitReason: null }));
    const tick = await timer(url, 'journeys');
    results.push(atMost(`journey tick over ${n} waiting runs`, tick.ms / 1000, 's', 10));

    const tiers = ['silver', 'gold', 'platinum'];
    await bulk(db, 'members', large, (i) => ({ _id: `seg${i}`, tags: i % 7 === 0 ? ['hipo'] : ['other'], tier: tiers[i % 3], spendFen: (i * 37) % 1_000_000 }));
    const rule = { and: [{ field: 'tags', op: 'hasAny', values: ['hipo'] }, { field: 'tier', op: 'in', values: ['gold'] }] } as const;
    const t = performance.now();
    const count = (await db.collection('members').where(segmentWhere(db, rule as never, new Date(), 'Asia/Shanghai')).count()).total;
    results.push(atMost(`segment preview at ${large} members (${count} match)`, (performance.now() - t) / 1000, 's', 1));
    void _;
  } finally {
    child.kill('SIGKILL');
  }
  return results;
}

if (process.argv[1]?.endsWith('messaging-bench.ts')) {
  messagingBench().then(
    (r) => {
      console.table(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
