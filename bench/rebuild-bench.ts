import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedDatabase } from '../emulator/db/database';
import type { Doc } from '../emulator/db/values';
import { parseRfmConfig, DEFAULT_TAGS } from '../core/portrait';
import { loadBrandConfig } from '../server/config';
import { forgetTagTaxonomy } from '../server/portrait/settings';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { bulkFacts } from '../server/lifecycle/recompute';
import { rebuildLifecycle } from '../server/lifecycle/rebuild';
import { REBUILD_PAGE } from '../server/lifecycle/rebuild-pages';
import { lifecyclePatch } from '../server/lifecycle/update';
import type { MemberDoc } from '../server/members/documents';
import type { Database } from '../server/runtime/cloud';
import { spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { atMost, exactly, info, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';
import { seededStore } from './seed-cache';
import { sdkFor } from './sdk-client';

const DAY = 86_400_000;
const CHUNK = 20_000;
/** each call of the rebuild stops before a page that would start after this: inside a 60 s function timeout */
const SLICE_MS = 40_000;
const NOW = new Date('2026-06-01T19:00:00Z');
/** Raised whenever what `seed` writes changes, so that a cached store of the old shape is not reused. */
const SEED_FORMAT = 2;
const REBUILD_PROCESS = 'test/support/rebuild-process.ts';

/**
 * The members and their orders as the product keeps them (stage, portrait and facts computed by the
 * same code from the same orders, as of NOW), written straight into the emulator's SQLite store
 * before it starts: a million members in minutes rather than the SDK's hour.
 */
function seed(file: string, members: number, ordersPer: number): void {
  const db = new EmulatedDatabase(file);
  for (const name of ['members', 'orders']) {
    db.store.createCollection(name);
    db.declareIndexes(name, collections.find((c) => c.name === name)!.indexes);
  }
  const { config } = loadBrandConfig();
  const settings = { lifecycle: config.lifecycle, rfm: parseRfmConfig({}), tags: DEFAULT_TAGS, forecastDays: 365 };
  for (let from = 0; from < members; from += CHUNK) {
    const memberDocs: Doc[] = [];
    const orderDocs: Doc[] = [];
    for (let i = from; i < Math.min(members, from + CHUNK); i++) {
      const id = `m${String(i).padStart(8, '0')}`;
      const orders = Array.from({ length: ordersPer }, (_v, k) => {
        const paidAt = new Date(NOW.getTime() - (1 + ((i * 7 + k * 37) % 400)) * DAY);
        const fen = 10_000 + ((i + k) % 50) * 1000;
        const category = k % 2 ? 'tea' : 'qipao';
        return {
          _id: `pos:R-${i}-${k}`,
          source: 'pos',
          orderNo: `R-${i}-${k}`,
          memberId: id,
          createdAt: paidAt,
          paid: true,
          paidAt,
          paidFen: fen,
          refundedFen: 0,
          status: 'paid',
          items: [{ sku: category, category, qty: 1, priceFen: fen }],
        };
      });
      const first = new Date(Math.min(...orders.map((o) => o.paidAt.getTime())));
      const m = { _id: id, state: 'member', firstSeenAt: first, lastSeenAt: first, createdAt: first } as MemberDoc;
      const { facts, traits } = bulkFacts(m, orders as never);
      const { patch } = lifecyclePatch(m, facts, traits, settings, NOW);
      memberDocs.push({ ...m, ...patch });
      orderDocs.push(...orders);
    }
    db.store.load('members', memberDocs);
    db.store.load('orders', orderDocs);
  }
  db.close();
}

/** The seeded store for this size (`bench/seed-cache.ts`), with the CPU the seed or the copy took. */
function seededStoreOf(
  file: string,
  members: number,
  ordersPer: number,
): { ms: number; cpuMs: number; cached: boolean } {
  const cpu = process.cpuUsage();
  const key = `rebuild-${members}x${ordersPer}-s${SEED_FORMAT}`;
  const { seedS, cached } = seededStore(key, (into) => seed(into, members, ordersPer), file);
  const used = process.cpuUsage(cpu);
  return { ms: seedS * 1000, cpuMs: (used.user + used.system) / 1000, cached };
}

/** A rule the brand adds to its tag taxonomy: every seeded member (five paid orders each) comes to hold it. */
const REPEAT_BUYER = {
  id: 'bench_repeat_buyer',
  category: 'consumption',
  kind: 'rule',
  name: { zh: '复购客户', en: 'Repeat buyer' },
  rule: { field: 'paidOrderCount', op: 'gte', value: 2 },
};

interface RunFigures {
  ms: number;
  slices: number;
  members: number;
  written: number;
  stageChanges: number;
  instanceCpuMs: number;
  emulatorCpuMs: number;
  rssGrowthMb: number;
}

/** One instance process: the rebuild called again and again until done, as a function would be. */
function instanceProcess(url: string): Promise<{ cpuMs: number; rssGrowthMb: number; calls: number }> {
  const root = join(__dirname, '..');
  const args = [NOW.toISOString(), String(SLICE_MS), String(SLICE_MS + 60_000), '1', 'go-on'];
  const child = spawn(
    process.execPath,
    [join(root, 'scripts', 'run-ts.js'), REBUILD_PROCESS, `${url}/admin`, ...args],
    {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) =>
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('FIGURES '));
      if (code !== 0 || !line) reject(new Error(`rebuild instance exited with ${code}`));
      else resolve(JSON.parse(line.slice('FIGURES '.length)));
    }),
  );
}

/**
 * The rebuild from the start until done, as functions would run it: a first call alone starts it
 * (one page), then `instances` processes at once each call it again and again (resumable slices of
 * SLICE_MS) until done, every call taking a free `_id` range. CPU: this process's first call and every
 * instance's; RSS growth: the largest instance's.
 */
async function timedRebuild(db: Database, url: string, emulatorPid: number, instances: number): Promise<RunFigures> {
  const cpu0 = process.cpuUsage();
  const emu0 = processTreeCpu(emulatorPid).own;
  const started = performance.now();
  await rebuildLifecycle(db, NOW, { sliceMs: 0, restart: true });
  const ran = await Promise.all(Array.from({ length: instances }, () => instanceProcess(url)));
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const last = await rebuildLifecycle(db, NOW, { sliceMs: 0 });
  if (!last.done) throw new Error('the instances stopped before the rebuild was done');
  return {
    ms,
    slices: 1 + ran.reduce((n, r) => n + r.calls, 0),
    members: last.members,
    written: last.written,
    stageChanges: last.stageChanges,
    instanceCpuMs: (cpu.user + cpu.system) / 1000 + ran.reduce((n, r) => n + r.cpuMs, 0),
    emulatorCpuMs: processTreeCpu(emulatorPid).own - emu0,
    rssGrowthMb: Math.max(...ran.map((r) => r.rssGrowthMb)),
  };
}

const perMember = (f: RunFigures, what: 'instanceCpuMs' | 'emulatorCpuMs') => f[what] / Math.max(1, f.members);

/**
 * The lifecycle/RFM rebuild from orders (the repair mode) over BENCH_REBUILD_MEMBERS members (default
 * the suite's large size, 1,000,000) with BENCH_REBUILD_ORDERS_PER orders each (default 5), in
 * resumable slices of SLICE_MS as a function would run it; RSS and CPU of the process running it, CPU
 * of the emulator. Twice: as seeded (nothing to repair), then after the brand adds a tag rule every
 * member meets (every member written). BENCH_REBUILD_CHANGED=0 leaves the second run out.
 */
export async function rebuildBench(large: number): Promise<BenchResult[]> {
  const members = Number(process.env.BENCH_REBUILD_MEMBERS ?? large);
  const per = Number(process.env.BENCH_REBUILD_ORDERS_PER ?? 5);
  const changed = process.env.BENCH_REBUILD_CHANGED !== '0';
  const instances = Number(process.env.BENCH_REBUILD_INSTANCES ?? 2);
  const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-bench-'));
  const dir = functionsDirWith([], []);
  try {
    const seeded = seededStoreOf(join(dataDir, 'cloudbase.sqlite'), members, per);
    const seedMs = seeded.ms;
    const how = seeded.cached ? 'copied from bench/.cache' : 'seeded';
    const cpuS = Math.round(seeded.cpuMs / 1000);
    console.error(`rebuild bench: ${how}: ${members} members in ${Math.round(seedMs / 1000)} s (${cpuS} s of CPU)`);
    const { child, url } = await spawnEmulator({
      functionsDir: dir,
      collections,
      httpRoutes,
      dataDir,
      timerFunctions: [],
    });
    try {
      const db = sdkFor(url).db as Database;
      const scale = `${members} members, ${members * per} orders`;
      const load = () => Math.round(loadavg()[0]! * 10) / 10;
      const rows = (label: string, f: RunFigures): BenchResult[] => [
        info(`  ${label}: instance processes at once, each taking a free _id range`, instances, ''),
        info(
          `  ${label}: resumable slices of ≤ ${SLICE_MS / 1000} s (pages of ${REBUILD_PAGE} members)`,
          f.slices,
          'slices',
        ),
        info(`  ${label}: members rebuilt`, f.members, 'members'),
        info(`  ${label}: instance CPU per member`, perMember(f, 'instanceCpuMs') * 1000, 'µs'),
        info(`  ${label}: emulator CPU per member`, perMember(f, 'emulatorCpuMs') * 1000, 'µs'),
        atMost(`  ${label}: RSS growth of the largest instance process (flat memory)`, f.rssGrowthMb, 'MB', 200),
      ];
      const loadBefore = load();
      const repair = await timedRebuild(db, url, child.pid!, instances);
      const results = [
        info(
          `rebuild seed: ${scale} ${seeded.cached ? 'copied from bench/.cache' : "written into the emulator's store"}`,
          seedMs / 1000,
          's',
        ),
        info('  load average (1 min) when the rebuild started', loadBefore, ''),
        atMost(`lifecycle rebuild from orders (repair mode), ${scale}`, repair.ms / 1000, 's', 120),
        ...rows('as seeded', repair),
        atMost(
          '  as seeded: members written (kept as the product keeps them: nothing to repair)',
          repair.written,
          'members',
          0,
        ),
      ];
      if (changed) {
        const taxonomy = [...DEFAULT_TAGS, REPEAT_BUYER].map(({ id, ...d }) => ({ _id: id, ...d }));
        await (db as unknown as { collection(n: string): { add(a: unknown): Promise<unknown> } })
          .collection('tags')
          .add({ data: taxonomy });
        forgetTagTaxonomy();
        const loadAt = load();
        const all = await timedRebuild(db, url, child.pid!, instances);
        results.push(
          info('  load average (1 min) when the rule-change rebuild started', loadAt, ''),
          info(`lifecycle rebuild after a new tag rule every member meets, ${scale}`, all.ms / 1000, 's'),
          ...rows('rule change', all),
          exactly('  rule change: members written (every member gains the tag)', all.written, 'members', members),
        );
      }
      return results;
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
