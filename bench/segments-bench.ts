import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { INSIGHT_KINDS } from '../core/contracts/insight';
import { STAGES } from '../core/lifecycle';
import { addDays } from '../core/time';
import { collections } from '../server/db/schema';
import { spawnEmulator } from '../test/support/emulator-process';
import { atMost, info, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

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
    createdAt: new Date(now - 600 * DAY),
  };
}

/**
 * Segments and insight at scale: a preview over the new dimensions at `large` members (≤ 1 s),
 * a window rule checked member by member among its indexed candidates, and each insight report
 * from a year of daily statistics in at most two database calls.
 */
export async function segmentsBench(opts: { large: number }): Promise<BenchResult[]> {
  buildFunctions();
  const dataDir = mkdtempSync(join(tmpdir(), 'segments-bench-'));
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: FUNCTIONS_DIR, collections, timerFunctions: [] });
  const results: BenchResult[] = [];
  try {
    const { db } = sdkFor(url);
    const now = Date.now();
    await db
      .collection('staff')
      .add({ data: { _id: 'staff_bench_seg', openid: ADMIN, name: '管理员', role: 'brand_admin', storeIds: [] } });
    const seeded = performance.now();
    await bulk(db, 'members', opts.large, (i) => member(i, now));
    results.push(info(`seeded ${opts.large} members`, (performance.now() - seeded) / 1000, 's'));

    const dims = {
      and: [
        { field: 'categories', op: 'hasAny', values: ['accessories'] },
        { field: 'channels', op: 'hasAny', values: ['pos'] },
        { field: 'rfm', dim: 'm', op: 'in', values: [4, 5] },
        { field: 'marketingOptIn', op: 'is', value: true },
        { field: 'activeDays', op: 'within', days: 30 },
      ],
    };
    await invoke(url, 'messaging', { action: 'segments.preview', rule: { field: 'tier', op: 'in', values: ['gold'] } }); // warm instance
    const preview = await invoke(url, 'messaging', { action: 'segments.preview', rule: dims });
    results.push(
      atMost(
        `segment preview (categories, channel, RFM band, consent, last visit) + sample at ${opts.large} members`,
        preview.ms / 1000,
        's',
        1,
      ),
    );
    results.push(info('  members in that segment', Number(preview.data.count), 'members'));

    // the window part is checked member by member: as quick as the indexed parts beside it are narrow
    const window = {
      and: [
        { field: 'tags', op: 'hasAny', values: ['hipo'] },
        { field: 'tier', op: 'in', values: ['gold'] },
        { field: 'ordersInWindow', days: 90, op: 'gte', value: 2 },
      ],
    };
    const windowed = await invoke(url, 'messaging', { action: 'segments.preview', rule: window });
    results.push(
      atMost(
        `segment preview, held tag, tier and orders in a 90-day window (checked per candidate) at ${opts.large} members`,
        windowed.ms / 1000,
        's',
        1,
      ),
    );
    results.push(info('  members in that segment', Number(windowed.data.count), 'members'));

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
