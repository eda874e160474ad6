import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { emulatorNow, functionsDirWith, order, separateEmulator, setClock, syncOrders } from '../orders/support';
import { oaEventXml, oaQuery } from '../member/helpers';

/**
 * S20 segments count the people the product's own actions describe: every dimension reads a fact
 * the product writes (an Official Account follow, a claimed card with its birthday, a store's code,
 * a paid order, a refund). Members are built through those actions only; the staff member and the
 * store are the brand's set-up (fixtures).
 */
let emu: Emulator;
let dir: string;
let db: ReturnType<typeof connectSdk>['db'];
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  dir = functionsDirWith(['orders', 'member', 'oa', 'messaging'], []);
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  await setClock(emu, { set: '2026-03-10T02:00:00Z' }); // 10:00 in Shanghai, in March
  // the brand's set-up: a brand admin and a store
  await db
    .collection('staff')
    .doc('staff_seg_admin')
    .set({ data: { openid: 'o_seg_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  await db
    .collection('stores')
    .doc('store_seg')
    .set({ data: { name: '静安店', city: '上海' } });
  admin = as(emu, 'o_seg_admin');
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

type Rule = Record<string, unknown>;
const count = async (rule: Rule): Promise<number> =>
  ((await admin.ok('messaging', 'segments.preview', { rule })) as { count: number }).count;
const who = (openid: string) => [{ type: 'openid', value: openid }];

test('S20 segments: a follow through the Official Account callback counts as a follower', async () => {
  const before = await count({ field: 'isFollower', op: 'is', value: true });
  const at = Math.floor((await emulatorNow(emu)).getTime() / 1000);
  const r = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: 'oa_seg_follower', event: 'subscribe', at }),
  });
  expect(r.status).toBe(200);
  expect(await count({ field: 'isFollower', op: 'is', value: true })).toBe(before + 1);
  await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: 'oa_seg_follower', event: 'unsubscribe', at: at + 60 }),
  });
  expect(await count({ field: 'isFollower', op: 'is', value: true })).toBe(before);
});

test('S20 segments: claiming the card after a store code counts as a member of that store, born this month', async () => {
  const rule = {
    and: [
      { field: 'isMember', op: 'is', value: true },
      { field: 'storeId', op: 'in', values: ['store_seg'] },
      { field: 'birthdayMonth', op: 'thisMonth' },
      { field: 'language', op: 'in', values: ['en'] },
    ],
  };
  expect(await count(rule)).toBe(0);
  await as(emu, 'o_seg_joiner').ok('member', 'login', { query: { store: 'store_seg' } });
  expect(
    await count({
      and: [
        { field: 'isMember', op: 'is', value: false },
        { field: 'storeId', op: 'in', values: ['store_seg'] },
      ],
    }),
  ).toBe(1);
  await as(emu, 'o_seg_joiner').ok('member', 'claimCard', {
    name: 'Ms Chen',
    birthday: '1991-03-21',
    language: 'en',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  expect(await count(rule)).toBe(1);
  expect(await count({ field: 'birthdayMonth', op: 'in', values: [4, 5] })).toBe(0);
});

test('S20 segments: a paid order counts in spend and recency, a full refund takes the spend back', async () => {
  await as(emu, 'o_seg_buyer').ok('member', 'login', {});
  const spent = { field: 'spendFen', op: 'gte', value: 1 };
  const today = { field: 'recencyDays', op: 'within', days: 0 };
  const [spentBefore, todayBefore] = [await count(spent), await count(today)];
  const at = new Date((await emulatorNow(emu)).getTime() - 60_000);
  const paid = await syncOrders(emu, 'pos', [
    order({ orderNo: 'SEG-1', customer: who('o_seg_buyer'), totalFen: 25_800, createdAt: at, paidAt: at }),
  ]);
  expect(paid.json.data.accepted).toBe(1);
  expect(await count(spent)).toBe(spentBefore + 1);
  expect(await count(today)).toBe(todayBefore + 1);
  expect(await count({ field: 'spendFen', op: 'gt', value: 25_800 })).toBe(0);

  const later = new Date(at.getTime() + 30_000);
  const refunded = await syncOrders(emu, 'pos', [
    order({
      orderNo: 'SEG-1',
      customer: who('o_seg_buyer'),
      totalFen: 25_800,
      status: 'refunded',
      refunds: [{ refundNo: 'R-1', amountFen: 25_800 }],
      createdAt: at,
      paidAt: at,
      updatedAt: later,
    }),
  ]);
  expect(refunded.status).toBe(200);
  expect(await count(spent)).toBe(spentBefore);
});

test('S20 segments: a share link with an advisor and a campaign, marketing consent and a visit today', async () => {
  await db
    .collection('staff')
    .doc('staff_seg_adv')
    .set({ data: { openid: 'o_seg_adv', name: '顾问', role: 'advisor', storeIds: ['store_seg'] } });
  const rule = {
    and: [
      { field: 'attribution', key: 'advisorId', op: 'in', values: ['staff_seg_adv'] },
      { field: 'attribution', key: 'campaign', op: 'in', values: ['spring'] },
      { field: 'marketingOptIn', op: 'is', value: true },
      { field: 'activeDays', op: 'within', days: 0 },
    ],
  };
  expect(await count(rule)).toBe(0);
  const friend = as(emu, 'o_seg_shared');
  await friend.ok('member', 'login', { query: { store: 'store_seg', advisor: 'staff_seg_adv', campaign: 'spring' } });
  expect(await count({ ...rule, and: rule.and.filter((r) => r.field !== 'marketingOptIn') })).toBe(1);
  await friend.ok('member', 'claimCard', {
    name: '小林',
    birthday: '1993-07-02',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  expect(await count(rule)).toBe(1);
  // two days on, the visit is no longer "today"
  await setClock(emu, { advance: '48h' });
  expect(await count(rule)).toBe(0);
  expect(await count({ field: 'activeDays', op: 'within', days: 2 })).toBeGreaterThanOrEqual(1);
});

test('S20 segments: a refund that takes the spend in a window below a ladder amount takes the member out', async () => {
  const buyer = 'o_seg_spend';
  await as(emu, buyer).ok('member', 'login', {});
  const spent500 = { field: 'spendInWindow', days: 7, op: 'gte', value: 50_000 };
  const under500 = { field: 'spendInWindow', days: 7, op: 'lt', value: 50_000 };
  const [before, beforeUnder] = [await count(spent500), await count(under500)];
  const now = await emulatorNow(emu);
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  const second = { orderNo: 'SEG-S2', customer: who(buyer), totalFen: 20_000, createdAt: at(20), paidAt: at(20) };
  await syncOrders(emu, 'pos', [
    order({ orderNo: 'SEG-S1', customer: who(buyer), totalFen: 30_000, createdAt: at(30), paidAt: at(30) }),
    order(second),
  ]);
  expect(await count(spent500)).toBe(before + 1);
  expect(await count(under500)).toBe(beforeUnder - 1); // the buyer had spent nothing before
  // one yuan of the second order refunded: 499 yuan in the window
  await syncOrders(emu, 'pos', [
    order({
      ...second,
      status: 'partially_refunded',
      refunds: [{ refundNo: 'R-S2', amountFen: 100 }],
      updatedAt: at(1),
    }),
  ]);
  expect(await count(spent500)).toBe(before);
  expect(await count(under500)).toBe(beforeUnder);
  expect(await count({ and: [{ not: under500 }, { field: 'spendInWindow', days: 7, op: 'gte', value: 49_900 }] })).toBe(
    before,
  );
});

test('S20 segments: categories bought, order channel, RFM, spend and orders in a window follow signed order syncs and refunds', async () => {
  const buyer = 'o_seg_window';
  await as(emu, buyer).ok('member', 'login', {});
  const rule = {
    and: [
      { field: 'categories', op: 'hasAll', values: ['accessories'] },
      { field: 'channels', op: 'hasAny', values: ['pos'] },
      { field: 'ordersInWindow', days: 30, op: 'gte', value: 2 },
      { field: 'spendInWindow', days: 30, op: 'gte', value: 30_000 },
      { field: 'rfm', dim: 'f', op: 'in', values: [1, 2, 3, 4, 5] },
    ],
  };
  const before = await count(rule);
  const now = await emulatorNow(emu);
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  await syncOrders(emu, 'pos', [
    order({
      orderNo: 'SEG-W1',
      customer: who(buyer),
      totalFen: 20_000,
      category: 'accessories',
      createdAt: at(10),
      paidAt: at(10),
    }),
  ]);
  expect(await count(rule)).toBe(before); // one order so far
  await syncOrders(emu, 'pos', [
    order({ orderNo: 'SEG-W2', customer: who(buyer), totalFen: 12_000, createdAt: at(5), paidAt: at(5) }),
  ]);
  expect(await count(rule)).toBe(before + 1);
  const sample = (await admin.ok('messaging', 'segments.preview', { rule })) as {
    sample: { memberId: string; ltvFen: number }[];
  };
  expect(sample.sample.some((m) => m.ltvFen === 32_000)).toBe(true);
  // a refund of the second order: one order and 200 yuan left in the window
  await syncOrders(emu, 'pos', [
    order({
      orderNo: 'SEG-W2',
      customer: who(buyer),
      totalFen: 12_000,
      status: 'refunded',
      refunds: [{ refundNo: 'R-W2', amountFen: 12_000 }],
      createdAt: at(5),
      paidAt: at(5),
      updatedAt: at(1),
    }),
  ]);
  expect(await count(rule)).toBe(before);
  expect(await count({ not: { field: 'spendInWindow', days: 30, op: 'gte', value: 30_000 } })).toBeGreaterThanOrEqual(
    1,
  );
  // 31 days later neither order is in a 30-day window
  await setClock(emu, { advance: `${31 * 24}h` });
  expect(
    await count({
      and: [
        { field: 'categories', op: 'hasAny', values: ['accessories'] },
        { field: 'ordersInWindow', days: 30, op: 'gte', value: 1 },
      ],
    }),
  ).toBe(0);
});
