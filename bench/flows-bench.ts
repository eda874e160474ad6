import { rmSync } from 'node:fs';
import { buildFunctions } from '../scripts/build-functions';
import { demoBrand } from '../scripts/seed/demo-brand';
import { spawnFunctions } from './functions-emulator';
import { functionsDirWith } from '../test/integration/orders/support';
import { atMost, info, latencies, percentile, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';
import { benchOpenid, seedMembers } from './seed-members';
import { costRows, type FlowCost } from './cost';
import { KNOWN_BATCH, knownMemberPhone, knownOrdersTarget, syncKnownOrders } from './known-orders-bench';

/**
 * Flows as a member or a brand system feels them, at a given latency per database call and per
 * invocation (the emulator's latency model; 0 = none): member login, a coupon claim, and order
 * sync of known members' orders (each order a different member's, batches of 500), with each
 * flow's database calls, reads, writes and invocations from the emulator's invocation log.
 * BENCH_KNOWN_ORDERS sets the orders synced (default 5,000).
 */
const IN_FLIGHT = 2;
const SAMPLES = 100;
const LOG = 3000;

interface Logged {
  fn: string;
  dbCalls: number;
  dbReads: number;
  dbWrites: number;
  input?: { action?: string };
}

async function logged(url: string, fn: string): Promise<Logged[]> {
  const res = await fetch(`${url}/api/invocations?fn=${fn}&limit=${LOG}`);
  return ((await res.json()) as { invocations: Logged[] }).invocations;
}

async function invoke(url: string, fn: string, who: string, data: Record<string, unknown>) {
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', body: JSON.stringify({ openid: who, data }) });
  const body = (await res.json()) as { result?: { ok: boolean; error?: { code: string } } };
  if (!body.result?.ok) throw new Error(`${fn}.${String(data.action)} failed: ${JSON.stringify(body)}`);
  return body.result;
}

const sum = (xs: Logged[], k: 'dbCalls' | 'dbReads' | 'dbWrites') => xs.reduce((s, x) => s + x[k], 0);
const perCall = (xs: Logged[], per: number): Omit<FlowCost, 'flow'> => ({
  reads: sum(xs, 'dbReads') / per,
  writes: sum(xs, 'dbWrites') / per,
  invocations: xs.length / per,
});
/** p95 with the 150 ms target when calls carry latency (the target is set at 10 ms per call) */
const p95 = (name: string, samples: number[], latencyMs: number) =>
  latencyMs > 0 ? atMost(name, percentile(samples, 95), 'ms', 150) : info(name, percentile(samples, 95), 'ms');

export async function flowsBench(latencyMs: number): Promise<BenchResult[]> {
  const orders = Number(process.env.BENCH_KNOWN_ORDERS ?? 5000);
  const at = `@${latencyMs} ms/call`;
  const syncTarget = knownOrdersTarget(latencyMs);
  buildFunctions();
  const dir = functionsDirWith(['orders', 'member', 'coupons', 'points'], []);
  const { child, url } = await spawnFunctions(dir, latencyMs, {
    warmInstancesPerFunction: IN_FLIGHT,
    invocationLogSize: LOG,
    timerFunctions: [],
  });
  const results: BenchResult[] = [];
  const costs: FlowCost[] = [];
  try {
    const { db } = sdkFor(url);
    const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
    await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s })) });
    const members = orders + IN_FLIGHT * KNOWN_BATCH;
    await seedMembers(db, members, { at: new Date(now.getTime() - 86_400_000), identities: knownMemberPhone });

    // member login, one after another (warm instance first)
    await invoke(url, 'member', benchOpenid(0), { action: 'login' });
    const logins = await latencies(SAMPLES, (i) => invoke(url, 'member', benchOpenid(1 + i), { action: 'login' }));
    const loginLog = (await logged(url, 'member')).slice(0, SAMPLES);
    results.push(info(`member.login p50 ${at}`, percentile(logins, 50), 'ms'));
    results.push(p95(`member.login p95 ${at}`, logins, latencyMs));
    costs.push({ flow: 'login (returning member)', ...perCall(loginLog, SAMPLES) });

    // a coupon claim each by different members, one after another, on a template with stock to spare
    const created = await invoke(url, 'coupons', 'o_demo_admin', {
      action: 'templates.create',
      templateId: 'tpl_flows',
      name: { zh: '压测券' },
      benefit: { kind: 'amountOff', amountFen: 1000 },
      validity: { kind: 'daysAfterClaim', days: 7 },
      totalStock: 10 * SAMPLES,
      perMemberLimit: 1,
      channels: ['claimCentre'],
      requestId: 'flows-create',
    });
    if (!created.ok) throw new Error('templates.create failed');
    const claim = (who: number, requestId: string) =>
      invoke(url, 'coupons', benchOpenid(who), { action: 'claim', templateId: 'tpl_flows', requestId });
    await claim(0, 'flows-claim-warm');
    const claims = await latencies(SAMPLES, (i) => claim(1 + i, `flows-claim-${i}`));
    const claimLog = (await logged(url, 'coupons')).filter((l) => l.input?.action === 'claim').slice(0, SAMPLES);
    results.push(info(`coupon claim p50 ${at}`, percentile(claims, 50), 'ms'));
    results.push(p95(`coupon claim p95 ${at}`, claims, latencyMs));
    costs.push({ flow: 'coupon claim (issued)', ...perCall(claimLog, SAMPLES) });

    // order sync of known members' orders: one warm-up batch per instance, then the timed run
    const sync = await syncKnownOrders({ url, emulator: child, orders, inFlight: IN_FLIGHT, at, target: syncTarget });
    results.push(...sync.results);
    const { dbReads, dbWrites, invocations } = sync.cost;
    costs.push({ flow: 'order of a member (sync, batches of 500)', reads: dbReads, writes: dbWrites, invocations });
    if (latencyMs === 0) results.push(...costRows(costs));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
