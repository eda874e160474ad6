import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmulatedDatabase } from '../emulator/db/database';
import type { Write } from '../emulator/db/store';
import { parseRfmConfig, DEFAULT_TAGS } from '../core/portrait';
import { loadBrandConfig } from '../server/config';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { bulkFacts } from '../server/lifecycle/recompute';
import { rebuildLifecycle } from '../server/lifecycle/rebuild';
import { lifecyclePatch } from '../server/lifecycle/update';
import type { MemberDoc } from '../server/members/documents';
import type { Database } from '../server/runtime/cloud';
import { spawnEmulator } from '../test/support/emulator-process';
import { functionsDirWith } from '../test/integration/orders/support';
import { atMost, info, watchRss, type BenchResult } from './harness';
import { sdkFor } from './sdk-client';

const DAY = 86_400_000;
const CHUNK = 5_000;
/** each call of the rebuild stops before a page that would start after this: inside a 60 s function timeout */
const SLICE_MS = 40_000;
const NOW = new Date('2026-06-01T19:00:00Z');

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
    const writes: Write[] = [];
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
      writes.push({ coll: 'members', id, doc: { ...m, ...patch }, before: null });
      for (const o of orders) writes.push({ coll: 'orders', id: o._id, doc: o, before: null });
    }
    db.store.apply(writes);
  }
  db.close();
}

/**
 * The lifecycle/RFM rebuild from orders (the repair mode) over BENCH_REBUILD_MEMBERS members (default
 * the suite's large size, 1,000,000) with BENCH_REBUILD_ORDERS_PER orders each (default 5), in
 * resumable slices of SLICE_MS as a function would run it; RSS of the process running it.
 */
export async function rebuildBench(large: number): Promise<BenchResult[]> {
  const members = Number(process.env.BENCH_REBUILD_MEMBERS ?? large);
  const per = Number(process.env.BENCH_REBUILD_ORDERS_PER ?? 5);
  const dataDir = mkdtempSync(join(tmpdir(), 'rebuild-bench-'));
  const dir = functionsDirWith([], []);
  try {
    const seeded = performance.now();
    seed(join(dataDir, 'cloudbase.sqlite'), members, per);
    const seedMs = performance.now() - seeded;
    const { child, url } = await spawnEmulator({
      functionsDir: dir,
      collections,
      httpRoutes,
      dataDir,
      timerFunctions: [],
    });
    try {
      const db = sdkFor(url).db as Database;
      const rss = watchRss();
      const started = performance.now();
      let slices = 0;
      let last;
      do {
        last = await rebuildLifecycle(db, NOW, { sliceMs: SLICE_MS });
        slices++;
      } while (!last.done);
      const ms = performance.now() - started;
      const { before: rssBefore, peak: rssPeak } = rss.stop();
      const mb = (b: number) => b / 1024 / 1024;
      const scale = `${members} members, ${members * per} orders`;
      return [
        info(`rebuild seed: ${scale} written into the emulator's store`, seedMs / 1000, 's'),
        atMost(`lifecycle rebuild from orders (repair mode), ${scale}`, ms / 1000, 's', 120),
        info(`  resumable slices of ≤ ${SLICE_MS / 1000} s (pages of 1000 members) it took`, slices, 'slices'),
        info('  members rebuilt', last.members, 'members'),
        atMost('  members written (seeded as the product keeps them: nothing to repair)', last.written, 'members', 0),
        atMost('  rebuild process RSS growth (flat memory)', mb(rssPeak - rssBefore), 'MB', 200),
      ];
    } finally {
      child.kill('SIGTERM');
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  }
}
