import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnEmulator } from '../test/support/emulator-process';
import { FUNCTIONS_DIR, buildFunctions } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { demoBrand } from '../scripts/seed/demo-brand';
import { atLeast, info, percentile, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

/** Issue 5: coupon claims under a sold-out rush, and points earn throughput, through the built functions. */
const CLAIMERS = 1000;
const STOCK = 100;
const EARNS = 400;

async function invoke(url: string, openid: string, fn: string, data: Record<string, unknown>): Promise<{ ok: boolean; error?: { code: string } }> {
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ openid, data }) });
  const body = (await res.json()) as { result?: { ok: boolean; error?: { code: string } }; errMsg?: string };
  if (!body.result) throw new Error(`${fn}: ${body.errMsg}`);
  return body.result;
}

/** A functions folder holding only the value functions (links to the built files). */
function valueFunctions(): string {
  const dir = mkdtempSync(join(tmpdir(), 'value-bench-fns-'));
  for (const fn of ['points', 'coupons']) {
    mkdirSync(join(dir, fn));
    for (const f of ['index.js', 'config.json', 'package.json']) symlinkSync(join(FUNCTIONS_DIR, fn, f), join(dir, fn, f));
  }
  return dir;
}

export async function claimsBench(): Promise<BenchResult[]> {
  buildFunctions();
  const { child, url } = await spawnEmulator({ functionsDir: valueFunctions(), collections, maxInstancesPerFunction: 8 });
  const results: BenchResult[] = [];
  try {
    const { db } = sdkFor(url);
    await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s })) });
    await db.collection('coupon_templates').add({ data: { _id: 'tpl_bench_rush', templateId: 'tpl_bench_rush', name: { zh: '压测券' }, benefit: { kind: 'amountOff', amountFen: 1000 }, validity: { kind: 'daysAfterClaim', days: 7 }, totalStock: STOCK, perMemberLimit: 1, channels: ['claimCentre'], issued: 0 } });
    const at = new Date();
    const openids = Array.from({ length: CLAIMERS }, (_v, i) => `o_bench_${i}`);
    for (let i = 0; i < CLAIMERS; i += 500) {
      const part = openids.slice(i, i + 500);
      await db.collection('members').add({ data: part.map((o) => ({ _id: `m_${o}`, state: 'member', openid: o, firstSeenAt: at, lastSeenAt: at, createdAt: at })) });
      await db.collection('identities').add({ data: part.map((o) => ({ _id: `mp_openid:${o}`, type: 'mp_openid', value: o, memberId: `m_${o}`, linkedAt: at })) });
    }
    // warm the instances so the figure is claims, not process start-up
    await Promise.all(Array.from({ length: 8 }, () => invoke(url, 'o_bench_warm', 'coupons', { action: 'list' })));
    await Promise.all(Array.from({ length: 8 }, () => invoke(url, 'o_bench_warm', 'points', { action: 'summary' })));

    let won = 0;
    const ms = await pool(CLAIMERS, CLAIMERS, async (i) => {
      const r = await invoke(url, openids[i]!, 'coupons', { action: 'claim', templateId: 'tpl_bench_rush', requestId: `bench-claim-${i}` });
      if (r.ok) won++;
    });
    const issued = (await db.collection('coupons').where({ templateId: 'tpl_bench_rush' }).count()).total as number;
    results.push(atLeast(`coupon claims, ${CLAIMERS} concurrent on ${STOCK} stock`, (CLAIMERS / ms) * 1000, 'claims/s', 500));
    const log = (await (await fetch(`${url}/api/invocations?fn=coupons&limit=500`)).json()) as { invocations: { durationMs: number; dbCalls: number }[] };
    const durations = log.invocations.map((i) => i.durationMs).sort((a, b) => a - b);
    results.push(info('claim invocation p50 (last 500, in the instance)', percentile(durations, 50), 'ms'));
    results.push(info('claim invocation p95 (last 500, in the instance)', percentile(durations, 95), 'ms'));
    results.push(info('claim database calls, mean', log.invocations.reduce((s, i) => s + i.dbCalls, 0) / Math.max(1, log.invocations.length), 'calls'));
    results.push({ name: `coupons issued of ${STOCK} stock (must be exactly ${STOCK})`, value: issued, unit: 'coupons', target: `= ${STOCK}`, ok: issued === STOCK && won === STOCK });

    const earnMs = await pool(EARNS, 32, (i) => invoke(url, 'o_demo_manager', 'points', { action: 'earnOrder', memberId: `m_${openids[i % 100]}`, orderId: `bench_order_${i}`, amountFen: 10_000 }));
    const credited = (await db.collection('points_ledger').where({ kind: 'earn' }).count()).total as number;
    results.push(info(`points earned per second (${EARNS} orders, 100 members, 32 in flight)`, (EARNS / earnMs) * 1000, 'earns/s'));
    results.push({ name: `orders credited of ${EARNS} (each once)`, value: credited, unit: 'rows', target: `= ${EARNS}`, ok: credited === EARNS });
  } finally {
    child.kill('SIGTERM');
  }
  return results;
}
