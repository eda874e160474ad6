import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { emulatorNow, functionsDirWith, order, separateEmulator, setClock, syncOrders } from '../orders/support';
import { oaEventXml, oaQuery } from '../member/helpers';
import { recomputeAll } from '../../../server/lifecycle/recompute';

/** S6/S7 through the emulator: stages on every order, the nightly recompute by moving the clock, daily statistics. */
let emu: Emulator;
let dir: string;
let db: Sdk['db'];

beforeAll(async () => {
  dir = functionsDirWith(['orders', 'member', 'oa'], ['lifecycleNightly', 'dailyStats']);
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  // 10:00 in Shanghai
  await setClock(emu, { set: '2026-01-10T02:00:00Z' });
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

const member = async (id: string) => (await db.collection('members').doc(id).get()).data;
const history = async (id: string) =>
  (await db.collection('stage_history').where({ memberId: id }).orderBy('at', 'asc').limit(100).get()).data as {
    from: string | null;
    to: string;
    cause: string;
  }[];
const ago = async (ms: number) => new Date((await emulatorNow(emu)).getTime() - ms);
const who = (openid: string) => [{ type: 'openid', value: openid }];

test('S6 lifecycle: one person walks all seven stages, the time-based ones by moving the emulator clock', async () => {
  const me = await as(emu, 'o_walk').ok('member', 'login', {});
  await setClock(emu, { advance: '1d' }); // the nightly run at 03:00 gives every person a stage
  expect((await member(me.memberId)).stage).toBe('anonymous');

  await syncOrders(emu, 'pos', [
    order({ orderNo: 'W-1', customer: who('o_walk'), status: 'created', createdAt: await ago(60_000) }),
  ]);
  expect((await member(me.memberId)).stage).toBe('window');

  // 30 days after the unpaid order, at the next nightly run
  const fired = await setClock(emu, { advance: '31d' });
  expect(fired.filter((f) => f.trigger === 'lifecycleNightly')).toHaveLength(31);
  expect((await member(me.memberId)).stage).toBe('indecisive');

  const paid = async (no: string, totalFen: number) => {
    const at = await ago(60_000);
    const r = await syncOrders(emu, 'shop', [
      order({ source: 'shop', orderNo: no, customer: who('o_walk'), totalFen, createdAt: at, paidAt: at }),
    ]);
    expect(r.json.data.accepted).toBe(1);
    return (await member(me.memberId)).stage;
  };
  expect(await paid('W-2', 20_000)).toBe('first_time');
  expect(await paid('W-3', 30_000)).toBe('repeat');
  expect(await paid('W-4', 600_000)).toBe('loyal');

  const m = await member(me.memberId);
  expect(m.ltvFen).toBe(650_000);
  expect(m.rfm).toMatchObject({ r: 5, f: 3, m: 4 });
  expect(m.tags.map((t: { tagId: string }) => t.tagId)).toEqual(
    expect.arrayContaining(['recent_buyer', 'repeat_buyer', 'high_value', 'likes_qipao']),
  );
  expect(m.ltvForecastFen).toBeGreaterThan(0);

  await setClock(emu, { advance: '181d' });
  const lapsed = await member(me.memberId);
  expect(lapsed.stage).toBe('lapsed');
  expect(lapsed.ltvForecastFen).toBe(0);
  expect(lapsed.tags.map((t: { tagId: string }) => t.tagId)).not.toContain('recent_buyer');

  const h = await history(me.memberId);
  expect(h.map((x) => x.to)).toEqual(['anonymous', 'window', 'indecisive', 'first_time', 'repeat', 'loyal', 'lapsed']);
  expect(h.map((x) => x.from)).toEqual([null, 'anonymous', 'window', 'indecisive', 'first_time', 'repeat', 'loyal']);
  expect(h.map((x) => x.cause)).toEqual([
    'nightly',
    'pos:W-1',
    'nightly',
    'shop:W-2',
    'shop:W-3',
    'shop:W-4',
    'nightly',
  ]);
  const events = (
    await db.collection('events').where({ memberId: me.memberId, type: 'member.stage_changed' }).limit(100).get()
  ).data;
  expect(events).toHaveLength(7);
});

test('S6 lifecycle: the nightly run and the rebuild from stored orders agree with the incremental updates, and repair what differs', async () => {
  // just before the nightly run: histories with refunds, several channels, late and repeated deliveries
  const now = await emulatorNow(emu);
  const next3am = new Date(now.getTime());
  next3am.setUTCHours(19, 0, 0, 0); // 03:00 in Shanghai
  if (next3am.getTime() <= now.getTime()) next3am.setUTCDate(next3am.getUTCDate() + 1);
  await setClock(emu, { set: new Date(next3am.getTime() - 10 * 60_000).toISOString() });
  const day = 86_400_000;
  const people = ['o_a', 'o_b', 'o_c', 'o_d', 'o_e', 'o_f'];
  const ids: string[] = [];
  for (const p of people) ids.push((await as(emu, p).ok('member', 'login', {})).memberId);
  const t = async (daysAgo: number) => ago(daysAgo * day);
  const base = async (p: string, no: string, daysAgo: number, totalFen = 10_000) => ({
    orderNo: no,
    customer: who(p),
    totalFen,
    createdAt: await t(daysAgo),
    paidAt: await t(daysAgo),
  });
  // o_a: paid then refunded in part, the refund delivered first
  const a1 = await base('o_a', 'A-1', 3, 40_000);
  await syncOrders(emu, 'pos', [
    order({
      ...a1,
      status: 'partially_refunded',
      refunds: [{ refundNo: 'r1', amountFen: 10_000 }],
      updatedAt: await t(1),
    }),
    order(a1),
  ]);
  // o_b: two orders, one fully refunded (does not count)
  await syncOrders(emu, 'pos', [
    order(await base('o_b', 'B-1', 2)),
    order({ ...(await base('o_b', 'B-2', 1)), status: 'refunded', updatedAt: await t(0.5) }),
  ]);
  // o_c: orders from three channels (tmall is an e-commerce source), one unpaid
  await syncOrders(emu, 'pos', [order(await base('o_c', 'C-1', 5))]);
  await syncOrders(emu, 'shop', [order({ ...(await base('o_c', 'C-2', 4)), source: 'shop' })]);
  await syncOrders(emu, 'tmall', [order({ ...(await base('o_c', 'C-3', 1)), source: 'tmall', status: 'created' })]);
  // o_d: only an unpaid order; o_e: the same paid order three times; o_f: nothing at all
  await syncOrders(emu, 'pos', [order({ ...(await base('o_d', 'D-1', 2)), status: 'created' })]);
  const e1 = order(await base('o_e', 'E-1', 2, 700_000));
  await syncOrders(emu, 'pos', [e1, e1, e1]);
  // a stored stage that is simply wrong: the nightly run must put it right
  await db
    .collection('members')
    .doc(ids[5])
    .update({ data: { stage: 'loyal' } });

  const before = await Promise.all(ids.map(member));
  const fired = await setClock(emu, { set: new Date(next3am.getTime() + 60_000).toISOString() });
  expect(fired.map((f) => f.trigger)).toContain('lifecycleNightly');
  const after = await Promise.all(ids.map(member));

  const pick = (m: Record<string, unknown>) => ({
    stage: m.stage,
    lifecycle: m.lifecycle,
    rfm: m.rfm,
    ltvFen: m.ltvFen,
    ltvForecastFen: m.ltvForecastFen,
    tags: m.tags,
    nextStageChangeAt: m.nextStageChangeAt,
  });
  for (let i = 0; i < 5; i++) expect(pick(after[i])).toEqual(pick(before[i]));
  expect(before.slice(0, 5).map((m) => m.stage)).toEqual([
    'first_time',
    'first_time',
    'repeat',
    'window',
    'first_time',
  ]);
  expect(before[4].ltvFen).toBe(700_000);
  expect(before[0].ltvFen).toBe(30_000);
  expect(before[1].ltvFen).toBe(10_000);
  expect(before[2].lifecycle.channels).toEqual(['ecommerce', 'pos', 'shop']);
  // the repaired one: its wrong stage replaced, recorded as a nightly change
  expect(after[5].stage).toBe('anonymous');
  const repaired = await history(ids[5] as string);
  expect(repaired.at(-1)).toMatchObject({ from: 'loyal', to: 'anonymous', cause: 'nightly' });
  // nobody else got a nightly stage change
  for (const id of ids.slice(0, 5)) expect((await history(id)).filter((h) => h.cause === 'nightly')).toEqual([]);

  // the explicit repair, every member rebuilt from its stored orders, finds nothing to change
  const rebuilt = await recomputeAll(db, await emulatorNow(emu), undefined, undefined, { mode: 'rebuild' });
  expect(rebuilt.members).toBeGreaterThanOrEqual(ids.length);
  expect(rebuilt).toMatchObject({ mode: 'rebuild', written: 0, stageChanges: 0 });
  for (const [i, id] of ids.entries()) expect(pick(await member(id))).toEqual(pick(after[i]));
});

test('S7 daily statistics: a row per local day with followers, members, paid customers, their share, stages and new members', async () => {
  const now = await emulatorNow(emu);
  const today = new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
  const ids: string[] = [];
  for (const p of ['o_s7_a', 'o_s7_b', 'o_s7_c']) ids.push((await as(emu, p).ok('member', 'login', {})).memberId);
  // two follow the Official Account, one claims a card today; one follower buys
  await db
    .collection('members')
    .doc(ids[0])
    .update({ data: { oaFollowing: true } });
  await db
    .collection('members')
    .doc(ids[1])
    .update({ data: { oaFollowing: true, cardNo: 'S7-0001', state: 'member', claimedAt: now } });
  await syncOrders(emu, 'pos', [
    order({ orderNo: 'S7-1', customer: who('o_s7_a'), createdAt: await ago(60_000), paidAt: await ago(60_000) }),
  ]);

  const live = async (where: Record<string, unknown> = {}) =>
    (
      await db
        .collection('members')
        .where({ mergedInto: db.command.exists(false), ...where })
        .count()
    ).total as number;
  const expected = {
    followers: await live({ oaFollowing: true }),
    members: await live({ cardNo: db.command.exists(true) }),
    paidCustomers: await live({ stage: db.command.in(['first_time', 'repeat', 'loyal', 'lapsed']) }),
    paidFollowers: await live({ oaFollowing: true, stage: db.command.in(['first_time', 'repeat', 'loyal', 'lapsed']) }),
  };
  const total = await live();

  // the timer at 00:05 the next day writes the row of today
  const fired = await setClock(emu, { advance: '1d' });
  expect(fired.map((f) => f.trigger)).toContain('dailyStats');
  const row = (await db.collection('daily_stats').doc(today).get()).data;
  expect(row).toMatchObject({ date: today, ...expected, newMembers: 1 });
  expect(expected).toMatchObject({ followers: 2, members: 1 });
  expect(expected.paidFollowers).toBeGreaterThanOrEqual(1);
  expect(row.paidAmongFollowers).toBeCloseTo(expected.paidFollowers / expected.followers);
  const stageSum = Object.values(row.stages as Record<string, number>).reduce((s, n) => s + n, 0);
  expect(stageSum).toBe(total);
});

test('S6 lifecycle: claiming the card and following the Official Account move a person to "window" at once, not at the nightly run', async () => {
  const me = await as(emu, 'o_joiner').ok('member', 'login', {});
  await as(emu, 'o_joiner').ok('member', 'claimCard', {
    name: '陈女士',
    birthday: '1990-02-02',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  expect((await member(me.memberId)).stage).toBe('window');
  expect((await history(me.memberId)).map((x) => [x.to, x.cause])).toEqual([['window', 'member.joined']]);

  const at = Math.floor((await emulatorNow(emu)).getTime() / 1000);
  const follow = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: 'oa_follower_only', event: 'subscribe', unionid: 'u_follower_only', at }),
  });
  expect(follow.status).toBe(200);
  const follower = (await db.collection('members').where({ oaOpenid: 'oa_follower_only' }).get()).data[0];
  expect(follower).toMatchObject({ oaFollowing: true, stage: 'window' });

  const unfollow = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: 'oa_follower_only', event: 'unsubscribe', at: at + 60 }),
  });
  expect(unfollow.status).toBe(200);
  expect(await member(follower._id)).toMatchObject({ oaFollowing: false, stage: 'anonymous' });
  expect((await history(follower._id)).map((x) => x.cause)).toEqual(['oa.subscribed', 'oa.unsubscribed']);
});

test("S6 lifecycle: the nightly run rebuilds a merge survivor from its orders, the loser's moved to it", async () => {
  const survivor = await as(emu, 'o_merge_s').ok('member', 'login', {});
  const loser = await as(emu, 'o_merge_l').ok('member', 'login', {});
  const paidAgo = async (p: string, no: string, days: number) => {
    const at = await ago(days * 86_400_000);
    await syncOrders(emu, 'pos', [
      order({ orderNo: no, customer: who(p), totalFen: 20_000, createdAt: at, paidAt: at }),
    ]);
  };
  await paidAgo('o_merge_s', 'MG-1', 3);
  await paidAgo('o_merge_l', 'MG-2', 2);
  expect((await member(survivor.memberId)).stage).toBe('first_time');
  // what a merge leaves (server/identity/merge.ts): the loser points at the survivor, its orders are
  // re-pointed, the survivor's lifecycle facts are not touched
  const now = await emulatorNow(emu);
  await db
    .collection('members')
    .doc(loser.memberId)
    .update({ data: { mergedInto: survivor.memberId, mergedAt: now } });
  await db
    .collection('orders')
    .doc('pos:MG-2')
    .update({ data: { memberId: survivor.memberId } });
  await db
    .collection('merges')
    .add({ data: { survivorId: survivor.memberId, loserId: loser.memberId, reason: 'test', status: 'done', at: now } });
  expect((await member(survivor.memberId)).stage).toBe('first_time');

  const fired = await setClock(emu, { advance: '1d' });
  expect(fired.map((f) => f.trigger)).toContain('lifecycleNightly');
  const m = await member(survivor.memberId);
  expect(m.stage).toBe('repeat');
  expect(m.ltvFen).toBe(40_000);
  expect(m.lifecycle.paidOrders.map((o: { key: string }) => o.key)).toEqual(['pos:MG-1', 'pos:MG-2']);
  expect((await history(survivor.memberId)).at(-1)).toMatchObject({
    from: 'first_time',
    to: 'repeat',
    cause: 'nightly',
  });
  expect(m.nextReviewAt.getTime()).toBeGreaterThan((await emulatorNow(emu)).getTime());
});

test('S6 lifecycle: a nightly stage change whose history row and event a crash left unwritten is completed by the next run, once', async () => {
  const me = await as(emu, 'o_crash_log').ok('member', 'login', {});
  await setClock(emu, { advance: '1d' });
  expect((await member(me.memberId)).stage).toBe('anonymous');
  // what the review's single update leaves when the process dies before writing the rows it owes
  const at = await emulatorNow(emu);
  await db
    .collection('members')
    .doc(me.memberId)
    .update({
      data: {
        stage: 'window',
        stageSince: at,
        stageLog: db.command.set({ from: 'anonymous', to: 'window', at, cause: 'nightly' }),
      },
    });
  expect((await history(me.memberId)).map((h) => h.to)).toEqual(['anonymous']);

  await setClock(emu, { advance: '1d' });
  await setClock(emu, { advance: '1d' });
  const h = await history(me.memberId);
  expect(h.map((x) => [x.from, x.to, x.cause])).toEqual([
    [null, 'anonymous', 'nightly'],
    ['anonymous', 'window', 'nightly'],
  ]);
  const events = (
    await db.collection('events').where({ memberId: me.memberId, type: 'member.stage_changed' }).limit(100).get()
  ).data;
  expect(events.map((e: { data: { to: string } }) => e.data.to)).toEqual(['anonymous', 'window']);
  expect((await member(me.memberId)).stageLog).toBeNull();
});
