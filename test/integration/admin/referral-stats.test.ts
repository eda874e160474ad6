import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { functionsDirWith, separateEmulator, setClock } from '../orders/support';
import { claim, joined, tick, visit } from '../referral/fixtures';
import { STAFF, type Db } from './support';

/**
 * S21 referral conversions per day through the product: Nancy shares, friends open and join, the
 * referral timer reads the joins, the orders function's `dailyStats` timer (00:05) writes each
 * day's row, and the dashboard shows it. The emulator runs in its own process, where dates written
 * in transactions (the referral timer's `joinedAt`) keep their type.
 */
let emu: Emulator;
let dir: string;
let db: Db;

beforeAll(async () => {
  dir = functionsDirWith(['member', 'referral', 'orders', 'admin'], ['dailyStats']);
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  for (const [coll, docs] of Object.entries(demoBrand))
    await db.collection(coll).add({ data: docs.map((d) => ({ ...d })) });
  // 21:30 on 1 May in Shanghai
  await setClock(emu, { set: '2026-05-01T13:30:00Z' });
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const statsOf = async (date: string) => (await db.collection('daily_stats').doc(date).get()).data;

test('S21 referral conversions: share → open → join → the daily statistics count the joins and the opens of each day, and the dashboard shows them', async () => {
  const nancy = await joined(emu, 'o_rs_nancy', '南希');
  const { token } = await nancy.c.ok('referral', 'shareToken', {});

  // 1 May: Lizzy opens and joins, Mia only opens; Olga joins without an invitation
  const lizzy = await visit(emu, 'o_rs_lizzy');
  expect(await lizzy.c.ok('referral', 'open', { token })).toEqual({ recorded: true, reason: null });
  await lizzy.c.ok('member', 'claimCard', claim('丽兹'));
  const mia = await visit(emu, 'o_rs_mia');
  expect(await mia.c.ok('referral', 'open', { token })).toEqual({ recorded: true, reason: null });
  await joined(emu, 'o_rs_olga', '奥尔加');
  await tick(emu);
  expect((await db.collection('referrals').doc(lizzy.memberId).get()).data.joinedAt).toBeInstanceOf(Date);

  // 00:06 on 2 May: the timer has written the row of 1 May
  expect((await setClock(emu, { set: '2026-05-01T16:06:00Z' })).map((f) => f.trigger)).toContain('dailyStats');
  expect(await statsOf('2026-05-01')).toMatchObject({ newMembers: 3, referralConversions: 1, referralOpens: 2 });

  // 2 May: Mia joins; nobody opens an invitation
  await setClock(emu, { set: '2026-05-02T02:00:00Z' });
  await mia.c.ok('member', 'claimCard', claim('米娅'));
  await setClock(emu, { set: '2026-05-02T16:06:00Z' });
  expect(await statsOf('2026-05-02')).toMatchObject({ newMembers: 1, referralConversions: 1, referralOpens: 0 });

  const d = await as(emu, STAFF.store_manager).ok('admin', 'dashboard.summary', {
    from: '2026-04-30',
    to: '2026-05-02',
  });
  expect(d.days.map((x) => [x.date, x.newMembers, x.referralConversions, x.referralOpens])).toEqual([
    ['2026-05-01', 3, 1, 2],
    ['2026-05-02', 1, 1, 0],
  ]);
}, 120_000);

test('S21 dashboard: a daily row written before referrals were counted shows no referral figures rather than zeros', async () => {
  await db
    .collection('daily_stats')
    .doc('2026-04-30')
    .set({
      data: {
        date: '2026-04-30',
        followers: 1,
        members: 1,
        paidCustomers: 0,
        paidFollowers: 0,
        paidAmongFollowers: 0,
        newMembers: 1,
        stages: {},
      },
    });
  const d = await as(emu, STAFF.brand_admin).ok('admin', 'dashboard.summary', { from: '2026-04-30', to: '2026-05-01' });
  expect(d.days.map((x) => [x.date, x.referralConversions, x.referralOpens])).toEqual([
    ['2026-04-30', null, null],
    ['2026-05-01', 1, 2],
  ]);
});
