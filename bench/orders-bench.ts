import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { signedHeaders } from '../core/signing';
import { parseRfmConfig, DEFAULT_TAGS } from '../core/portrait';
import { loadBrandConfig } from '../server/config';
import { devSecret, syncSecretName } from '../server/http/secrets';
import { factsOf, type LifecycleDoc } from '../server/lifecycle/documents';
import { lifecyclePatch } from '../server/lifecycle/update';
import { recomputeAll } from '../server/lifecycle/recompute';
import type { MemberDoc } from '../server/members/documents';
import type { Database } from '../server/runtime/cloud';
import { buildFunctions } from '../scripts/build-functions';
import { spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { atLeast, atMost, info, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

const DAY = 86_400_000;
const BATCH = 500;

function syncOrder(i: number, at: Date) {
  const iso = new Date(at.getTime() - (i % 1000) * 60_000).toISOString();
  return {
    source: 'pos', orderNo: `B-${i}`, customer: [{ type: 'phone', value: `1${String(3_900_000_000 + (i % 5000)).padStart(10, '0')}` }],
    amounts: { totalFen: 1000 + (i % 97) * 100 }, items: [{ sku: `sku-${i % 50}`, category: 'tea', qty: 1, priceFen: 1000 + (i % 97) * 100 }],
    status: 'paid', createdAt: iso, paidAt: iso, updatedAt: iso,
  };
}

async function post(url: string, orders: unknown[], at: Date): Promise<{ accepted: number }> {
  const path = '/http/orders/sync';
  const text = JSON.stringify({ orders });
  const headers = signedHeaders(devSecret(syncSecretName('pos')), 'pos', { method: 'POST', path, nonce: randomBytes(12).toString('hex'), body: text, at });
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: text });
  const j = (await res.json()) as { data?: { accepted: number }; error?: unknown };
  if (!j.data) throw new Error(`sync refused: ${JSON.stringify(j)}`);
  return j.data;
}

/** 10,000 orders through the function (signed HTTP, batches of 500, 4 in flight) vs a raw SDK insert of the stored documents. */
async function syncBench(url: string): Promise<BenchResult[]> {
  const { db } = sdkFor(url);
  const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
  const total = 10_000;
  await post(url, [syncOrder(999_999, now)], now); // warm the function instances
  let accepted = 0;
  const syncMs = await pool(total / BATCH, 4, async (b) => {
    const r = await post(url, Array.from({ length: BATCH }, (_v, k) => syncOrder(b * BATCH + k, now)), now);
    accepted += r.accepted;
  });
  if (accepted !== total) throw new Error(`only ${accepted} of ${total} orders accepted`);
  const stored: Record<string, unknown>[] = [];
  for (let after = ''; ;) {
    const r = (await db.collection('orders').where({ _id: db.command.gt(after) }).orderBy('_id', 'asc').limit(1000).get()) as { data: Record<string, unknown>[] };
    stored.push(...r.data);
    if (r.data.length < 1000) break;
    after = String(r.data[r.data.length - 1]!._id);
  }
  const rawMs = await pool(Math.ceil(stored.length / BATCH), 4, async (b) => {
    await db.collection('orders_raw').add({ data: stored.slice(b * BATCH, (b + 1) * BATCH) });
  });
  const perSec = (total / syncMs) * 1000;
  return [
    atLeast('order sync through the function (10k orders, batches of 500)', perSec, 'orders/s', 5000),
    info('raw SDK insert of the same documents', (stored.length / rawMs) * 1000, 'docs/s'),
    atMost('order sync time ÷ raw insert time', syncMs / rawMs, '×', 3),
  ];
}

/** Members as of yesterday's run (stage and portrait computed by the same code), 1% of them due to lapse tonight. */
async function seedMembers(db: Database, n: number, tonight: Date): Promise<void> {
  const { config } = loadBrandConfig();
  const settings = { lifecycle: config.lifecycle, rfm: parseRfmConfig({}), tags: DEFAULT_TAGS, forecastDays: 365 };
  const yesterday = new Date(tonight.getTime() - DAY);
  await pool(Math.ceil(n / 1000), 2, async (b) => {
    const members: Record<string, unknown>[] = [];
    const orders: Record<string, unknown>[] = [];
    for (let i = b * 1000; i < Math.min(n, (b + 1) * 1000); i++) {
      const id = `m${String(i).padStart(8, '0')}`;
      const daysAgo = i % 100 === 0 ? 180.5 : 1 + (i % 170);
      const paidAt = new Date(tonight.getTime() - daysAgo * DAY);
      const key = `pos:S-${i}`;
      const lc: LifecycleDoc = { firstSeenAt: paidAt, firstEngagedAt: paidAt, lastEngagedAt: paidAt, paidOrders: [{ key, paidAt, paidFen: 10_000 + (i % 50) * 1000, refundedFen: 0 }], categories: ['tea'], channels: ['pos'] };
      const m = { _id: id, state: 'member', firstSeenAt: paidAt, lastSeenAt: paidAt, createdAt: paidAt } as MemberDoc;
      const { patch } = lifecyclePatch(m, factsOf(m, lc), lc, settings, yesterday);
      members.push({ ...m, ...patch });
      orders.push({ _id: key, source: 'pos', orderNo: `S-${i}`, memberId: id, createdAt: paidAt, paid: true, paidAt, paidFen: lc.paidOrders[0]!.paidFen, refundedFen: 0, items: [{ sku: 'tea', category: 'tea', qty: 1, priceFen: lc.paidOrders[0]!.paidFen }], status: 'paid' });
    }
    await db.collection('members').add({ data: members });
    await db.collection('orders').add({ data: orders });
  });
}

/** The nightly lifecycle + RFM recompute over N members, pages of 1000 by _id; RSS of the process running it. */
async function recomputeBench(url: string, n: number): Promise<BenchResult[]> {
  const { db } = sdkFor(url);
  const tonight = new Date('2026-06-01T19:00:00Z');
  const seeded = performance.now();
  await seedMembers(db, n, tonight);
  const seedMs = performance.now() - seeded;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  const timer = setInterval(() => { rssPeak = Math.max(rssPeak, process.memoryUsage().rss); }, 100);
  const started = performance.now();
  const report = await recomputeAll(db, tonight);
  const ms = performance.now() - started;
  clearInterval(timer);
  const mb = (b: number) => b / 1024 / 1024;
  return [
    info(`seed ${n} members + orders (raw insert)`, seedMs / 1000, 's'),
    atMost(`lifecycle + RFM recompute, ${n} members`, ms / 1000, 's', (60 * n) / 1_000_000),
    info(`  members per second (${report.pages} pages of ≤ 1000, ${report.written} written, ${report.stageChanges} stage changes)`, (report.members / ms) * 1000, 'members/s'),
    info('  recompute process RSS before', mb(rssBefore), 'MB'),
    atMost('  recompute process RSS growth (flat memory)', mb(rssPeak - rssBefore), 'MB', 100),
  ];
}

/** Issue 6: order sync throughput against a raw insert, and the nightly recompute at BENCH_LIFECYCLE_MEMBERS (default 100k). */
export async function ordersBench(opts: { members?: number } = {}): Promise<BenchResult[]> {
  const n = opts.members ?? Number(process.env.BENCH_LIFECYCLE_MEMBERS ?? 100_000);
  buildFunctions();
  const dir = functionsDirWith(['orders', 'member'], []);
  const results: BenchResult[] = [];
  try {
    // one emulator for both parts: the SDK keeps the first serviceUrl it was given in this process
    const a = await spawnEmulator({ functionsDir: dir, collections: [...collections, { name: 'orders_raw', indexes: [], clientAccess: { read: false, write: false } }], httpRoutes });
    try {
      results.push(...(await syncBench(a.url)));
      results.push(...(await recomputeBench(a.url, n)));
    } finally {
      a.child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

if (process.argv[1]?.endsWith('orders-bench.ts')) {
  ordersBench().then(
    (r) => {
      for (const x of r) console.log(`${x.ok ? 'ok  ' : 'MISS'} ${x.name}: ${x.value} ${x.unit} (${x.target})`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
