import { spawn } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { loadavg } from 'node:os';
import { buildFunctions } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { IMPORT_SECRET_ENV } from '../server/imports/signed-batch';
import { profileArgs, spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { atMost, exactly, info, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';
import { sdkFor } from './sdk-client';

const ROOT = join(__dirname, '..');
const SECRET = 'bench-import-secret-0123456789';
/** every DUP_EVERY-th row repeats a person ten rows earlier: the import finds them (matched) */
const DUP_EVERY = 20;
const isDuplicate = (i: number) => i % DUP_EVERY === DUP_EVERY - 1;
const personOf = (i: number) => (isDuplicate(i) ? i - 10 : i);

async function writeLines(file: string, count: number, line: (i: number) => object): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) if (!out.write(`${JSON.stringify(line(i))}\n`)) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
}

/** A legacy CRM export in JSONL, already in the product's words (no column mapping needed). */
const member = (i: number) => {
  const p = personOf(i);
  return {
    ref: `L${p}`,
    phone: `139${String(p).padStart(8, '0')}`,
    cardNo: `LC${String(p).padStart(7, '0')}`,
    name: `会员${p}`,
    birthday: `1990-05-0${(p % 9) + 1}`,
    joinedAt: '2023-03-01',
    points: [{ amount: (p % 500) + 1, expiresAt: '2027-12-31' }],
    tags: ['legacy'],
  };
};
/** The dry runs' files: the same members with every REFUSED_EVERY-th phone unreadable (rejected rows to report). */
const REFUSED_EVERY = 25;
const dryMember = (i: number) => (i % REFUSED_EVERY === 0 ? { ...member(i), phone: `x${i}` } : member(i));
const order = (n: number) => (i: number) => ({
  orderNo: `H${i}`,
  memberRef: `L${personOf((i * 7) % n)}`,
  paidAt: new Date(Date.UTC(2025, 0, 1) + (i % 365) * 86_400_000).toISOString(),
  paidFen: 10_000 + (i % 50) * 1000,
  categories: [i % 2 ? 'tea' : 'qipao'],
});

interface Run {
  ms: number;
  /** CPU ms of the import process itself (sampled, so up to one sample late) */
  cliCpuMs: number;
  /** RSS growth of the importing process from its first batch to its peak */
  rssGrowthMb: number;
  report: { rows: number; new: number; matched: number; rejected: number; stoppedAfterLine: number | null } | null;
}

const rssOf = (pid: number): number => {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return m ? Number(m[1]) / 1024 : 0;
};

/**
 * `npm run import` in a process of its own, as the brand runs it; with `killAt`, SIGKILLed once its
 * progress bar passes that many rows (a crash mid-way, the progress file left behind).
 */
async function importOnce(file: string, serviceUrl: string, dir: string, killAt?: number, more: string[] = []) {
  const report = join(dir, `report-${Date.now()}.json`);
  const env = {
    ...process.env,
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    [IMPORT_SECRET_ENV]: SECRET,
    CLOUDBASE_ENV: 'local-env',
  };
  const parallel = process.env.BENCH_IMPORT_PARALLEL ? ['--parallel', process.env.BENCH_IMPORT_PARALLEL] : [];
  const args = ['scripts/import/cli.ts', file, '--service-url', serviceUrl, '--report', report, ...parallel, ...more];
  const started = performance.now();
  const child = spawn(process.execPath, [...profileArgs(), join(ROOT, 'scripts', 'run-ts.js'), ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const pid = child.pid!;
  let base = 0;
  let peak = 0;
  let cliCpuMs = 0;
  const sample = setInterval(() => {
    try {
      cliCpuMs = processTreeCpu(pid).own || cliCpuMs;
      if (base) peak = Math.max(peak, rssOf(pid));
    } catch {
      // the process has just ended: nothing left to sample
    }
  }, 200);
  let errors = '';
  child.stderr!.on('data', (c: Buffer) => {
    const text = c.toString();
    const done = [...text.matchAll(/\] (\d+)\/\d+ (?:imported|checked)/g)].at(-1)?.[1];
    if (done && !base) base = peak = rssOf(pid);
    if (done && killAt !== undefined && Number(done) >= killAt) child.kill('SIGKILL');
    if (!done) errors += text;
  });
  const [code, signal] = (await once(child, 'exit')) as [number | null, string | null];
  clearInterval(sample);
  const ms = performance.now() - started;
  if (signal !== 'SIGKILL' && code !== 0) throw new Error(`import of ${file} failed (${code}): ${errors}`);
  const done = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as Run['report']) : null;
  return { ms, cliCpuMs, rssGrowthMb: peak - base, report: done } satisfies Run;
}

/** Killed half-way, then the same command again: the two runs together, and the report of the second. */
async function importResumed(file: string, rows: number, url: string, dir: string, emulatorPid: number) {
  const cpu0 = processTreeCpu(emulatorPid);
  const killed = await importOnce(file, url, dir, Math.floor(rows / 2));
  const resumedFrom = existsSync(`${file}.import-progress.json`)
    ? (JSON.parse(readFileSync(`${file}.import-progress.json`, 'utf8')) as { doneThroughLine: number }).doneThroughLine
    : 0;
  const rest = await importOnce(file, url, dir);
  const cpu1 = processTreeCpu(emulatorPid);
  return {
    seconds: (killed.ms + rest.ms) / 1000,
    cpuPer1000: cpuPer1000(rows, killed.cliCpuMs + rest.cliCpuMs, cpu0, cpu1),
    rssGrowthMb: Math.max(killed.rssGrowthMb, rest.rssGrowthMb),
    killedReport: killed.report,
    resumedFrom,
    rest: rest.report!,
  };
}

type TreeCpu = ReturnType<typeof processTreeCpu>;
/** CPU ms per 1,000 rows: the import process, the emulator, its function instances. */
const cpuPer1000 = (rows: number, cliMs: number, a: TreeCpu, b: TreeCpu) => ({
  cli: (cliMs / rows) * 1000,
  emulator: ((b.own - a.own) / rows) * 1000,
  functions: ((b.descendants - a.descendants) / rows) * 1000,
});

const cpuRows = (what: string, c: ReturnType<typeof cpuPer1000>): BenchResult[] => [
  info(`  ${what}: CPU per 1,000 rows, import process`, c.cli, 'ms'),
  info(`  ${what}: CPU per 1,000 rows, emulator`, c.emulator, 'ms'),
  info(`  ${what}: CPU per 1,000 rows, admin function instances`, c.functions, 'ms'),
];

/**
 * A dry run of a members file: its rate, CPU and the import process's RSS growth (the keys it met
 * and the rows it rejected go to disk).
 */
async function dryRun(rows: number, url: string, dir: string, emulatorPid: number) {
  const file = join(dir, `dry-${rows}.jsonl`);
  await writeLines(file, rows, dryMember);
  const cpu0 = processTreeCpu(emulatorPid);
  const run = await importOnce(file, url, dir, undefined, ['--dry-run']);
  const cpu1 = processTreeCpu(emulatorPid);
  rmSync(file);
  return { run, cpu: cpuPer1000(rows, run.cliCpuMs, cpu0, cpu1), rate: rows / (run.ms / 1000) };
}

/**
 * Bringing a brand over with `npm run import`: BENCH_IMPORT_ROWS legacy members (default the suite's
 * large size; every 20th a person seen ten rows earlier) then as many historical orders, each import
 * killed half-way and run again, against an emulator in a process of its own with a SQLite store.
 */
export async function importBench(large: number): Promise<BenchResult[]> {
  const rows = Number(process.env.BENCH_IMPORT_ROWS ?? large);
  const people = rows - Math.floor((rows + 1) / DUP_EVERY);
  buildFunctions();
  const functionsDir = functionsDirWith(['admin'], [], { [IMPORT_SECRET_ENV]: SECRET });
  const dir = mkdtempSync(join(tmpdir(), 'import-bench-'));
  const dataDir = join(dir, 'data');
  try {
    const membersFile = join(dir, 'members.jsonl');
    const ordersFile = join(dir, 'orders.jsonl');
    await writeLines(membersFile, rows, member);
    await writeLines(ordersFile, rows, order(rows));
    const { child, url } = await spawnEmulator({ functionsDir, collections, httpRoutes, dataDir, timerFunctions: [] });
    try {
      const serviceUrl = `${url}/admin`;
      const load0 = loadavg()[0]!;
      const { db } = sdkFor(url);
      // memory flat: the dry run's RSS growth on a tenth of the file and on all of it
      const small = Math.max(1000, Math.floor(rows / 10));
      const drySmall = await dryRun(small, serviceUrl, dir, child.pid!);
      const dry = await dryRun(rows, serviceUrl, dir, child.pid!);
      // each step's headline as it ends: a long run tells how far it got
      const step = (what: string, rate: number, rss: number) =>
        process.stderr.write(`${what}: ${rate.toFixed(1)}/s, RSS growth ${rss.toFixed(1)} MB, load ${loadavg()[0]}\n`);
      step(`dry run ${small} rows`, drySmall.rate, drySmall.run.rssGrowthMb);
      step(`dry run ${rows} rows`, dry.rate, dry.run.rssGrowthMb);
      const afterDryRun = (await db.collection('members').count()).total as number;
      const scale = `${rows} rows`;
      const dryRows = [
        info(`dry run of the members file (${scale})`, dry.rate, 'members/s'),
        ...cpuRows('dry run', dry.cpu),
        atMost('  dry run: import process RSS growth (flat memory)', dry.run.rssGrowthMb, 'MB', 200),
        info(`  dry run of ${small} rows: import process RSS growth`, drySmall.run.rssGrowthMb, 'MB'),
        atMost(
          `  dry run: RSS growth at ${rows} rows over that at ${small} (proportional would be ${rows / small}×)`,
          dry.run.rssGrowthMb - drySmall.run.rssGrowthMb,
          'MB',
          20,
        ),
        exactly(
          '  dry run: rows rejected (to the report file)',
          dry.run.report?.rejected ?? -1,
          'rows',
          Math.ceil(rows / REFUSED_EVERY),
        ),
        exactly('  dry run: members written', afterDryRun, 'members', 0),
      ];
      // BENCH_IMPORT_DRY_ONLY=1: the dry runs alone (the memory figures at a large size, in minutes)
      if (process.env.BENCH_IMPORT_DRY_ONLY)
        return [info('load average (1 min) at the start', load0, 'load'), ...dryRows];
      const mark = (m: string) => process.stderr.write(`MARK ${m} ${process.hrtime.bigint() / 1000n}\n`);
      mark('members');
      const members = await importResumed(membersFile, rows, serviceUrl, dir, child.pid!);
      step('members', rows / members.seconds, members.rssGrowthMb);
      mark('orders');
      const orders = await importResumed(ordersFile, rows, serviceUrl, dir, child.pid!);
      mark('end');
      const load1 = loadavg()[0]!;
      const membersHere = (
        await db
          .collection('members')
          .where({ mergedInto: db.command.exists(false) })
          .count()
      ).total as number;
      const ordersHere = (await db.collection('orders').count()).total as number;
      return [
        info('load average (1 min) at the start, then at the end', load0, 'load'),
        info('  load average at the end', load1, 'load'),
        ...dryRows,
        info(
          `import members (${scale}, 1 in ${DUP_EVERY} a duplicate), killed half-way and resumed`,
          rows / members.seconds,
          'members/s',
        ),
        info(`  members: second run went on after line`, members.resumedFrom, 'line'),
        ...cpuRows('members', members.cpuPer1000),
        atMost('  members: import process RSS growth (flat memory)', members.rssGrowthMb, 'MB', 200),
        exactly('  members here after the resumed import (each person once)', membersHere, 'members', people),
        info(`import orders (${scale}), killed half-way and resumed`, rows / orders.seconds, 'orders/s'),
        info(`  orders: second run went on after line`, orders.resumedFrom, 'line'),
        ...cpuRows('orders', orders.cpuPer1000),
        atMost('  orders: import process RSS growth (flat memory)', orders.rssGrowthMb, 'MB', 200),
        exactly('  orders here after the resumed import (each order once)', ordersHere, 'orders', rows),
        exactly('  rows refused', members.rest.rejected + orders.rest.rejected, 'rows', 0),
      ];
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(functionsDir, { recursive: true, force: true });
  }
}
