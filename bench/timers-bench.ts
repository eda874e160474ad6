import { rmSync } from 'node:fs';
import type { Emulator } from '../emulator/emulator';
import { buildFunctions } from '../scripts/build-functions';
import { demoBrand } from '../scripts/seed/demo-brand';
import { as } from '../test/support/client';
import { spawnFunctions } from './functions-emulator';
import { functionsDirWith } from '../test/integration/orders/support';
import { FLOWS, violations, type Flow, type Suite } from '../test/integration/faults/support';
import { atMost, info, type BenchResult } from './harness';
import { seedMembers as seedDueMembers } from './orders-bench';
import { sdkFor } from './sdk-client';
import { seedMembers } from './seed-members';
import { claimCentreTerms } from '../test/integration/points/value-fixtures';

/**
 * Timers under load: USERS concurrent people and systems run the product's flows (joining,
 * claiming and redeeming coupons, booking, order syncs earning points, campaigns, journeys) for
 * BENCH_TIMERS_SECONDS (default 90) while the clock moves through a night (`night`), firing every
 * timer (the per-minute ones, journeys, referral, and the nightly jobs: birthdays,
 * stats, points and coupon expiry, tier review, lifecycle, nonces, retention). Each timer's longest
 * run, from the emulator's invocation log, is held against half its function's timeout; the log's
 * duration counts from the firing, so instances are allowed to scale out (as the platform's do) rather
 * than have a timer wait behind the load's calls.
 * BENCH_TIMERS_MEMBERS (default 20,000) members are there before: a tenth of them have a birthday
 * tonight, half are due for the nightly lifecycle review.
 */
const USERS = 16;
const STEP_MINUTES = 3;
const FUNCTIONS = ['member', 'coupons', 'orders', 'points', 'appointments', 'messaging', 'admin', 'referral'];
// Monday 23:00 in Shanghai; the nightly timers by their time on Tuesday in Shanghai
const START = new Date('2026-05-04T15:00:00Z');
const NIGHTLY: [string, string[]][] = [
  ['00:05', ['messaging:birthdays', 'orders:dailyStats']],
  ['01:00', ['orders:attachOrders']],
  ['02:00', ['points:expirePoints']],
  ['02:10', ['coupons:expireCoupons']],
  ['02:30', ['points:tierReview']],
  ['03:00', ['orders:lifecycleNightly']],
  ['04:30', ['member:purgeNonces']],
  ['04:40', ['member:retention']],
];
const TEMPLATE = 'tpl_timers_bench';

interface Logged {
  fn: string;
  source: string;
  durationMs: number;
  ok: boolean;
  input?: { TriggerName?: string };
}

async function moveClock(url: string, body: Record<string, unknown>): Promise<number> {
  const r = await fetch(`${url}/clock`, { method: 'POST', body: JSON.stringify(body) });
  if (r.status !== 200) throw new Error(`clock: ${await r.text()}`);
  return ((await r.json()) as { fired: unknown[] }).fired.length;
}

/** A member claims a coupon and staff redeem it at the till. */
const redemption: Flow = {
  name: 'redemption',
  async run(s, round) {
    const member = as(s.emu, `o_r_${round}`);
    await member.raw('member', { action: 'login' });
    const claimed = await member.raw('coupons', { action: 'claim', templateId: TEMPLATE, requestId: `claim-${round}` });
    const couponId = (claimed.result as { data?: { coupon?: { couponId?: string } } })?.data?.coupon?.couponId;
    if (!couponId) return;
    const detail = await member.raw('coupons', { action: 'detail', couponId });
    const code = (detail.result as { data?: { code?: string } })?.data?.code;
    if (!code) return;
    const till = { code, storeId: 'store_sh_xintiandi', orderAmountFen: 20_000, requestId: `redeem-${round}` };
    await as(s.emu, 'o_demo_manager').raw('coupons', { action: 'redeem', ...till });
  },
};

async function seedBrand(s: Suite, members: number): Promise<void> {
  for (const [coll, docs] of Object.entries(demoBrand)) {
    const list = (docs as readonly Record<string, unknown>[]).map((d) => ({ ...d }));
    for (let i = 0; i < list.length; i += 200) await s.db.collection(coll).add({ data: list.slice(i, i + 200) });
  }
  const created = await as(s.emu, 'o_demo_admin').raw('coupons', {
    action: 'templates.create',
    ...claimCentreTerms({ templateId: TEMPLATE, name: { zh: '压测券' }, totalStock: 1_000_000 }),
    requestId: 'timers-create',
  });
  if (!(created.result as { ok?: boolean })?.ok) throw new Error(`templates.create: ${JSON.stringify(created)}`);
  const half = Math.floor(members / 2);
  const birthday = (i: number) => (i % 10 === 0 ? { birthday: '1990-05-05', name: '会员' } : {});
  await seedMembers(s.db, half, { at: new Date(START.getTime() - 86_400_000), fields: birthday });
  await seedDueMembers(s.db as never, members - half, new Date('2026-05-04T19:00:00Z'));
}

/** Runs the flows with `USERS` in flight until `until`; the number of flows run. */
async function load(s: Suite, until: number): Promise<number> {
  const flows = [...FLOWS, redemption];
  let runs = 0;
  await Promise.all(
    Array.from({ length: USERS }, async (_v, user) => {
      for (let i = 0; Date.now() < until; i++) {
        await flows[(user + i) % flows.length]!.run(s, `t${user}_${i}`);
        runs++;
      }
    }),
  );
  return runs;
}

/**
 * The night, under load: the clock skips ahead (firing nothing) to just before each nightly
 * timer and moves a minute over it, firing that timer; then it moves in steps of STEP_MINUTES
 * firing every timer due (the per-minute ones, journeys, reminders, referral) until the load ends.
 */
async function night(url: string, until: number): Promise<{ steps: number }> {
  let steps = 0;
  for (const [time, timers] of NIGHTLY) {
    const at = new Date(`2026-05-05T${time}:00+08:00`);
    await moveClock(url, { set: new Date(at.getTime() - 30_000).toISOString(), only: [] });
    await moveClock(url, { advance: '1m', only: timers });
    steps++;
  }
  while (Date.now() < until) {
    await moveClock(url, { advance: `${STEP_MINUTES}m` });
    steps++;
  }
  return { steps };
}

export async function timersBench(latencyMs: number): Promise<BenchResult[]> {
  const seconds = Number(process.env.BENCH_TIMERS_SECONDS ?? 90);
  const members = Number(process.env.BENCH_TIMERS_MEMBERS ?? 20_000);
  const at = latencyMs > 0 ? ` @${latencyMs} ms/call` : '';
  buildFunctions();
  const dir = functionsDirWith(FUNCTIONS);
  const { child, url } = await spawnFunctions(dir, latencyMs, {
    invocationLogSize: 200_000,
    warmInstancesPerFunction: 2,
    maxInstancesPerFunction: 24,
  });
  const results: BenchResult[] = [];
  try {
    const emu = { url, serviceUrl: `${url}/admin`, options: { envId: 'local-env' } } as unknown as Emulator;
    const s: Suite = { emu, db: sdkFor(url).db as Suite['db'], dir };
    await moveClock(url, { set: START.toISOString() }); // back in time: nothing fires
    await seedBrand(s, members);
    const until = Date.now() + seconds * 1000;
    const [runs, moved] = await Promise.all([load(s, until), night(url, until)]);
    // the last messages of the run go out, so that nothing is left pending
    await moveClock(url, { advance: '30m' });
    const getJson = async <T>(path: string) => (await (await fetch(`${url}${path}`)).json()) as T;
    const log = (await getJson<{ invocations: Logged[] }>('/api/invocations?limit=1000000')).invocations;
    type Fn = { name: string; timeout?: number; triggers: { name: string }[] };
    const fns = (await getJson<{ functions: Fn[] }>('/api/functions')).functions;
    const user = log.filter((l) => l.source !== 'timer');
    results.push(info(`flows run by ${USERS} users and systems in ${seconds} s${at}`, runs, 'flows'));
    results.push(info(`  function calls of the load${at}`, user.length, 'calls'));
    const moves = `  clock moves under load (each nightly timer, then steps of ${STEP_MINUTES} min)${at}`;
    results.push(info(moves, moved.steps, 'moves'));
    const timers = log.filter((l) => l.source === 'timer');
    results.push(info(`  timer runs${at}`, timers.length, 'runs'));
    results.push(atMost(`  timer runs that failed${at}`, timers.filter((l) => !l.ok).length, 'runs', 0));
    for (const f of fns) {
      for (const t of f.triggers) {
        const runsOf = timers.filter((l) => l.fn === f.name && l.input?.TriggerName === t.name);
        const name = `timer ${f.name}:${t.name}`;
        if (runsOf.length === 0) {
          results.push({ name: `${name} fired under load${at}`, value: 0, unit: 'runs', target: '>= 1', ok: false });
          continue;
        }
        const longest = Math.max(0, ...runsOf.map((l) => l.durationMs)) / 1000;
        const timeout = f.timeout ?? 3;
        const label = `${name}, longest of ${runsOf.length} runs under load (timeout ${timeout} s)${at}`;
        results.push(atMost(label, longest, 's', timeout / 2));
      }
    }
    const broken = (await violations(s)).length;
    const invariants = `  invariants violated after the run (ledger, stock, slots, outbox)${at}`;
    results.push(atMost(invariants, broken, 'violations', 0));
  } finally {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}
