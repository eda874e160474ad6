import type { Sdk } from '../../support/sdk';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { emulatorNow, functionsDirWith, order, separateEmulator, setClock, syncOrders } from '../orders/support';
import { rebuildLifecycle } from '../../../server/lifecycle/rebuild';

/**
 * The rebuild's process, three instances at once over `_id` ranges, killed part-way (SIGKILL: no
 * chance to save anything) and the rebuild called again by two: the ranges it held are taken again
 * once their leases run out, each goes on after the last page it kept, and every member ends
 * repaired, once.
 */
let emu: Emulator;
let dir: string;
let db: Sdk['db'];
let _: Sdk['_'];
const MEMBERS = 2_100;
/** how long a range stays with the instance that took it without word from it */
const LEASE_MS = 3_000;

beforeAll(async () => {
  dir = functionsDirWith(['orders', 'member'], []);
  emu = await separateEmulator(dir);
  ({ db, _ } = connectSdk(emu, { throwOnNotFound: false }));
  await setClock(emu, { set: '2026-01-10T02:00:00Z' });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

async function eachLimited(n: number, limit: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

/** A login, again when the instance timed out (a busy machine); logging in again finds the same member. */
async function login(openid: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await as(emu, openid).ok('member', 'login', {});
      return;
    } catch (e) {
      if (attempt >= 5 || !String(e).includes('timed out')) throw e;
    }
  }
}

const countOf = async (coll: string, where: Record<string, unknown> = {}) =>
  ((await db.collection(coll).where(where).count()) as { total: number }).total;

test('lifecycle rebuild: killed part-way, the next call goes on after the last page kept and repairs each member once, sending nothing', async () => {
  await eachLimited(MEMBERS, 4, (i) => login(`o_rk_${i}`));
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const orders = Array.from({ length: MEMBERS }, (_v, i) =>
    order({
      orderNo: `RK-${i}`,
      customer: [{ type: 'openid', value: `o_rk_${i}` }],
      totalFen: 10_000,
      createdAt: at,
      paidAt: at,
    }),
  );
  for (let i = 0; i < orders.length; i += 500)
    expect((await syncOrders(emu, 'pos', orders.slice(i, i + 500))).status).toBe(200);
  const { data: kept } = await db
    .collection('members')
    .where({ stage: _.exists(true) })
    .field({ stage: true })
    .limit(1)
    .get();
  const paidStage = kept[0].stage as string;
  // every stored stage wrong: each page has a repair to write
  await db
    .collection('members')
    .where({ stage: paidStage })
    .update({ data: { stage: 'loyal' } });
  const outboxBefore = await countOf('outbox');

  const now = await emulatorNow(emu);
  const root = join(__dirname, '..', '..', '..');
  const child = spawn(
    process.execPath,
    [
      join(root, 'scripts', 'run-ts.js'),
      'test/support/rebuild-process.ts',
      emu.serviceUrl,
      now.toISOString(),
      '0',
      String(LEASE_MS),
      '3',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const ranges = async () =>
    (
      await db
        .collection('lifecycle_rebuilds')
        .where({ _id: _.gt('lifecycle.') })
        .limit(100)
        .get()
    ).data as {
      members: number;
      done: boolean;
    }[];
  // killed once it has kept its first page
  while (!(await ranges()).some((r) => r.members > 0)) await new Promise((r) => setTimeout(r, 10));
  child.kill('SIGKILL');
  await exited;
  expect((await db.collection('lifecycle_rebuilds').doc('lifecycle').get()).data.doneAt).toBeNull();
  const left = await ranges();
  expect(left.length).toBeGreaterThan(1);
  expect(left.reduce((n, r) => n + r.members, 0)).toBeLessThan(MEMBERS);

  const later = new Date(now.getTime() + 3_600_000);
  const call = () => rebuildLifecycle(db, later, { sliceMs: 60_000, leaseMs: LEASE_MS });
  const instance = async () => {
    // a range the killed process held is free once its lease runs out: called again until done
    for (let p = await call(); ; p = await call()) {
      if (p.done) return p;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const [resumed] = await Promise.all([instance(), instance()]);
  expect(resumed).toMatchObject({ done: true, members: MEMBERS, at: now });
  expect(await countOf('members', { stage: 'loyal' })).toBe(0);
  expect(await countOf('members', { stage: paidStage })).toBe(MEMBERS);
  // one history row and one event per member: a page done again wrote nothing twice
  expect(await countOf('stage_history', { cause: 'nightly', from: 'loyal' })).toBe(MEMBERS);
  expect(await countOf('events', { type: 'member.stage_changed', 'data.cause': 'nightly' })).toBe(MEMBERS);
  expect(await countOf('members', { stageLog: _.neq(null).and(_.exists(true)) })).toBe(0);
  expect(await countOf('outbox')).toBe(outboxBefore);
}, 600_000);
