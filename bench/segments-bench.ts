import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { EmulatedDatabase } from '../emulator/db/database';
import type { Doc } from '../emulator/db/values';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { latestPaidOf, spendReachOf } from '../core/segments/window';
import { INSIGHT_KINDS } from '../core/contracts/insight';
import { STAGES } from '../core/lifecycle';
import { addDays } from '../core/time';
import { collections } from '../server/db/schema';
import { spawnEmulator } from '../test/support/emulator-process';
import { atMost, info, pool, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';
import { sdkFor } from './sdk-client';
import { seededStore } from './seed-cache';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type Db = any;

const ADMIN = 'o_bench_seg_admin';
const DAY = 86_400_000;

async function bulk(db: Db, coll: string, total: number, make: (i: number) => Record<string, unknown>): Promise<void> {
  await pool(Math.ceil(total / 1000), 2, async (b) => {
    const docs = Array.from({ length: Math.min(1000, total - b * 1000) }, (_v, k) => make(b * 1000 + k));
    await db.collection(coll).add({ data: docs });
  });
}

async function invoke(
  url: string,
  fn: string,
  data: Record<string, unknown>,
): Promise<{ ms: number; data: Record<string, unknown> }> {
  const t = performance.now();
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', body: JSON.stringify({ openid: ADMIN, data }) });
  const ms = performance.now() - t;
  const body = (await res.json()) as { result?: { ok: boolean; data: Record<string, unknown> } };
  if (!body.result?.ok) throw new Error(`${fn}.${String(data.action)} failed: ${JSON.stringify(body)}`);
  return { ms, data: body.result.data };
}

const lastDbCalls = async (url: string, fn: string): Promise<number> =>
  ((await (await fetch(`${url}/api/invocations?fn=${fn}&limit=1`)).json()) as { invocations: { dbCalls: number }[] })
    .invocations[0]!.dbCalls;

/** A member as the product writes it (portrait, lifecycle inputs, first touch, consent, last visit), varied by i. */
function member(i: number, now: number): Record<string, unknown> {
  const paid = Array.from({ length: i % 4 }, (_v, k) => ({
    key: `pos:b${i}-${k}`,
    paidAt: new Date(now - ((i * 13 + k * 40) % 400) * DAY),
    paidFen: 10_000,
    refundedFen: 0,
  }));
  return {
    _id: `sb${i}`,
    state: 'member',
    cardNo: `SB${i}`,
    tier: ['silver', 'gold', 'platinum'][i % 3],
    stage: STAGES[i % STAGES.length],
    tags: i % 7 === 0 ? [{ tagId: 'hipo', source: 'rule' }] : [],
    rfm: { r: (i % 5) + 1, f: ((i >> 1) % 5) + 1, m: ((i >> 2) % 5) + 1 },
    ltvFen: paid.length * 10_000,
    ltvForecastFen: (i % 50) * 1000,
    lifecycle: {
      paidOrders: paid,
      latestPaid: latestPaidOf(paid),
      spendReach: spendReachOf(paid),
      categories: i % 11 === 0 ? ['accessories', 'qipao'] : ['qipao'],
      channels: i % 2 ? ['pos'] : ['ecommerce'],
    },
    attribution: {
      first: {
        storeId: `st${i % 20}`,
        advisorId: i % 9 === 0 ? `adv${i % 40}` : null,
        campaign: null,
        via: 'code',
        at: new Date(now - 500 * DAY),
      },
    },
    consents: { marketingOptIn: i % 3 !== 0 },
    lastSeenAt: new Date(now - (i % 120) * DAY),
    oaFollowing: i % 4 !== 0,
    language: i % 10 ? 'zh' : 'en',
    birthday: `1990-${String((i % 12) + 1).padStart(2, '0')}-15`,
    birthMonth: (i % 12) + 1,
    createdAt: new Date(now - 600 * DAY),
  };
}

const count = (r: { data: Record<string, unknown> }) => Number(r.data.count);

/**
 * The members straight into the emulator's SQLite store, with the product's indexes, before it
 * starts: 50,000 a transaction, index entries in key order (`DocumentStore.load`).
 */
function seedMembers(file: string, total: number, make: (i: number) => Record<string, unknown>): void {
  const store = new EmulatedDatabase(file);
  for (const c of collections) {
    store.store.createCollection(c.name);
    store.declareIndexes(c.name, c.indexes);
  }
  for (let from = 0; from < total; from += 50_000) {
    const docs = Array.from({ length: Math.min(50_000, total - from) }, (_v, k) => make(from + k));
    store.store.load('members', docs as Doc[]);
  }
  store.close();
}

/** The seed's own format: bump it when `member` or `seedMembers` change, so cached stores are seeded again. */
const SEED_FORMAT = 2;

/** Previews over the dimensions, each answered from indexes (count and the first ten by id). */
const PREVIEWS: [string, Record<string, unknown>][] = [
  [
    'categories, channel, RFM band, consent, last visit, birthday month',
    {
      and: [
        { field: 'categories', op: 'hasAny', values: ['accessories'] },
        { field: 'birthdayMonth', op: 'in', values: [3, 4, 5, 6, 7, 8] },
        { field: 'channels', op: 'hasAny', values: ['pos'] },
        { field: 'rfm', dim: 'm', op: 'in', values: [4, 5] },
        { field: 'marketingOptIn', op: 'is', value: true },
        { field: 'activeDays', op: 'within', days: 30 },
      ],
    },
  ],
  [
    'held tag, tier, 2+ orders in 90 days',
    {
      and: [
        { field: 'tags', op: 'hasAny', values: ['hipo'] },
        { field: 'tier', op: 'in', values: ['gold'] },
        { field: 'ordersInWindow', days: 90, op: 'gte', value: 2 },
      ],
    },
  ],
  [
    'stage, LTV, forecast, language, follower, store, advisor',
    {
      and: [
        { field: 'stage', op: 'notIn', values: ['lapsed', 'churned'] },
        { field: 'spendFen', op: 'gte', value: 20_000 },
        { field: 'ltvForecastFen', op: 'lt', value: 30_000 },
        { field: 'language', op: 'in', values: ['zh'] },
        { field: 'isFollower', op: 'is', value: true },
        { field: 'storeId', op: 'in', values: ['st3', 'st7'] },
        { not: { field: 'attribution', key: 'advisorId', op: 'in', values: ['adv0'] } },
      ],
    },
  ],
  [
    'member, RFM r 5 or tagged, no order in 30 days, not in tier silver',
    {
      and: [
        { field: 'isMember', op: 'is', value: true },
        {
          or: [
            { field: 'rfm', dim: 'r', op: 'in', values: [5] },
            { field: 'tags', op: 'hasAny', values: ['hipo'] },
          ],
        },
        { field: 'ordersInWindow', days: 30, op: 'lt', value: 1 },
        { field: 'tier', op: 'notIn', values: ['silver'] },
      ],
    },
  ],
  [
    // 200 yuan is on the spend ladder: one range on the time the member's spend reached it
    'held tag and spend in a 90-day window',
    {
      and: [
        { field: 'tags', op: 'hasAny', values: ['hipo'] },
        { field: 'spendInWindow', days: 90, op: 'gte', value: 20_000 },
      ],
    },
  ],
];

/**
 * Segments and insight at scale: previews over the dimensions at `large` members (≤ 1 s each, spend in a
 * window on a ladder amount among them), and each insight report
 * from a year of daily statistics in at most two database calls.
 */
export async function segmentsBench(opts: { large: number }): Promise<BenchResult[]> {
  buildFunctions();
  const dataDir = mkdtempSync(join(tmpdir(), 'segments-bench-'));
  const now = Date.now();
  const seedCpu = process.cpuUsage();
  const seedLoad = loadavg()[0]!;
  // a cached store keeps the times of the day it was seeded: window rules narrow as it ages (delete bench/.cache)
  const { seedS, cached } = seededStore(
    `segments-members-${opts.large}-s${SEED_FORMAT}`,
    (file) => seedMembers(file, opts.large, (i) => member(i, now)),
    join(dataDir, 'cloudbase.sqlite'),
  );
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: FUNCTIONS_DIR, collections, timerFunctions: [] });
  const results: BenchResult[] = [];
  try {
    const cpu = process.cpuUsage(seedCpu);
    const seeded = `${cached ? 'cached store of' : 'seeded'} ${opts.large} members straight into storage`;
    const cpuS = ((cpu.user + cpu.system) / 1e6).toFixed(0);
    results.push(info(`${seeded} (CPU ${cpuS} s, load ${seedLoad.toFixed(1)})`, seedS, 's'));
    const { db } = sdkFor(url);
    await db
      .collection('staff')
      .add({ data: { _id: 'staff_bench_seg', openid: ADMIN, name: '管理员', role: 'brand_admin', storeIds: [] } });

    await invoke(url, 'messaging', { action: 'segments.preview', rule: { field: 'tier', op: 'in', values: ['gold'] } }); // warm instance
    for (const [name, rule] of PREVIEWS) {
      const load = loadavg()[0]!;
      const cpu0 = processTreeCpu(child.pid!);
      const preview = await invoke(url, 'messaging', { action: 'segments.preview', rule }).catch((e: Error) => e);
      if (preview instanceof Error) {
        results.push(atMost(`segment preview, ${name}: failed (${preview.message.slice(0, 200)})`, Infinity, 's', 1));
        continue;
      }
      const cpu1 = processTreeCpu(child.pid!);
      const cpuMs = cpu1.own + cpu1.descendants - cpu0.own - cpu0.descendants;
      results.push(atMost(`segment preview + sample, ${name}, at ${opts.large} members`, preview.ms / 1000, 's', 1));
      results.push(
        info(
          `  members in it; CPU of emulator and instances ${cpuMs} ms; load ${load.toFixed(1)}`,
          count(preview),
          'members',
        ),
      );
    }

    // a year of daily insight rows and daily statistics
    const today = new Date(now).toISOString().slice(0, 10);
    const days = Array.from({ length: 365 }, (_v, k) => addDays(today, -365 + k));
    const flows = STAGES.map((to, k) => ({ from: STAGES[(k + 6) % STAGES.length], to, cause: 'order', n: k + 1 }));
    await bulk(db, 'insight_stats', days.length, (k) => ({
      _id: `lifecycle:${days[k]}`,
      kind: 'lifecycle',
      date: days[k],
      flows,
    }));
    await bulk(db, 'insight_stats', days.length, (k) => ({
      _id: `unfollow:${days[k]}`,
      kind: 'unfollow',
      date: days[k],
      groups: STAGES.map((group) => ({ group, followers: 1000, unfollows: 3 })),
    }));
    const cohorts = Array.from({ length: 12 }, (_v, k) => ({
      month: `2026-${String(k + 1).padStart(2, '0')}`,
      joined: 100,
      bought: Array.from({ length: 12 - k }, () => 10),
    }));
    await db.collection('insight_stats').add({
      data: [
        { _id: `retention:${today}`, kind: 'retention', date: today, cohorts },
        { _id: `messaging:${today}`, kind: 'messaging', date: today, figures: [] },
      ],
    });
    await bulk(db, 'daily_stats', days.length, (k) => ({
      _id: days[k],
      date: days[k],
      referralOpens: 10,
      referralConversions: 2,
    }));
    await invoke(url, 'admin', { action: 'insight.report', kind: 'referral', from: today, to: today }); // warm instance
    for (const kind of INSIGHT_KINDS) {
      const r = await invoke(url, 'admin', { action: 'insight.report', kind, from: days[0], to: today, format: 'csv' });
      results.push(
        atMost(`insight ${kind} report over a year: database calls`, await lastDbCalls(url, 'admin'), 'calls', 2),
      );
      results.push(info(`  insight ${kind} report over a year (table and CSV)`, r.ms, 'ms'));
    }
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
