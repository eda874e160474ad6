import { ok, refused, networkDown, type FakeWx } from '../../support/miniprogram/fake-wx';
import { openPage } from '../../support/miniprogram/page-harness';
import { actions, advisor, inputOf, openLoaded, refusedWith, run, settle, setUp, type Harness } from './fixtures-core';

/** Member lookup and portrait (S21): opened by member id, tags and point adjustments after confirmation. */
const MEMBER = 'packageAdmin/pages/member/index';
const portrait = (patch: Record<string, unknown> = {}) => ({
  memberId: 'm1',
  name: '林小满',
  phone: '13800001234',
  cardNo: '880000012345',
  stage: 'repeat',
  tags: [{ tagId: 'vip', source: 'manual', at: '2026-04-01T02:00:00.000Z' }],
  tier: 'silver',
  points: 1280,
  ltvFen: 356000,
  orders: [{ orderId: 'o1', amountFen: 129900, status: 'paid', at: '2026-04-20T04:00:00.000Z' }],
  appointments: [
    { appointmentId: 'ap1', storeId: 'store_sh', status: 'checked_in', start: '2026-04-21T06:00:00.000Z' },
  ],
  ...patch,
});
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

async function opened(query: Record<string, string> = { memberId: 'm1' }) {
  wx.answers.push(ok({ staff: advisor }), ok({ members: [portrait()] }));
  return openLoaded(wx, MEMBER, query);
}

describe('member portrait', () => {
  test('S21 opened from a link (?memberId=) it shows the member: stage, tags, tier, points, LTV, orders and bookings', async () => {
    const page = await opened();
    expect(actions(wx)).toEqual(['admin.staff.me', 'admin.members.lookup', 'admin.members.timeline']);
    expect(inputOf(wx, 'admin.members.lookup')).toEqual({ query: 'm1', by: 'memberId' });
    expect(page.data).toMatchObject({ status: 'ready', canTag: true, canAdjust: true });
    expect(page.data.member).toEqual({
      memberId: 'm1',
      name: '林小满',
      phone: '138****1234',
      card: '卡号 880000012345',
      stage: '复购',
      tier: '银卡',
      points: 1280,
      ltv: '¥3560.00',
      tags: ['vip'],
      orders: [{ id: 'o1', amount: '¥1299.00', status: '已支付', at: '2026-04-20' }],
      appointments: [{ id: 'ap1', status: '已签到', start: '2026-04-21 14:00', store: 'store_sh' }],
    });
  });

  test('S21 a member without a card opens by id too (an old link with a card number still works)', async () => {
    wx.answers.push(
      ok({ staff: advisor }),
      ok({
        members: [
          portrait({
            memberId: 'm_visitor',
            name: null,
            cardNo: null,
            phone: null,
            stage: null,
            tier: null,
            tags: [],
            orders: [],
            appointments: [],
          }),
        ],
      }),
    );
    const page = await openLoaded(wx, MEMBER, { memberId: 'm_visitor', cardNo: 'ignored' });
    expect(inputOf(wx, 'admin.members.lookup')).toEqual({ query: 'm_visitor', by: 'memberId' });
    expect(page.data.member).toMatchObject({
      memberId: 'm_visitor',
      name: '未填写姓名',
      card: '未领卡',
      phone: '',
      stage: '—',
      tier: '—',
      tags: [],
      orders: [],
    });
  });

  test('a merged-away id shows the member it was merged into; an unknown id shows "not found"', async () => {
    wx.answers.push(ok({ staff: advisor }), ok({ members: [portrait({ memberId: 'm_survivor' })] }));
    const merged = await openLoaded(wx, MEMBER, { memberId: 'm_old' });
    expect(merged.data).toMatchObject({ status: 'ready', member: { memberId: 'm_survivor', name: '林小满' } });

    h = setUp();
    wx = h.wx;
    wx.answers.push(ok({ staff: advisor }), ok({ members: [] }));
    const page = await openLoaded(wx, MEMBER, { memberId: 'm1' });
    expect(page.data).toMatchObject({ status: 'empty', emptyText: '未找到该会员', member: null });
  });

  test('pull to refresh reloads the member shown, by id, keeping the list it was picked from', async () => {
    wx.answers.push(ok({ staff: advisor }));
    const page = await openLoaded(wx, MEMBER);
    wx.answers.push(ok({ members: [portrait(), portrait({ memberId: 'm2', cardNo: null, phone: null })] }));
    run(page, 'onQuery', { detail: { value: '林小满' } });
    await run(page, 'search');
    run(page, 'pick', { currentTarget: { dataset: { id: 'm2' } } });

    wx.answers.push(
      ok({ staff: advisor }),
      ok({ members: [portrait({ memberId: 'm2', cardNo: null, phone: null, points: 90 })] }),
    );
    run(page, 'onPullDownRefresh');
    await settle();
    expect(inputOf(wx, 'admin.members.lookup', 1)).toEqual({ query: 'm2', by: 'memberId' });
    expect(page.data.member).toMatchObject({ memberId: 'm2', points: 90 });
    expect(page.data.matches.map((m: { memberId: string }) => m.memberId)).toEqual(['m1', 'm2']);
    expect(wx.pullDownStops).toBe(1);
  });

  test('a failed lookup shows the error state', async () => {
    wx.answers.push(ok({ staff: advisor }), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, MEMBER, { memberId: 'm1' });
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  });

  test('not staff: "staff only", no lookup', async () => {
    wx.answers.push(ok({ staff: null }));
    const page = await openLoaded(wx, MEMBER);
    expect(page.data).toMatchObject({ status: 'empty', emptyText: '仅限门店员工' });
    expect(actions(wx)).toEqual(['admin.staff.me']);
  });
});

describe('member search', () => {
  test('S21 search by phone: one match is shown at once; several are listed to pick from; none says so', async () => {
    wx.answers.push(ok({ staff: advisor }));
    const page = await openLoaded(wx, MEMBER);
    expect(page.data).toMatchObject({ status: 'ready', member: null });

    await run(page, 'search');
    expect(page.data.searchNote).toBe('请输入手机号、卡号或姓名');
    expect(wx.calls).toHaveLength(1);

    wx.answers.push(ok({ members: [portrait()] }));
    run(page, 'onQuery', { detail: { value: ' 13800001234 ' } });
    await run(page, 'search');
    expect(inputOf(wx, 'admin.members.lookup')).toEqual({ query: '13800001234' });
    expect(page.data.member.name).toBe('林小满');

    wx.answers.push(
      ok({ members: [portrait(), portrait({ memberId: 'm2', name: '林小满', cardNo: null, phone: null })] }),
    );
    run(page, 'onQuery', { detail: { value: '林小满' } });
    await run(page, 'search');
    expect(page.data).toMatchObject({ member: null, searchNote: '找到 2 位会员，请选择' });
    expect(page.data.matches).toEqual([
      { memberId: 'm1', name: '林小满', card: '卡号 880000012345', phone: '138****1234' },
      { memberId: 'm2', name: '林小满', card: '未领卡', phone: '' },
    ]);
    run(page, 'pick', { currentTarget: { dataset: { id: 'm2' } } });
    expect(page.data.member.memberId).toBe('m2');

    wx.answers.push(ok({ members: [] }));
    run(page, 'onQuery', { detail: { value: '13900000000' } });
    await run(page, 'search');
    expect(page.data.searchNote).toBe('没有找到匹配「13900000000」的会员');
  });
});

describe('tags', () => {
  test('S21 adding a tag asks first, sends exactly that tag, and shows the tags the server answers', async () => {
    const page = await opened();
    run(page, 'onTagInput', { detail: { value: ' hi_po ' } });
    wx.answers.push(ok({ memberId: 'm1', tags: ['vip', 'hi_po'] }));
    await run(page, 'addTag');
    expect(h.modals).toEqual(['为 林小满 添加标签「hi_po」？']);
    expect(inputOf(wx, 'admin.members.tag')).toEqual({ memberId: 'm1', add: ['hi_po'] });
    expect(page.data.member.tags).toEqual(['vip', 'hi_po']);
    expect(page.data.tagInput).toBe('');
  });

  test('S21 removing a tag asks first; cancelled, nothing is sent', async () => {
    const page = await opened();
    h.modalAnswers.push(false);
    await run(page, 'removeTag', { currentTarget: { dataset: { tag: 'vip' } } });
    expect(h.modals).toEqual(['移除 林小满 的标签「vip」？']);
    expect(actions(wx)).not.toContain('admin.members.tag');

    wx.answers.push(ok({ memberId: 'm1', tags: [] }));
    await run(page, 'removeTag', { currentTarget: { dataset: { tag: 'vip' } } });
    expect(inputOf(wx, 'admin.members.tag')).toEqual({ memberId: 'm1', remove: ['vip'] });
    expect(page.data.member.tags).toEqual([]);
  });

  test('a tag the member holds is not sent again; a refused tag change is shown', async () => {
    const page = await opened();
    run(page, 'onTagInput', { detail: { value: 'vip' } });
    await run(page, 'addTag');
    expect(page.data.tagError).toBe('该会员已有此标签');
    expect(h.modals).toEqual([]);

    run(page, 'onTagInput', { detail: { value: 'new' } });
    wx.answers.push(refused('MEMBER_NOT_FOUND', 'x'));
    await run(page, 'addTag');
    expect(page.data.tagError).toBe('会员不存在');
    expect(page.data.member.tags).toEqual(['vip']);
  });
});

describe('points adjustment', () => {
  test('S21 an adjustment with a reason is confirmed, sent with a request id, and the new balance shown', async () => {
    const page = await opened();
    run(page, 'onDelta', { detail: { value: '+200' } });
    run(page, 'onReason', { detail: { value: ' 活动补偿 ' } });
    wx.answers.push(ok({ ledgerId: 'l1', amount: 200, balance: 1480, replayed: false }));
    await run(page, 'adjust');
    expect(h.modals).toEqual(['为 林小满 调整积分 +200，原因：活动补偿？']);
    const input = inputOf(wx, 'points.adjust')!;
    expect(input).toMatchObject({ memberId: 'm1', delta: 200, reason: '活动补偿' });
    expect(input.requestId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(page.data).toMatchObject({
      delta: '',
      reason: '',
      adjustError: '',
      adjustNote: '已调整 +200，当前积分 1480',
    });
    expect(page.data.member.points).toBe(1480);
  });

  test('S21 the daily limit refusal says the limit and what was used today', async () => {
    const page = await opened();
    run(page, 'onDelta', { detail: { value: '300' } });
    run(page, 'onReason', { detail: { value: '老客回馈' } });
    wx.answers.push(
      refusedWith('FORBIDDEN', "超出今日额度 / over today's limit (500)", {
        permission: 'points.adjust',
        limit: 500,
        used: 400,
        reason: 'DAILY_LIMIT',
      }),
    );
    await run(page, 'adjust');
    expect(page.data.adjustError).toBe('超出今日积分调整额度：每日上限 500，今日已调整 400');
    expect(page.data.member.points).toBe(1280);
  });

  test('bad input is caught before asking; a cancelled confirmation sends nothing', async () => {
    const page = await opened();
    run(page, 'onDelta', { detail: { value: '0' } });
    run(page, 'onReason', { detail: { value: '补偿' } });
    await run(page, 'adjust');
    expect(page.data.adjustError).toBe('请输入非零整数');
    run(page, 'onDelta', { detail: { value: '-50' } });
    run(page, 'onReason', { detail: { value: '补' } });
    await run(page, 'adjust');
    expect(page.data.adjustError).toBe('请填写原因（至少 2 个字）');
    expect(h.modals).toEqual([]);

    run(page, 'onReason', { detail: { value: '误操作更正' } });
    h.modalAnswers.push(false);
    await run(page, 'adjust');
    expect(h.modals).toHaveLength(1);
    expect(actions(wx)).not.toContain('points.adjust');
  });

  test('a retry after a lost answer sends the same request id; after an answer the next adjustment gets a new one', async () => {
    const page = await opened();
    run(page, 'onDelta', { detail: { value: '-50' } });
    run(page, 'onReason', { detail: { value: '误操作更正' } });
    wx.answers.push(networkDown(), networkDown(), networkDown()); // the client's own retries fail too
    await run(page, 'adjust');
    const first = inputOf(wx, 'points.adjust')!.requestId;
    expect(page.data.adjustError).toBe('网络不太好，请稍后重试');

    wx.answers.push(refused('POINTS_INSUFFICIENT', 'x'));
    await run(page, 'adjust');
    const calls = wx.calls.filter((c) => c.data.action === 'adjust');
    expect(calls.at(-1)!.data.requestId).toBe(first);
    expect(page.data.adjustError).toBe('会员可用积分不足，不能扣减这么多');

    wx.answers.push(ok({ ledgerId: 'l2', amount: -50, balance: 1230, replayed: false }));
    await run(page, 'adjust');
    expect(wx.calls.filter((c) => c.data.action === 'adjust').at(-1)!.data.requestId).not.toBe(first);
  });

  test('English: stage, tier and card read in English', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok({ staff: advisor }), ok({ members: [portrait()] }));
    const page = openPage(MEMBER);
    run(page, 'onLoad', { memberId: 'm1' });
    await settle();
    expect(page.data.member).toMatchObject({ stage: 'Repeat', tier: 'Silver', card: 'Card 880000012345' });
  });
});
