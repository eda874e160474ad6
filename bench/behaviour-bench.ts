import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { buildFunctions } from '../scripts/build-functions';
import { spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { atLeast, info, pool, signedPost, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';
import { sdkFor } from './sdk-client';
import { benchOpenid, seedMembers } from './seed-members';

const IN_FLIGHT = 4;
const MP_CALLS = 1000;
const MP_BATCH = 20;
const WEB_REQUESTS = 40;
const WEB_VISITORS = 50;
const WEB_EVENTS = 10;
const PRODUCTS = 200;
/**
 * The need: a brand of 1M members with 5% active a day and 50 events each is ~30 events/s on
 * average; ten times that at the evening peak is 300 events/s from the Mini Program.
 */
const MP_TARGET = 300;
const WEB_TARGET = 1000;
const KINDS = ['page_view', 'product_view', 'product_view', 'add_to_cart', 'share', 'search'] as const;

const product = (i: number) => ({ _id: `P-${i}`, category: `c${i % 12}`, active: true });

/** Event k of a batch: a mix of kinds as a shopper's session has them, a minute apart, ending now. */
function event(k: number, now: Date, salt: number) {
  const kind = KINDS[(k + salt) % KINDS.length]!;
  const at = new Date(now.getTime() - (MP_BATCH - k) * 60_000 - (salt % 1000)).toISOString();
  const product = `P-${(k * 31 + salt) % PRODUCTS}`;
  if (kind === 'page_view') return { kind, at, page: 'pages/home/index' };
  if (kind === 'search') return { kind, at, query: `q${salt % 50}` };
  return { kind, at, productId: product };
}

const perK = (cpuMs: number, events: number) => (cpuMs / events) * 1000;

async function invoke(url: string, openid: string, data: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${url}/invoke/member`, { method: 'POST', body: JSON.stringify({ openid, data }) });
  const r = (await res.json()) as { result?: { ok: boolean; error?: unknown } };
  if (!r.result?.ok) throw new Error(`track refused: ${JSON.stringify(r)}`);
}

async function webPost(url: string, body: unknown, at: Date): Promise<void> {
  const res = await signedPost(url, '/http/member/track', body, at);
  if (res.status !== 200) throw new Error(`web track refused: ${res.status} ${await res.text()}`);
}

type Cpu = ReturnType<typeof processTreeCpu>;

/** A flow's events per second against its target, with the CPU it used per 1,000 events. */
const flowFigures = (flow: string, label: string, events: number, ms: number, target: number, from: Cpu, to: Cpu) => [
  atLeast(flow, (events / ms) * 1000, 'events/s', target),
  info(
    `  ${label}: CPU per 1,000 events, member function instances`,
    perK(to.descendants - from.descendants, events),
    'ms',
  ),
  info(`  ${label}: CPU per 1,000 events, emulator`, perK(to.own - from.own, events), 'ms'),
];

/**
 * Behaviour events ingested per second with `members` members (all with tracking consent): Mini
 * Program batches of 20 from random members through the `member` function, and the website's signed
 * batches of 50 anonymous visitors × 10 events, each with 4 requests in flight.
 */
export async function behaviourBench(opts: { members: number }): Promise<BenchResult[]> {
  buildFunctions();
  const dir = functionsDirWith(['member'], []);
  const emulator = { functionsDir: dir, collections, httpRoutes, warmInstancesPerFunction: IN_FLIGHT };
  const { child, url } = await spawnEmulator(emulator);
  try {
    const { db } = sdkFor(url);
    const now = new Date(((await (await fetch(`${url}/clock`)).json()) as { now: string }).now);
    const seeded = performance.now();
    await seedMembers(db, opts.members, { at: now, fields: () => ({ consents: { trackingOptIn: true } }) });
    const products = Array.from({ length: PRODUCTS }, (_v, i) => product(i));
    await db.collection('products').add({ data: products });
    const seedMs = performance.now() - seeded;
    const member = (i: number) => benchOpenid((i * 7919) % opts.members);
    const batch = (salt: number, size: number) => Array.from({ length: size }, (_v, k) => event(k, now, salt));
    for (let i = 0; i < IN_FLIGHT * 3; i++) await invoke(url, member(i), { action: 'track', events: batch(i, 1) });

    const load0 = loadavg()[0]!;
    const cpu0 = processTreeCpu(child.pid!);
    const mpMs = await pool(MP_CALLS, IN_FLIGHT, (c) =>
      invoke(url, member(c + 100), { action: 'track', events: batch(c, MP_BATCH) }),
    );
    const visitor = (r: number, v: number) => ({
      anonymousId: `anon-${String(r * WEB_VISITORS + v).padStart(10, '0')}`,
      events: Array.from({ length: WEB_EVENTS }, (_x, k) => event(k, now, r * WEB_VISITORS + v)),
    });
    const cpu1 = processTreeCpu(child.pid!);
    const webMs = await pool(WEB_REQUESTS, IN_FLIGHT, (r) =>
      webPost(url, { consent: true, visitors: Array.from({ length: WEB_VISITORS }, (_v, v) => visitor(r, v)) }, now),
    );
    const cpu2 = processTreeCpu(child.pid!);
    const load1 = loadavg()[0]!;
    const stored = (await db.collection('behaviour').count()) as { total: number };
    const mpEvents = MP_CALLS * MP_BATCH;
    const webEvents = WEB_REQUESTS * WEB_VISITORS * WEB_EVENTS;
    if (stored.total < mpEvents + webEvents) throw new Error(`only ${stored.total} behaviour rows stored`);
    const mpName = `behaviour events from the Mini Program at ${opts.members} members (batches of ${MP_BATCH})`;
    const webName = `behaviour events from the website (signed, ${WEB_VISITORS} visitors × ${WEB_EVENTS})`;
    return [
      info(`seed ${opts.members} members with tracking consent (raw insert)`, seedMs / 1000, 's'),
      ...flowFigures(mpName, 'Mini Program', mpEvents, mpMs, MP_TARGET, cpu0, cpu1),
      ...flowFigures(webName, 'website', webEvents, webMs, WEB_TARGET, cpu1, cpu2),
      info('load average (1 min) before the events, then after', load0, 'load'),
      info('  load average after', load1, 'load'),
    ];
  } finally {
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
    rmSync(dir, { recursive: true, force: true });
  }
}
