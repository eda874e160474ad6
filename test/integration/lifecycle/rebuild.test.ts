import { ownEmulator } from '../../support/own-emulator';
import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { emulatorNow, order, syncOrders } from '../orders/support';
import { rebuildLifecycle } from '../../../server/lifecycle/rebuild';
import { REBUILD_PAGE } from '../../../server/lifecycle/rebuild-pages';

/**
 * The lifecycle rebuild from orders (the repair) in slices that each fit in a function's time: a
 * slice does at least a page of members (REBUILD_PAGE), keeps how far it came, and the next goes on from there.
 */
let emu: Emulator;
let close: () => Promise<void>;
let db: Sdk['db'];
const MEMBERS = 1_100;

beforeAll(async () => {
  ({ emu, db, close } = await ownEmulator(['orders', 'member'], [], '2026-01-10T02:00:00Z', {
    throwOnNotFound: false,
  })); // 10:00 in Shanghai
});
afterAll(() => close());

async function eachLimited(n: number, limit: number, work: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < n) await work(next++);
    }),
  );
}

test('lifecycle rebuild: resumable slices repair every member once, a finished rebuild starts anew and finds nothing', async () => {
  const ids: string[] = [];
  await eachLimited(MEMBERS, 8, async (i) => ids.push((await as(emu, `o_rb_${i}`).ok('member', 'login', {})).memberId));
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const orders = Array.from({ length: MEMBERS }, (_v, i) =>
    order({
      orderNo: `RB-${i}`,
      customer: [{ type: 'openid', value: `o_rb_${i}` }],
      totalFen: 10_000 + i,
      createdAt: at,
      paidAt: at,
    }),
  );
  for (let i = 0; i < orders.length; i += 500)
    expect((await syncOrders(emu, 'pos', orders.slice(i, i + 500))).status).toBe(200);
  const sorted = [...ids].sort();
  const [first, last] = [sorted[0]!, sorted[sorted.length - 1]!];
  const stageOf = async (id: string) => (await db.collection('members').doc(id).get()).data.stage as string;
  const paidStage = await stageOf(first);
  // stored stages that are simply wrong, one in the first page of members and one in the last
  for (const id of [first, last])
    await db
      .collection('members')
      .doc(id)
      .update({ data: { stage: 'loyal' } });

  const now = await emulatorNow(emu);
  // one range: a slice with no time left still does one page, the first REBUILD_PAGE members
  const one = await rebuildLifecycle(db, now, { sliceMs: 0, ranges: 1 });
  expect(one).toMatchObject({ done: false, members: REBUILD_PAGE, stageChanges: 1 });
  expect(await stageOf(first)).toBe(paidStage);
  expect(await stageOf(last)).toBe('loyal');
  expect((await db.collection('lifecycle_rebuilds').doc('lifecycle').get()).data.doneAt).toBeNull();
  expect((await db.collection('lifecycle_rebuilds').doc('lifecycle.000').get()).data).toMatchObject({
    after: sorted[REBUILD_PAGE - 1],
    done: false,
    leaseUntil: 0,
  });

  // the next slice goes on after it, at the instant the rebuild started
  const later = new Date(now.getTime() + 3_600_000);
  const two = await rebuildLifecycle(db, later, { sliceMs: 60_000 });
  expect(two).toMatchObject({ done: true, members: MEMBERS, stageChanges: 2, at: now });
  expect(await stageOf(last)).toBe(paidStage);
  // finished: one more call (an instance late to learn it) does nothing
  expect(await rebuildLifecycle(db, later, { sliceMs: 60_000 })).toMatchObject({ done: true, members: MEMBERS });

  // a new rebuild, cut into ranges that four instances work on at once: nothing left to repair
  await rebuildLifecycle(db, now, { sliceMs: 0, restart: true, ranges: 8 });
  const runs = await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (;;) {
        const p = await rebuildLifecycle(db, now, { sliceMs: 60_000 });
        if (p.done) return p;
        await new Promise((r) => setTimeout(r, 50));
      }
    }),
  );
  for (const again of runs) expect(again).toMatchObject({ done: true, members: MEMBERS, written: 0, stageChanges: 0 });
  const ranges = await db
    .collection('lifecycle_rebuilds')
    .where({ _id: db.command.gt('lifecycle.') })
    .get();
  expect(ranges.data.length).toBeGreaterThan(4);
  expect(ranges.data.every((r: { done: boolean }) => r.done)).toBe(true);
}, 240_000);

test('lifecycle rebuild: a member stored before the birth month was kept gets it from the birthday', async () => {
  const { memberId } = await as(emu, 'o_rb_born').ok('member', 'login', {});
  await as(emu, 'o_rb_born').ok('member', 'claimCard', {
    name: '周女士',
    birthday: '1988-11-02',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  const monthOf = async () => (await db.collection('members').doc(memberId).get()).data.birthMonth as unknown;
  expect(await monthOf()).toBe(11);
  // as a member document written before the field existed
  await db
    .collection('members')
    .doc(memberId)
    .update({ data: { birthMonth: db.command.remove() } });
  expect(await monthOf()).toBeUndefined();
  const now = await emulatorNow(emu);
  expect(await rebuildLifecycle(db, now, { sliceMs: 60_000, restart: true })).toMatchObject({ done: true, written: 1 });
  expect(await monthOf()).toBe(11);
}, 120_000);

test('lifecycle rebuild: a member stored before its paid-time digests were kept gets them', async () => {
  await as(emu, 'o_rb_digest').ok('member', 'login', {});
  const paidAt = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const sale = order({
    orderNo: 'RB-DIGEST',
    customer: [{ type: 'openid', value: 'o_rb_digest' }],
    totalFen: 12_000,
    createdAt: paidAt,
    paidAt,
  });
  expect((await syncOrders(emu, 'pos', [sale])).status).toBe(200);
  const { memberId } = await as(emu, 'o_rb_digest').ok('member', 'login', {});
  const lifecycleOf = async () =>
    (await db.collection('members').doc(memberId).get()).data.lifecycle as {
      latestPaid?: Record<string, Date | null>;
      spendReach?: Record<string, Date | null>;
    };
  const kept = await lifecycleOf();
  expect(kept.latestPaid?.n1).toEqual(paidAt);
  // as a member document written before the digests existed
  await db
    .collection('members')
    .doc(memberId)
    .update({ data: { lifecycle: { latestPaid: db.command.remove(), spendReach: db.command.remove() } } });
  expect(await lifecycleOf()).not.toHaveProperty('latestPaid');
  const now = await emulatorNow(emu);
  expect(await rebuildLifecycle(db, now, { sliceMs: 60_000, restart: true })).toMatchObject({ done: true });
  const rebuilt = await lifecycleOf();
  expect(rebuilt.latestPaid).toEqual(kept.latestPaid);
  expect(rebuilt.spendReach).toEqual(kept.spendReach);
  expect(rebuilt.spendReach?.y100).toEqual(paidAt);
}, 120_000);
