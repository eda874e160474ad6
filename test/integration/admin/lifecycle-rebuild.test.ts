import { ownEmulator } from '../../support/own-emulator';
import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { emulatorNow, order, syncOrders } from '../orders/support';

/**
 * S6 lifecycle repair: after an upgrade the brand admin runs the lifecycle rebuild from orders from
 * the admin function; the action does a first slice, the `lifecycleRebuild` timer the rest, and the
 * members' stored facts come back to what their orders say, with nothing sent to anyone.
 */
let emu: Emulator;
let close: () => Promise<void>;
let db: Sdk['db'];
const _ = () => db.command;
const MEMBERS = 80;
const admin = () => as(emu, 'o_lr_admin');

beforeAll(async () => {
  ({ emu, db, close } = await ownEmulator(['orders', 'member', 'admin'], [], '2026-01-10T02:00:00Z', {
    throwOnNotFound: false,
  }));
  // the brand's set-up: a brand admin and an advisor
  await db
    .collection('staff')
    .doc('staff_lr_admin')
    .set({ data: { openid: 'o_lr_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  await db
    .collection('staff')
    .doc('staff_lr_adv')
    .set({ data: { openid: 'o_lr_adv', name: '顾问', role: 'advisor', storeIds: ['store_a'] } });
}, 120_000);
afterAll(() => close());

const countOf = async (coll: string, where: Record<string, unknown> = {}) =>
  ((await db.collection(coll).where(where).count()) as { total: number }).total;

/** One minute later: the admin function's lifecycleRebuild timer fires; whether it succeeded. */
async function tick(): Promise<boolean[]> {
  const r = await fetch(`${emu.url}/clock`, {
    method: 'POST',
    body: JSON.stringify({ advance: '1m', only: ['admin:lifecycleRebuild'] }),
  });
  return ((await r.json()) as { fired: { ok: boolean }[] }).fired.map((f) => f.ok);
}

const progress = async () => (await admin().ok('admin', 'lifecycle.rebuildProgress', {})).rebuild;

/** Timer runs until the rebuild is done (a range whose call died waits for its lease to run out). */
async function untilDone(): Promise<boolean[]> {
  const runs: boolean[] = [];
  for (let i = 0; i < 90 && !(await progress())?.done; i++) {
    runs.push(...(await tick()));
    await new Promise((r) => setTimeout(r, 1_000));
  }
  return runs;
}

test('S6 lifecycle repair: the admin starts it, cut off; the timer finishes, all repaired, nothing sent', async () => {
  for (let i = 0; i < MEMBERS; i++) await as(emu, `o_lr_${i}`).ok('member', 'login', {});
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const orders = Array.from({ length: MEMBERS }, (_v, i) =>
    order({
      orderNo: `LR-${i}`,
      customer: [{ type: 'openid', value: `o_lr_${i}` }],
      totalFen: 10_000 + i,
      createdAt: at,
      paidAt: at,
    }),
  );
  expect((await syncOrders(emu, 'pos', orders)).status).toBe(200);
  const { memberId } = await as(emu, 'o_lr_0').ok('member', 'login', {});
  const lifecycleOf = async () =>
    (await db.collection('members').doc(memberId).get()).data.lifecycle as { latestPaid?: Record<string, unknown> };
  const kept = await lifecycleOf();
  expect(kept.latestPaid).toBeDefined();
  const paidStage = (await db.collection('members').doc(memberId).get()).data.stage as string;
  expect(await countOf('members', { stage: paidStage })).toBe(MEMBERS);

  // stored facts that are wrong: every stage, and one member's paid-time digests gone
  await db
    .collection('members')
    .where({ stage: paidStage })
    .update({ data: { stage: 'loyal' } });
  await db
    .collection('members')
    .doc(memberId)
    .update({ data: { lifecycle: { latestPaid: _().remove() } } });
  const outboxBefore = await countOf('outbox');
  const ledgerBefore = await countOf('points_ledger');
  expect(await progress()).toBeNull();

  // an advisor may not: refused with the stable code, audited, nothing started
  const refused = await as(emu, 'o_lr_adv').call('admin', 'lifecycle.rebuild', {});
  expect(refused.ok).toBe(false);
  expect(!refused.ok && refused.error.code).toBe('FORBIDDEN');
  expect(await countOf('lifecycle_rebuilds')).toBe(0);
  expect(await countOf('audit_log', { action: 'refused:admin.lifecycle.rebuild' })).toBe(1);

  // the action's first repair of a member is carried out and its answer lost: the action fails part-way
  const fault = await fetch(`${emu.url}/functions/faults`, {
    method: 'POST',
    body: JSON.stringify({ kind: 'lostAnswer', action: 'database.modifyDocument', collection: 'members', fn: 'admin' }),
  });
  expect(fault.ok).toBe(true);
  const cut = await admin().raw('admin', { action: 'lifecycle.rebuild' });
  expect((cut.result as { ok?: boolean } | undefined)?.ok).not.toBe(true);
  expect(await progress()).toMatchObject({ done: false });
  expect(await countOf('members', { stage: 'loyal' })).toBeLessThan(MEMBERS);
  expect(await countOf('audit_log', { action: 'lifecycle.rebuild', target: 'lifecycle_rebuilds/lifecycle' })).toBe(1);

  expect(await untilDone()).toContain(true);
  const done = await progress();
  expect(done).toMatchObject({ done: true, members: MEMBERS });
  expect(await countOf('members', { stage: 'loyal' })).toBe(0);
  expect(await countOf('members', { stage: paidStage })).toBe(MEMBERS);
  expect((await lifecycleOf()).latestPaid).toEqual(kept.latestPaid);
  // a repair, not news: nothing sent, no points
  expect(await countOf('outbox')).toBe(outboxBefore);
  expect(await countOf('points_ledger')).toBe(ledgerBefore);

  // done: the timer reads and stops; a new rebuild by the admin finds nothing left to repair
  expect(await tick()).toEqual([true]);
  expect(await progress()).toEqual(done);
  const again = await admin().ok('admin', 'lifecycle.rebuild', {});
  expect(again).toMatchObject({ done: true, members: MEMBERS, written: 0, stageChanges: 0 });
  expect(await countOf('audit_log', { action: 'lifecycle.rebuild' })).toBe(2);
}, 600_000);
