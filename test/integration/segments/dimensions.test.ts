import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { factsOfMember, matches, type SegmentRule, type StoredMember } from '../../../core/segments';
import { latestPaidOf, spendReachOf } from '../../../core/segments/window';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { emulatorNow, functionsDirWith, separateEmulator, setClock } from '../orders/support';

/**
 * Every segment dimension, previewed through the emulator's indexes, counts the same members as
 * checking each member with `matches`, and samples the first ten of them by id. The members are
 * written with the fields the product keeps (the latest counted orders' paid times and when the
 * spend reached each ladder amount, as the lifecycle update derives them), varied so each dimension splits them.
 */
const MEMBERS = 400;
const DAY = 86_400_000;
let emu: Emulator;
let dir: string;
let now: Date;
let stored: (StoredMember & { _id: string })[];

function member(i: number): StoredMember & { _id: string } {
  const paidOrders = Array.from({ length: i % 8 }, (_v, k) => ({
    key: `pos:d${i}-${k}`,
    paidAt: new Date(now.getTime() - ((i * 7 + k * 23) % 200) * DAY - (i % 5) * 3_600_000),
    paidFen: 5_000 + (k % 3) * 2_000,
    refundedFen: (i + k) % 7 === 0 ? 5_000 + (k % 3) * 2_000 : 0,
  }));
  const pick = <T>(list: T[], n: number) => list[n % list.length]!;
  return {
    _id: `dm${String(i).padStart(4, '0')}`,
    ...(i % 9 ? { state: 'member', cardNo: `D${i}` } : { state: 'visitor' }),
    stage: pick(['window', 'first-time', 'repeat', 'loyal', 'lapsed'], i),
    tier: pick(['silver', 'gold', 'platinum', null], i >> 1),
    tags: i % 4 ? [{ tagId: pick(['vip', 'hipo', 'new'], i) }] : [],
    rfm: i % 10 ? { r: (i % 5) + 1, f: ((i >> 1) % 5) + 1, m: ((i >> 2) % 5) + 1 } : null,
    ltvFen: paidOrders.reduce((n, o) => n + o.paidFen - o.refundedFen, 0),
    ...(i % 3 ? { ltvForecastFen: (i % 40) * 1_000 } : {}),
    lifecycle: {
      paidOrders,
      latestPaid: latestPaidOf(paidOrders),
      spendReach: spendReachOf(paidOrders),
      categories: i % 11 === 0 ? ['accessories', 'qipao'] : i % 2 ? ['qipao'] : [],
      channels: i % 3 ? ['pos'] : ['ecommerce', 'pos'],
    },
    attribution: {
      ...(i % 8 ? { first: { storeId: `st${i % 4}`, advisorId: i % 3 ? `adv${i % 5}` : null, via: 'code' } } : {}),
      last: { storeId: `st${(i + 1) % 4}`, via: 'share' },
    },
    ...(i % 6 ? { consents: { marketingOptIn: i % 4 !== 0 } } : {}),
    ...(i % 7 ? { lastSeenAt: new Date(now.getTime() - (i % 60) * DAY) } : {}),
    ...(i % 5 ? { oaFollowing: i % 2 === 0 } : {}),
    ...(i % 10 ? { language: i % 4 ? 'zh' : 'en' } : {}),
    ...(i % 3
      ? { birthday: `199${i % 10}-${String((i % 12) + 1).padStart(2, '0')}-0${(i % 9) + 1}`, birthMonth: (i % 12) + 1 }
      : {}),
  };
}

const RULES: Record<string, SegmentRule> = {
  stage: { field: 'stage', op: 'in', values: ['repeat', 'loyal'] },
  'stage notIn': { field: 'stage', op: 'notIn', values: ['window'] },
  tier: { field: 'tier', op: 'notIn', values: ['silver'] },
  'RFM band': { field: 'rfm', dim: 'm', op: 'in', values: [4, 5] },
  LTV: { field: 'spendFen', op: 'gte', value: 10_000 },
  'LTV forecast': { field: 'ltvForecastFen', op: 'lt', value: 20_000 },
  'orders in a window': { field: 'ordersInWindow', days: 60, op: 'gte', value: 2 },
  'orders in a window, at most one': { field: 'ordersInWindow', days: 90, op: 'lte', value: 1 },
  'orders in a window, more than kept': { field: 'ordersInWindow', days: 200, op: 'gt', value: 5 },
  'spend in a window': { field: 'spendInWindow', days: 90, op: 'gte', value: 7_000 },
  'spend in a window, a ladder amount': { field: 'spendInWindow', days: 90, op: 'gte', value: 10_000 },
  'spend in a window, below a ladder amount': { field: 'spendInWindow', days: 120, op: 'lt', value: 20_000 },
  'spend in a window, not above a ladder step': {
    not: { field: 'spendInWindow', days: 150, op: 'gt', value: 29_999 },
  },
  'spend in a window, between ladder steps': { field: 'spendInWindow', days: 180, op: 'gte', value: 25_000 },
  'categories bought': { field: 'categories', op: 'hasAll', values: ['accessories'] },
  channel: { field: 'channels', op: 'hasNone', values: ['ecommerce'] },
  store: { field: 'storeId', op: 'in', values: ['st1', 'st2'] },
  'store notIn': { field: 'storeId', op: 'notIn', values: ['st1'] },
  attribution: { field: 'attribution', key: 'advisorId', op: 'notIn', values: ['adv1'] },
  tags: { field: 'tags', op: 'hasAny', values: ['vip', 'hipo'] },
  'tags none': { field: 'tags', op: 'hasNone', values: ['vip'] },
  language: { field: 'language', op: 'notIn', values: ['zh'] },
  follower: { field: 'isFollower', op: 'is', value: false },
  member: { field: 'isMember', op: 'is', value: true },
  'birthday month': { field: 'birthdayMonth', op: 'in', values: [3, 4] },
  consent: { field: 'marketingOptIn', op: 'is', value: false },
  'last activity': { field: 'activeDays', op: 'notWithin', days: 30 },
  recency: { field: 'recencyDays', op: 'within', days: 45 },
  combined: {
    and: [
      {
        or: [
          { field: 'tier', op: 'in', values: ['gold'] },
          { field: 'tags', op: 'hasAny', values: ['hipo'] },
        ],
      },
      { not: { field: 'ordersInWindow', days: 30, op: 'gte', value: 1 } },
      { field: 'marketingOptIn', op: 'is', value: true },
      { field: 'activeDays', op: 'within', days: 45 },
    ],
  },
};

beforeAll(async () => {
  dir = functionsDirWith(['messaging'], []);
  emu = await separateEmulator(dir);
  await setClock(emu, { set: '2026-03-10T02:00:00Z' });
  now = await emulatorNow(emu);
  const { db } = connectSdk(emu);
  await db
    .collection('staff')
    .doc('staff_dim_admin')
    .set({ data: { openid: 'o_dim_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  stored = Array.from({ length: MEMBERS }, (_v, i) => member(i));
  for (let k = 0; k < MEMBERS; k += 100) await db.collection('members').add({ data: stored.slice(k, k + 100) });
}, 120_000);
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

test.each(Object.entries(RULES))(
  'S20 segments: a preview by %s counts and samples the members matches() finds',
  async (_name, rule) => {
    const expected = stored.filter((m) => matches(rule, factsOfMember(m), now, 'Asia/Shanghai')).map((m) => m._id);
    const preview = await as(emu, 'o_dim_admin').ok('messaging', 'segments.preview', { rule });
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(MEMBERS);
    expect(preview.count).toBe(expected.length);
    expect(preview.sample.map((m) => m.memberId)).toEqual(expected.slice(0, 10));
  },
  60_000,
);
