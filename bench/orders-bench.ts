import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { signedHeaders } from '../core/signing';
import { parseRfmConfig, DEFAULT_TAGS } from '../core/portrait';
import { loadBrandConfig } from '../server/config';
import { devSecret, syncSecretName } from '../server/http/secrets';
import { factsOf } from '../server/lifecycle/documents';
import type { LifecycleDoc } from '../server/members/documents';
import { lifecyclePatch } from '../server/lifecycle/update';
import { recomputeAll } from '../server/lifecycle/recompute';
import type { MemberDoc } from '../server/members/documents';
import type { Database } from '../server/runtime/cloud';
import { buildFunctions } from '../scripts/build-functions';
import { spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { atLeast, atMost, info, pool, watchRss, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';
import { processTreeCpu } from './process-cpu';

const DAY = 86_400_000;
const BATCH = 500;
const IN_FLIGHT = 4;
const WARM_ROUNDS = 3;

const KNOWN_SHARE = 5; // every 5th order of the mixed run is a known member's: 20%

/** Order `i` of a run: a phone customer, paid; `known` orders use the phone of a seeded member. */
function syncOrder(run: string, i: number, at: Date, known: boolean) {
  const iso = new Date(at.getTime() - (i % 1000) * 60_000).toISOString();
  const phone = known
    ? `138${String(i / KNOWN_SHARE).padStart(8, '0')}`
    : `1${String(3_900_000_000 + (i % 5000)).padStart(10, '0')}`;
  return {
    source: 'pos',
    orderNo: `${run}-${i}`,
    customer: [{ type: 'phone', value: phone }],
    amounts: { totalFen: 1000 + (i % 97) * 100 },
    items: [{ sku: `sku-${i % 50}`, category: 'tea', qty: 1, priceFen: 1000 + (i % 97) * 100 }],
    status: 'paid',
    createdAt: iso,
    paidAt: iso,
    updatedAt: iso,
  };
}

async function post(url: string, orders: unknown[], at: Date): Promise<{ accepted: number }> {
  const path = '/http/orders/sync';
  const text = JSON.stringify({ orders });
  const headers = signedHeaders(devSecret(syncSecretName('pos')), 'pos', {
    method: 'POST',
    path,
    nonce: randomBytes(12).toString('hex'),
    body: text,
    at,
  });
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: text,
  });
  const j = (await res.json()) as { data?: { accepted: number }; error?: unknown };
  if (!j.data) throw new Error(`sync refused: ${JSON.stringify(j)}`);
  return j.data;
}

/** Members (with a phone identity) for the known share of the mixed run, as registration leaves them. */
async function seedKnownMembers(db: Database, n: number, at: Date): Promise<void> {
  await pool(Math.ceil(n / 500), 2, async (b) => {
    const ids = Array.from({ length: Math.min(500, n - b * 500) }, (_v, k) => b * 500 + k);
    await db.collection('members').add({
      data: ids.map((i) => ({
        _id: `k${String(i).padStart(8, '0')}`,
        state: 'member',
        cardNo: `K${String(i).padStart(8, '0')}`,
        points: 0,
        firstSeenAt: at,
        lastSeenAt: at,
        createdAt: at,
      })),
    });
    await db.collection('identities').add({
      data: ids.map((i) => ({
        _id: `phone:138${String(i).padStart(8, '0')}`,
        type: 'phone',
        value: `138${String(i).padStart(8, '0')}`,
        memberId: `k${String(i).padStart(8, '0')}`,
        linkedAt: at,
        via: 'bench',
      })),
    });
  });
}

/** Syncs 10,000 orders of one run through the function (signed HTTP, batches of 500, 4 in flight); returns the elapsed ms. */
async function syncRun(url: string, run: string, now: Date, total: number, knownShare: number | null): Promise<number> {
  let accepted = 0;
  const ms = await pool(total / BATCH, IN_FLIGHT, async (b) => {
    const r = await post(
      url,
      Array.from({ length: BATCH }, (_v, k) =>
        syncOrder(run, b * BATCH + k, now, knownShare !== null && (b * BATCH + k) % knownShare === 0),
      ),
      now,
    );
    accepted += r.accepted;
  });
  if (accepted !== total) throw new Error(`${run}: only ${accepted} of ${total} orders accepted`);
  return ms;
}

/** The stored orders of one run, read back a page of 1000 at a time. */
async function storedOf(db: Database, run: string): Promise<Record<string, unknown>[]> {
  const stored: Record<string, unknown>[] = [];
  for (let after = `pos:${run}-`; ;) {
    const r = (await db
      .collection('orders')
      .where({ _id: db.command.gt(after) })
      .orderBy('_id', 'asc')
      .limit(1000)
      .get()) as { data: Record<string, unknown>[] };
    const mine = r.data.filter((d) => String(d._id).startsWith(`pos:${run}-`));
    stored.push(...mine);
    if (mine.length < 1000) break;
    after = String(r.data[r.data.length - 1]!._id);
  }
  return stored;
}

/** The raw-insert baseline: stored order documents into `orders_raw`, in batches as the sync sends them; returns the elapsed ms. */
const rawInsert = (db: Database, docs: Record<string, unknown>[]): Promise<number> =>
  pool(Math.ceil(docs.length / BATCH), IN_FLIGHT, async (b) => {
    await db.collection('orders_raw').add({ data: docs.slice(b * BATCH, (b + 1) * BATCH) });
  });

/**
 * 10,000 new orders of customers not known yet (the bulk of a first sync, and of POS traffic of
 * non-members) through the function, against a raw SDK insert of the same stored documents into
 * `orders_raw`, which has the indexes of `orders`; then 10,000 orders of which 20% are known
 * members' (each earning points through the ledger in its own transaction), reported apart.
 */
async function syncBench(url: string, emulatorPid: number): Promise<BenchResult[]> {
  const { db } = sdkFor(url);
  const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
  const total = 10_000;
  await seedKnownMembers(db, total / KNOWN_SHARE, new Date(now.getTime() - DAY));
  // warm-up, both sides alike: each instance syncs full batches, and the raw path inserts their
  // stored documents, so the timed runs compare steady states, not JIT compilation
  for (let r = 0; r < WARM_ROUNDS; r++) {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, (_v, i) =>
        post(
          url,
          Array.from({ length: BATCH }, (_x, k) => syncOrder('W', (r * IN_FLIGHT + i) * BATCH + k, now, false)),
          now,
        ),
      ),
    );
  }
  await rawInsert(db, await storedOf(db, 'W'));
  const cpu0 = processTreeCpu(emulatorPid);
  const syncMs = await syncRun(url, 'U', now, total, null);
  const cpu1 = processTreeCpu(emulatorPid);
  const stored = await storedOf(db, 'U');
  const rawMs = await rawInsert(db, stored);
  const mixedMs = await syncRun(url, 'M', now, total, KNOWN_SHARE);
  const earned = (await db.collection('points_ledger').where({ kind: 'earn' }).count()) as { total: number };
  if (earned.total !== total / KNOWN_SHARE)
    throw new Error(`known members earned ${earned.total} times, expected ${total / KNOWN_SHARE}`);
  return [
    atLeast(
      'order sync through the function, new orders of unknown customers (10k, batches of 500)',
      (total / syncMs) * 1000,
      'orders/s',
      5000,
    ),
    info(
      'raw SDK insert of the same documents (collection with the orders indexes)',
      (stored.length / rawMs) * 1000,
      'docs/s',
    ),
    atMost('order sync time ÷ raw insert time', syncMs / rawMs, '×', 3),
    info(
      '  CPU per 1,000 synced orders in the function instances (wx-server-sdk calls included)',
      (cpu1.descendants - cpu0.descendants) / (total / 1000),
      'ms',
    ),
    info('  CPU per 1,000 synced orders in the emulator', (cpu1.own - cpu0.own) / (total / 1000), 'ms'),
    info('order sync, 20% of orders from known members earning points (10k)', (total / mixedMs) * 1000, 'orders/s'),
  ];
}

/** Members as of yesterday's run (stage and portrait computed by the same code), 1% of them due to lapse tonight. */
export async function seedMembers(db: Database, n: number, tonight: Date): Promise<void> {
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
      const lc: LifecycleDoc = {
        firstSeenAt: paidAt,
        firstEngagedAt: paidAt,
        lastEngagedAt: paidAt,
        paidOrders: [{ key, paidAt, paidFen: 10_000 + (i % 50) * 1000, refundedFen: 0 }],
        categories: ['tea'],
        channels: ['pos'],
      };
      const m = { _id: id, state: 'member', firstSeenAt: paidAt, lastSeenAt: paidAt, createdAt: paidAt } as MemberDoc;
      const { patch } = lifecyclePatch(m, factsOf(m, lc), lc, settings, yesterday);
      members.push({ ...m, ...patch });
      orders.push({
        _id: key,
        source: 'pos',
        orderNo: `S-${i}`,
        memberId: id,
        createdAt: paidAt,
        paid: true,
        paidAt,
        paidFen: lc.paidOrders[0]!.paidFen,
        refundedFen: 0,
        items: [{ sku: 'tea', category: 'tea', qty: 1, priceFen: lc.paidOrders[0]!.paidFen }],
        status: 'paid',
      });
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
  const rss = watchRss();
  const started = performance.now();
  const report = await recomputeAll(db, tonight);
  const ms = performance.now() - started;
  const { before: rssBefore, peak: rssPeak } = rss.stop();
  const left = (await db
    .collection('members')
    .where({ nextReviewAt: db.command.lte(tonight) })
    .count()) as { total: number };
  if (left.total !== 0) throw new Error(`${left.total} members still due after the nightly review`);
  const mb = (b: number) => b / 1024 / 1024;
  const out = [
    info(`seed ${n} members + orders (raw insert)`, seedMs / 1000, 's'),
    atMost(`nightly lifecycle + RFM review, ${n} members`, ms / 1000, 's', (60 * n) / 1_000_000),
    info(
      `  members due and reviewed (${report.pages} pages of ≤ 1000, ${report.written} written, ${report.stageChanges} stage changes)`,
      report.members,
      'members',
    ),
    info('  members per second, over all members', (n / ms) * 1000, 'members/s'),
    info('  recompute process RSS before', mb(rssBefore), 'MB'),
    atMost('  recompute process RSS growth (flat memory)', mb(rssPeak - rssBefore), 'MB', 100),
  ];
  if (process.env.BENCH_LIFECYCLE_REBUILD === '1') {
    // the explicit repair: every member rebuilt from its orders (tonight's review already written)
    const t = performance.now();
    const r = await recomputeAll(db, tonight, undefined, undefined, { mode: 'rebuild' });
    out.push(info(`lifecycle rebuild from orders (repair mode), ${n} members`, (performance.now() - t) / 1000, 's'));
    out.push(
      atMost(
        '  members the rebuild from orders changed after the review (incremental and bulk agree)',
        r.written,
        'members',
        0,
      ),
    );
  }
  return out;
}

/**
 * Issue 6: order sync throughput against a raw insert, and the nightly lifecycle review at
 * BENCH_LIFECYCLE_MEMBERS (default 100k). BENCH_ORDERS_PART=sync|lifecycle runs one part;
 * BENCH_LIFECYCLE_REBUILD=1 adds the repair mode (every member rebuilt from its orders), which must change nothing.
 */
export async function ordersBench(opts: { members?: number } = {}): Promise<BenchResult[]> {
  const n = opts.members ?? Number(process.env.BENCH_LIFECYCLE_MEMBERS ?? 100_000);
  buildFunctions();
  const dir = functionsDirWith(['orders', 'member'], []);
  const results: BenchResult[] = [];
  try {
    // one emulator for both parts: the SDK keeps the first serviceUrl it was given in this process
    // orders_raw: the raw-insert baseline, with the indexes `orders` has
    const ordersDecl = collections.find((c) => c.name === 'orders')!;
    // provisioned instances, one per batch in flight: no cold start falls inside a timed run
    const a = await spawnEmulator({
      functionsDir: dir,
      collections: [...collections, { ...ordersDecl, name: 'orders_raw' }],
      httpRoutes,
      warmInstancesPerFunction: IN_FLIGHT,
    });
    try {
      const part = process.env.BENCH_ORDERS_PART; // `sync` or `lifecycle` to run one part while iterating
      if (part !== 'lifecycle') results.push(...(await syncBench(a.url, a.child.pid!)));
      if (part !== 'sync') results.push(...(await recomputeBench(a.url, n)));
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
