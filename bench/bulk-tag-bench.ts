import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedDatabase } from '../emulator/db/database';
import type { Write } from '../emulator/db/store';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { spawnEmulator } from '../test/support/emulator-process';
import { atLeast, exactly, info, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';
import { sdkFor } from './sdk-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type Db = any;

const ADMIN = 'o_bench_bulk_admin';
const JOB = 'bench_bulk_1';
const TAG = 'bench_gala';
/** members outside the segment, one for every this many inside */
const OUTSIDE_EVERY = 10;

/** Gold members (the segment) and a few silver ones straight into storage, before the emulator starts. */
function seed(file: string, inSegment: number): void {
  const db = new EmulatedDatabase(file);
  for (const c of collections) {
    db.store.createCollection(c.name);
    db.declareIndexes(c.name, c.indexes);
  }
  const total = inSegment + Math.ceil(inSegment / OUTSIDE_EVERY);
  const at = new Date();
  for (let from = 0; from < total; from += 5_000) {
    const writes: Write[] = [];
    for (let i = from; i < Math.min(total, from + 5_000); i++) {
      const id = `mb${String(i).padStart(8, '0')}`;
      const tier = i < inSegment ? 'gold' : 'silver';
      const doc = { _id: id, state: 'member', cardNo: `B${i}`, tier, tags: [], createdAt: at, lastSeenAt: at };
      writes.push({ coll: 'members', id, doc, before: null });
    }
    db.store.apply(writes);
  }
  db.close();
}

async function call(url: string, fn: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await fetch(`${url}/invoke/${fn}`, { method: 'POST', body: JSON.stringify({ openid: ADMIN, data }) });
  return (await res.json()) as Record<string, unknown>;
}

async function ok(url: string, fn: string, data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const body = (await call(url, fn, data)) as { result?: { ok: boolean; data: Record<string, unknown> } };
  if (!body.result?.ok) throw new Error(`${fn}.${String(data.action)} failed: ${JSON.stringify(body)}`);
  return body.result.data;
}

/** The next invocation of `admin` is killed (SIGKILL) this long after it starts. */
async function killAdminAfter(url: string, afterMs: number): Promise<void> {
  const body = JSON.stringify({ kind: 'kill', fn: 'admin', afterMs, times: 1 });
  const r = await fetch(`${url}/functions/faults`, { method: 'POST', body });
  if (!r.ok) throw new Error(`fault refused: ${await r.text()}`);
}

/**
 * Bulk tagging a saved segment of BENCH_BULK_TAG_MEMBERS members (default 100,000): the instance
 * running `tags.bulk` is killed a few seconds in, the `tagJobs` timer carries the job on minute by
 * minute (its second run killed part-way too), and at the end each member of the segment holds the
 * tag once with one audit row each. CPU of killed instances is not counted (their processes are gone).
 */
export async function bulkTagBench(): Promise<BenchResult[]> {
  const size = Number(process.env.BENCH_BULK_TAG_MEMBERS ?? 100_000);
  buildFunctions();
  const dataDir = mkdtempSync(join(tmpdir(), 'bulk-tag-bench-'));
  seed(join(dataDir, 'cloudbase.sqlite'), size);
  const { child, url } = await spawnEmulator({ dataDir, functionsDir: FUNCTIONS_DIR, collections, timerFunctions: [] });
  const results: BenchResult[] = [];
  try {
    const { db } = sdkFor(url) as { db: Db };
    await db
      .collection('staff')
      .add({ data: { _id: 'staff_bench_bulk', openid: ADMIN, name: '管理员', role: 'brand_admin', storeIds: [] } });
    const tag = { id: TAG, category: 'behaviour', kind: 'manual', name: { zh: '晚宴' }, colour: '#d4380d' };
    await ok(url, 'admin', { action: 'tags.save', tag });
    await ok(url, 'messaging', {
      action: 'segments.save',
      id: 'bench-gold',
      name: '金卡',
      rule: { field: 'tier', op: 'in', values: ['gold'] },
    });
    await killAdminAfter(url, 3_000);
    const load = loadavg()[0]!;
    const cpu0 = processTreeCpu(child.pid!);
    const started = performance.now();
    await call(url, 'admin', { action: 'tags.bulk', jobId: JOB, segmentId: 'bench-gold', tagId: TAG, op: 'add' });
    const atKill = Number((await ok(url, 'admin', { action: 'tags.job', jobId: JOB })).changed);
    let runs = 0;
    let failed = 0;
    let atSecondKill = 0;
    for (;;) {
      const job = await ok(url, 'admin', { action: 'tags.job', jobId: JOB });
      if (job.state === 'done') break;
      if (runs === 2) atSecondKill ||= Number(job.changed);
      // the second timer run is killed too, part-way through its pages
      if (runs === 1) await killAdminAfter(url, 4_000);
      const r = await fetch(`${url}/clock`, {
        method: 'POST',
        body: JSON.stringify({ advance: '1m', only: ['admin:tagJobs'] }),
      });
      const fired = ((await r.json()) as { fired: { ok: boolean }[] }).fired;
      runs += fired.length;
      failed += fired.filter((f) => !f.ok).length;
      if (runs > 20_000) throw new Error('the job did not finish');
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu1 = processTreeCpu(child.pid!);
    const emulatorMs = cpu1.own - cpu0.own;
    const instancesMs = cpu1.descendants - cpu0.descendants;
    const loadAfter = loadavg()[0]!;
    const job = await ok(url, 'admin', { action: 'tags.job', jobId: JOB });
    const count = async (coll: string, where: Record<string, unknown>) =>
      ((await db.collection(coll).where(where).count()) as { total: number }).total;
    results.push(atLeast(`bulk tagging ${size} members, killed and resumed: members/s`, size / seconds, '/s', 0));
    const loads = `load ${load.toFixed(1)} → ${loadAfter.toFixed(1)}`;
    results.push(info(`  CPU per member, emulator and instances; ${loads}`, (emulatorMs + instancesMs) / size, 'ms'));
    results.push(info(`  CPU per member in the function instances`, instancesMs / size, 'ms'));
    results.push(info(`  CPU per member in the emulator`, emulatorMs / size, 'ms'));
    results.push(info(`  wall time`, seconds, 's'));
    results.push(info(`  members counted when the action was killed`, atKill, 'members'));
    results.push(info(`  members counted after the killed timer run`, atSecondKill, 'members'));
    results.push(info(`  timer runs to finish the job (the second killed; failed: ${failed})`, runs, 'runs'));
    results.push(exactly('  job count of members changed', Number(job.changed), 'members', size));
    results.push(exactly('  members holding the tag', await count('members', { 'tags.tagId': TAG }), 'members', size));
    results.push(
      exactly('  members holding it twice', await count('members', { tags: db.command.size(2) }), 'members', 0),
    );
    results.push(
      exactly(
        '  members outside the segment holding it',
        await count('members', { tier: 'silver', 'tags.tagId': TAG }),
        'members',
        0,
      ),
    );
    results.push(
      exactly(
        '  audit rows of the job',
        await count('audit_log', { action: 'tags.bulk', reason: `job ${JOB}` }),
        'rows',
        size,
      ),
    );
  } finally {
    child.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return results;
}
