import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { ChildProcess } from 'node:child_process';
import { signedHeaders } from '../core/signing';
import { devSecret, syncSecretName } from '../server/http/secrets';
import { buildFunctions } from '../scripts/build-functions';
import { spawnFunctions } from './functions-emulator';
import { functionsDirWith } from '../test/integration/orders/support';
import { atLeast, atMost, info, pool, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';
import { seedMembers } from './seed-members';
import { processTreeCpu } from './process-cpu';

/**
 * Order sync of known members' orders: new paid orders, each of a different member found by the
 * phone it registered, through the signed HTTP endpoint in batches of 500, at a given latency per
 * database call and per invocation. Reports orders/s, database calls per order (from the
 * emulator's invocation log) and CPU per order in the function instances and in the emulator.
 */
export const KNOWN_BATCH = 500;
const LOG = 3000;

const phoneOf = (i: number) => `138${String(i).padStart(8, '0')}`;
/** The identities bench member `i` has beyond its OpenID: the phone its orders name. */
export const knownMemberPhone = (i: number) => [{ type: 'phone', value: phoneOf(i) }];

/** Order `i` of a run: a new paid order of bench member `i`, by the phone the member registered. */
function memberOrder(run: string, i: number, at: Date) {
  const iso = new Date(at.getTime() - (i % 1000) * 60_000).toISOString();
  const fen = 1000 + (i % 97) * 100;
  return {
    source: 'pos',
    orderNo: `${run}-${i}`,
    customer: [{ type: 'phone', value: phoneOf(i) }],
    amounts: { totalFen: fen },
    items: [{ sku: `sku-${i % 50}`, category: 'tea', qty: 1, priceFen: fen }],
    status: 'paid',
    createdAt: iso,
    paidAt: iso,
    updatedAt: iso,
  };
}

async function post(url: string, orders: unknown[], at: Date): Promise<number> {
  const path = '/http/orders/sync';
  const text = JSON.stringify({ orders });
  const nonce = randomBytes(12).toString('hex');
  const signed = signedHeaders(devSecret(syncSecretName('pos')), 'pos', {
    method: 'POST',
    path,
    nonce,
    body: text,
    at,
  });
  const headers = { ...signed, 'content-type': 'application/json' };
  const res = await fetch(`${url}${path}`, { method: 'POST', headers, body: text });
  type Answer = { ok: boolean; replayed?: boolean; error?: { code: string } };
  const j = (await res.json()) as { data?: { accepted: number; results: Answer[] } };
  if (!j.data) throw new Error(`sync refused: ${JSON.stringify(j).slice(0, 500)}`);
  const failed = j.data.results.filter((r) => !r.ok);
  if (failed.length) throw new Error(`${failed.length} orders refused: ${JSON.stringify(failed.slice(0, 3))}`);
  return j.data.results.filter((r) => r.ok && !r.replayed).length;
}

export interface SyncCost {
  dbCalls: number;
  dbReads: number;
  dbWrites: number;
  invocations: number;
}

/**
 * Syncs the orders of bench members [0, orders) (seeded with `knownMemberPhone`, plus one batch
 * more per instance for the warm-up, from member `orders` on) and measures the timed run.
 */
export async function syncKnownOrders(opts: {
  url: string;
  emulator: ChildProcess;
  orders: number;
  inFlight: number;
  at: string;
  target: number;
}): Promise<{ results: BenchResult[]; cost: SyncCost }> {
  const { url, orders, inFlight, at } = opts;
  const { db } = sdkFor(url);
  const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
  // one warm-up batch per instance, so no instance compiles its code inside the timed run
  await pool(inFlight, inFlight, (w) =>
    post(
      url,
      Array.from({ length: KNOWN_BATCH }, (_v, k) => memberOrder('W', orders + w * KNOWN_BATCH + k, now)),
      now,
    ),
  );
  let settled = 0;
  const cpu0 = processTreeCpu(opts.emulator.pid!);
  const ms = await pool(orders / KNOWN_BATCH, inFlight, async (b) => {
    const batch = Array.from({ length: KNOWN_BATCH }, (_v, k) => memberOrder('K', b * KNOWN_BATCH + k, now));
    const n = await post(url, batch, now);
    settled += n;
  });
  const cpu1 = processTreeCpu(opts.emulator.pid!);
  const load = loadavg()[0]!;
  if (settled !== orders) throw new Error(`only ${settled} of ${orders} known members' orders settled`);
  const earned = (await db.collection('points_ledger').where({ kind: 'earn' }).count()).total as number;
  const all = orders + inFlight * KNOWN_BATCH;
  if (earned !== all) throw new Error(`${earned} earn rows for ${all} orders`);
  const res = await fetch(`${url}/api/invocations?fn=orders&limit=${LOG}`);
  const log = ((await res.json()) as { invocations: Omit<SyncCost, 'invocations'>[] }).invocations;
  const timed = log.slice(0, orders / KNOWN_BATCH);
  const sum = (k: keyof Omit<SyncCost, 'invocations'>) => timed.reduce((s, x) => s + x[k], 0) / orders;
  const cost = { dbCalls: sum('dbCalls'), dbReads: sum('dbReads'), dbWrites: sum('dbWrites'), invocations: 0 };
  cost.invocations = timed.length / orders;
  const instanceCpu = (cpu1.descendants - cpu0.descendants) / orders;
  const emulatorCpu = (cpu1.own - cpu0.own) / orders;
  const run = `${orders}, batches of ${KNOWN_BATCH}, ${inFlight} in flight`;
  const results = [
    atLeast(`order sync, known members' orders (${run}) ${at}`, (orders / ms) * 1000, 'orders/s', opts.target),
    atMost(`  database calls per order ${at}`, cost.dbCalls, 'calls', 4),
    info(`  CPU per order, emulator + function instances ${at}`, instanceCpu + emulatorCpu, 'ms'),
    info(`    of which in the function instances ${at}`, instanceCpu, 'ms'),
    info(`    of which in the emulator ${at}`, emulatorCpu, 'ms'),
    info(`  orders/s this CPU per order allows on 2 idle cores ${at}`, 2000 / (instanceCpu + emulatorCpu), 'orders/s'),
    info(`  load average (1 min) at the end of the run ${at}`, load, ''),
  ];
  return { results, cost };
}

/** Known members' orders per second a sync must reach: 1,000 without added latency, 500 at 10 ms per call. */
export const knownOrdersTarget = (latencyMs: number): number => (latencyMs > 0 ? 500 : 1000);

/**
 * The suite `known-orders` (and `known-orders-10ms`): only the known members' order sync, in an
 * emulator of its own. BENCH_KNOWN_ORDERS sets the orders synced (default 5,000).
 */
export async function knownOrdersBench(latencyMs: number): Promise<BenchResult[]> {
  const orders = Number(process.env.BENCH_KNOWN_ORDERS ?? 5000);
  const inFlight = 2;
  buildFunctions();
  const dir = functionsDirWith(['orders'], []);
  const { child, url } = await spawnFunctions(dir, latencyMs, {
    warmInstancesPerFunction: inFlight,
    invocationLogSize: LOG,
    timerFunctions: [],
  });
  try {
    const { db } = sdkFor(url);
    const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
    const members = orders + inFlight * KNOWN_BATCH;
    await seedMembers(db, members, { at: new Date(now.getTime() - 86_400_000), identities: knownMemberPhone });
    const at = `@${latencyMs} ms/call`;
    const target = knownOrdersTarget(latencyMs);
    return (await syncKnownOrders({ url, emulator: child, orders, inFlight, at, target })).results;
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
