import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, advisor, inputOf, openLoaded, run, settle, setUp } from './fixtures-core';

/** The staff member page's timeline (members.timeline): stage, RFM, LTV, tags with source, one paged list. */
const MEMBER = 'packageAdmin/pages/member/index';
const portrait = (memberId: string, name: string) => ({
  memberId,
  name,
  phone: '13800001234',
  cardNo: '880000012345',
  stage: 'repeat',
  tags: [],
  tier: 'silver',
  points: 1280,
  ltvFen: 356000,
  orders: [],
  appointments: [],
});
const KINDS = ['order', 'points', 'coupon', 'booking', 'message'] as const;
/** 45 entries, newest first, one a day back from 30 April; the 3rd and 20th are stage changes. */
const items = Array.from({ length: 45 }, (_v, i) => ({
  at: new Date(Date.parse('2026-04-30T02:00:00.000Z') - i * 86_400_000).toISOString(),
  kind: i === 2 || i === 19 ? 'stage' : KINDS[i % KINDS.length],
  title: i === 2 ? 'first_time → repeat (order)' : `entry ${i}`,
  ref: `src/${i}`,
}));
const timeline = (patch: Record<string, unknown> = {}) => ({
  memberId: 'm1',
  stage: 'repeat',
  rfm: { r: 4, f: 3, m: 5 },
  ltvFen: 356000,
  ltvForecastFen: 512000,
  points: 1280,
  tags: [
    { tagId: 'vip', source: 'manual', at: '2026-04-01T02:00:00.000Z', expiresAt: '2026-06-30T16:00:00.000Z' },
    { tagId: 'loyal_fan', source: 'rule', at: '2026-04-10T02:00:00.000Z', expiresAt: null },
  ],
  items,
  ...patch,
});

let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
  wx.routes['admin.staff.me'] = ok({ staff: advisor });
});

test('S21 opened for a member: RFM, LTV forecast, tags with source, stage changes, the first 20 entries', async () => {
  wx.routes['admin.members.lookup'] = ok({ members: [portrait('m1', '林小满')] });
  wx.routes['admin.members.timeline'] = ok(timeline());
  const p = await openLoaded(wx, MEMBER, { memberId: 'm1' });
  expect(actions(wx)).toEqual(['admin.staff.me', 'admin.members.lookup', 'admin.members.timeline']);
  expect(inputOf(wx, 'admin.members.timeline')).toEqual({ memberId: 'm1' });
  expect(p.data.timeline).toMatchObject({
    rfm: 'R4 · F3 · M5',
    ltv: '¥3560.00',
    ltvForecast: '¥5120.00',
    tags: [
      { id: 'vip', line: '手动 · 2026-04-01，至 2026-06-30' },
      { id: 'loyal_fan', line: '规则 · 2026-04-10' },
    ],
  });
  expect(p.data.timeline.stages.map((e: { title: string; at: string }) => [e.title, e.at])).toEqual([
    ['first_time → repeat (order)', '2026-04-28 10:00'],
    ['entry 19', '2026-04-11 10:00'],
  ]);
  expect(p.data.events).toHaveLength(20);
  expect(p.data.events[0]).toEqual({
    key: 'src/0',
    kind: 'order',
    label: '订单',
    title: 'entry 0',
    at: '2026-04-30 10:00',
  });
  expect(p.data.events.slice(1, 5).map((e: { label: string }) => e.label)).toEqual(['积分', '阶段', '预约', '消息']);
  expect(p.data).toMatchObject({ hasMore: true, timelineBusy: false, timelineError: '' });
});

test('the rest of the timeline comes a page at a time at the bottom, without another call', async () => {
  wx.routes['admin.members.lookup'] = ok({ members: [portrait('m1', '林小满')] });
  wx.routes['admin.members.timeline'] = ok(timeline());
  const p = await openLoaded(wx, MEMBER, { memberId: 'm1' });
  await run(p, 'onReachBottom');
  expect(p.data.events).toHaveLength(40);
  await run(p, 'onReachBottom');
  expect(p.data.events).toHaveLength(45);
  expect(p.data.hasMore).toBe(false);
  expect(p.data.events.at(-1).key).toBe('src/44');
  expect(actions(wx).filter((a) => a === 'admin.members.timeline')).toHaveLength(1);
});

test('a member with no history and no score; a refused timeline is said in its card, the portrait stays', async () => {
  wx.routes['admin.members.lookup'] = ok({ members: [portrait('m1', '林小满')] });
  wx.routes['admin.members.timeline'] = ok(timeline({ rfm: null, tags: [], items: [] }));
  const p = await openLoaded(wx, MEMBER, { memberId: 'm1' });
  expect(p.data.timeline).toMatchObject({ rfm: '尚未评分', tags: [], stages: [] });
  expect(p.data).toMatchObject({ events: [], hasMore: false });

  wx.routes['admin.members.timeline'] = refused('MEMBER_NOT_FOUND', 'gone');
  await run(p, 'onPullDownRefresh');
  expect(p.data).toMatchObject({ status: 'ready', timeline: null, timelineError: '会员不存在' });
  expect(p.data.member.name).toBe('林小满');
});

test('a member picked from several matches gets their own timeline', async () => {
  wx.routes['admin.members.lookup'] = ok({ members: [portrait('m1', '林小满'), portrait('m2', '林大满')] });
  const p = await openLoaded(wx, MEMBER, {});
  run(p, 'onQuery', { detail: { value: '林' } });
  await run(p, 'search');
  expect(actions(wx)).not.toContain('admin.members.timeline');
  wx.routes['admin.members.timeline'] = ok(timeline({ memberId: 'm2', items: items.slice(0, 3) }));
  run(p, 'pick', { currentTarget: { dataset: { id: 'm2' } } });
  await settle();
  expect(inputOf(wx, 'admin.members.timeline')).toEqual({ memberId: 'm2' });
  expect(p.data.events).toHaveLength(3);
  expect(p.data.hasMore).toBe(false);
});

test('English: kinds and sources in English', async () => {
  wx.storage.set('lang', 'en');
  wx.routes['admin.members.lookup'] = ok({ members: [portrait('m1', 'Lin')] });
  wx.routes['admin.members.timeline'] = ok(timeline());
  const p = await openLoaded(wx, MEMBER, { memberId: 'm1' });
  expect(p.data.timeline.tags[0].line).toBe('Manual · 2026-04-01, until 2026-06-30');
  expect(p.data.events[0].label).toBe('Order');
});
