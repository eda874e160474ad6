import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addDays } from '../core/time';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { demoBrand } from '../scripts/seed/demo-brand';
import { collections } from '../server/db/schema';
import { spawnEmulator } from '../test/support/emulator-process';
import { atMost, info, latencies, percentile, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';
import { benchMemberId, seedMembers } from './seed-members';

const MANAGER = 'o_demo_manager';
const ADVISOR = 'o_demo_advisor';
const LAST_DAY = '2026-12-31';
const DASHBOARD_DAYS = 90;
const LOADS = 50;
const LOOKUPS = 200;
const STAGES = ['anonymous', 'window', 'first_time', 'repeat', 'loyal', 'indecisive', 'lapsed'];

const phoneOf = (i: number) => `139${String(i).padStart(8, '0')}`;
const cardOf = (i: number) => `SU${String(i).padStart(8, '0')}`;

interface Invocation {
  input: { action?: string };
  durationMs: number;
  dbCalls: number;
}

async function invoke(url: string, who: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/invoke/admin`, { method: 'POST', body: JSON.stringify({ openid: who, data }) });
  const body = (await res.json()) as { result?: { ok: boolean; data?: Record<string, unknown> } };
  if (!body.result?.ok) throw new Error(`admin.${String(data.action)} failed: ${JSON.stringify(body).slice(0, 300)}`);
  return body.result.data ?? {};
}

/** The emulator's log of the last `n` admin invocations of one action: server time and database round trips each. */
async function logged(url: string, action: string, n: number): Promise<Invocation[]> {
  const r = (await (await fetch(`${url}/api/invocations?fn=admin&limit=${n}`)).json()) as { invocations: Invocation[] };
  return r.invocations.filter((i) => i.input.action === action);
}

/** A year of daily rows as the statistics timer writes them (figures vary by day; only the shape matters here). */
function yearOfRows(members: number): Record<string, unknown>[] {
  return Array.from({ length: 365 }, (_v, k) => {
    const date = addDays(LAST_DAY, k - 364);
    const followers = Math.round(members * 0.4) + k * 10;
    const paidFollowers = Math.round(followers * (0.1 + k / 3650));
    return {
      _id: date,
      date,
      followers,
      members,
      paidCustomers: paidFollowers * 2,
      paidFollowers,
      paidAmongFollowers: paidFollowers / followers,
      stages: Object.fromEntries([...STAGES, 'none'].map((s) => [s, Math.floor(members / 8)])),
      newMembers: 100 + (k % 17),
      referralConversions: k % 9,
      referralOpens: k % 23,
      couponsIssued: 500,
      couponsRedeemed: 120 + (k % 50),
      appointmentSlots: 80,
      appointmentsBooked: 40 + (k % 40),
      computedAt: new Date(`${date}T16:05:00Z`),
    };
  });
}

/**
 * Issue 10 "Must show": the staff dashboard at a million members (one call of `dashboard.summary`
 * for 90 days, as the page makes it: database round trips and server time from the emulator's
 * invocation log) and member lookup by phone and by card number (latency as the caller sees it).
 */
export async function adminBench(opts: { members: number }): Promise<BenchResult[]> {
  buildFunctions();
  const dataDir = mkdtempSync(join(tmpdir(), 'admin-bench-'));
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: FUNCTIONS_DIR, collections, timerFunctions: [] });
  const results: BenchResult[] = [];
  const n = opts.members;
  try {
    const { db } = sdkFor(url);
    const at = new Date('2026-01-01T00:00:00Z');
    await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
    await db.collection('stores').add({ data: demoBrand.stores.map((s) => ({ ...s })) });
    await seedMembers(db, n, {
      at,
      fields: (i) => ({
        phone: phoneOf(i),
        cardNo: cardOf(i),
        name: `会员${i}`,
        claimedAt: at,
        stage: STAGES[i % STAGES.length],
        oaFollowing: i % 5 < 2,
        tier: 'member',
        points: i % 5000,
        ltvFen: (i % 300) * 1000,
      }),
      identities: (i) => [
        { type: 'phone', value: phoneOf(i) },
        { type: 'card', value: cardOf(i) },
      ],
    });
    await db.collection('daily_stats').add({ data: yearOfRows(n) });

    // dashboard: the page's one call for the last 90 days (after one warm-up call, which starts the worker)
    const range = { action: 'dashboard.summary', from: addDays(LAST_DAY, -(DASHBOARD_DAYS - 1)), to: LAST_DAY };
    const first = await invoke(url, MANAGER, range);
    if ((first.days as unknown[]).length !== DASHBOARD_DAYS)
      throw new Error(`dashboard answered ${(first.days as unknown[]).length} days, not ${DASHBOARD_DAYS}`);
    const seen = await latencies(LOADS, () => invoke(url, MANAGER, range));
    const loads = await logged(url, 'dashboard.summary', LOADS);
    const serverMs = loads.map((i) => i.durationMs);
    results.push(
      atMost(
        `admin dashboard.summary (${DASHBOARD_DAYS} days) database round trips @${n} members`,
        Math.max(...loads.map((i) => i.dbCalls)),
        'calls',
        2,
      ),
    );
    results.push(info(`admin dashboard.summary server time p50 @${n} members`, percentile(serverMs, 50), 'ms'));
    results.push(atMost(`admin dashboard.summary server time p95 @${n} members`, percentile(serverMs, 95), 'ms', 100));
    results.push(info(`admin dashboard.summary p95 as the caller sees it @${n} members`, percentile(seen, 95), 'ms'));

    // lookups: members spread over the whole collection, each answer checked
    const pick = (k: number) => (k * 7919 + 13) % n;
    for (const [by, valueOf] of [
      ['phone', phoneOf],
      ['card', cardOf],
    ] as const) {
      await invoke(url, ADVISOR, { action: 'members.lookup', query: valueOf(0) });
      const times = await latencies(LOOKUPS, async (k) => {
        const found = (await invoke(url, ADVISOR, { action: 'members.lookup', query: valueOf(pick(k)) })).members as {
          memberId: string;
        }[];
        if (found.length !== 1 || found[0]?.memberId !== benchMemberId(pick(k)))
          throw new Error(`lookup by ${by} of member ${pick(k)} found ${JSON.stringify(found.map((m) => m.memberId))}`);
      });
      const calls = await logged(url, 'members.lookup', LOOKUPS);
      results.push(info(`admin members.lookup by ${by} p50 @${n} members`, percentile(times, 50), 'ms'));
      results.push(atMost(`admin members.lookup by ${by} p95 @${n} members`, percentile(times, 95), 'ms', 20));
      results.push(
        info(
          `admin members.lookup by ${by} server time p95 @${n} members`,
          percentile(
            calls.map((i) => i.durationMs),
            95,
          ),
          'ms',
        ),
      );
      results.push(
        info(`admin members.lookup by ${by} database round trips`, Math.max(...calls.map((i) => i.dbCalls)), 'calls'),
      );
    }

    // a number nobody holds: no identity row, so the lookup falls back to the members' own `phone`
    // field, which no index serves (once: it may run past the function's timeout)
    const started = performance.now();
    const outcome = await invoke(url, ADVISOR, { action: 'members.lookup', query: phoneOf(n) }).then(
      (r) => ((r.members as unknown[]).length ? 'found someone' : 'nobody found'),
      (e: Error) =>
        `failed: ${e.message.includes('timed out') || e.message.includes('timeout') ? 'function timeout' : 'error'}`,
    );
    results.push(
      info(`admin members.lookup of an unknown phone (${outcome}) @${n} members`, performance.now() - started, 'ms'),
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
