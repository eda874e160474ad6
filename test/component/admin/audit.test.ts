import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, openLoaded, run, settle, setUp } from './fixtures-core';

/** The audit trail (S21): who, when, what, before → after; filters; pages of 20. */
const AUDIT = 'packageAdmin/pages/audit/index';
const entry = (id: string, patch: Record<string, unknown> = {}) => ({
  id,
  who: 'staff_advisor_sh',
  role: 'advisor',
  at: '2026-05-01T02:00:00.000Z',
  action: 'points.adjust',
  target: 'm1',
  before: { balance: 1280 },
  after: { balance: 1480 },
  reason: '活动补偿',
  ...patch,
});
const page0 = {
  items: [
    entry('au3'),
    entry('au2', {
      action: 'members.tag',
      who: 'staff_admin',
      role: 'brand_admin',
      before: { tags: ['vip'] },
      after: { tags: ['vip', 'hi_po'] },
      reason: undefined,
    }),
  ],
  page: 0,
  pageSize: 20,
  hasMore: true,
};
const page1 = {
  items: [
    entry('au2'),
    entry('au1', {
      action: 'refused:admin.audit.list',
      role: 'none',
      who: 'o_x',
      before: null,
      after: null,
      reason: undefined,
    }),
  ],
  page: 1,
  pageSize: 20,
  hasMore: false,
};
const listInputs = (wx: FakeWx) =>
  wx.calls.filter((c) => c.data.action === 'audit.list').map(({ data: { action: _a, ...input } }) => input);
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

describe('audit trail', () => {
  test('S21 the first page shows who, when, what and before → after for each entry', async () => {
    wx.answers.push(ok(page0));
    const page = await openLoaded(wx, AUDIT);
    expect(actions(wx)).toEqual(['admin.audit.list']);
    expect(listInputs(wx)).toEqual([{ page: 0 }]);
    expect(page.data).toMatchObject({ status: 'ready', hasMore: true });
    expect(page.data.rows).toEqual([
      {
        id: 'au3',
        who: 'staff_advisor_sh · 顾问',
        when: '2026-05-01 10:00',
        what: '调整积分',
        target: 'm1',
        changes: ['balance: 1280 → 1480'],
        reason: '原因：活动补偿',
      },
      {
        id: 'au2',
        who: 'staff_admin · 品牌管理员',
        when: '2026-05-01 10:00',
        what: '会员标签',
        target: 'm1',
        changes: ['tags: ["vip"] → ["vip","hi_po"]'],
        reason: '',
      },
    ]);
  });

  test('S21 load more appends the next page once, without duplicates, until there is no more', async () => {
    wx.answers.push(ok(page0), ok(page1));
    const page = await openLoaded(wx, AUDIT);
    const first = run(page, 'onReachBottom');
    run(page, 'more'); // while loading: ignored
    await first;
    expect(listInputs(wx)).toEqual([{ page: 0 }, { page: 1 }]);
    expect(page.data.rows.map((r: { id: string }) => r.id)).toEqual(['au3', 'au2', 'au1']);
    expect(page.data.rows[2]).toMatchObject({
      what: '被拒绝的操作 · admin.audit.list',
      who: 'o_x · 非员工',
      changes: [],
    });
    expect(page.data.hasMore).toBe(false);
    await run(page, 'more');
    expect(wx.calls).toHaveLength(2);
  });

  test('S21 filters by staff, member and action are sent as the contract names them, and paging keeps them', async () => {
    wx.answers.push(
      ok(page0),
      ok(page0),
      ok(page1),
      ok({ items: [], page: 0, pageSize: 20, hasMore: false }),
      ok(page0),
    );
    const page = await openLoaded(wx, AUDIT);
    run(page, 'onStaff', { detail: { value: ' staff_advisor_sh ' } });
    run(page, 'onMember', { detail: { value: 'm1' } });
    await run(page, 'apply');
    await run(page, 'more');
    await run(page, 'pickAction', { currentTarget: { dataset: { action: 'coupons.redeem' } } });
    expect(page.data.status).toBe('empty');
    await run(page, 'clear');
    expect(listInputs(wx)).toEqual([
      { page: 0 },
      { staffId: 'staff_advisor_sh', memberId: 'm1', page: 0 },
      { staffId: 'staff_advisor_sh', memberId: 'm1', page: 1 },
      { staffId: 'staff_advisor_sh', memberId: 'm1', auditAction: 'coupons.redeem', page: 0 },
      { page: 0 },
    ]);
    expect(page.data.form).toEqual({ staffId: '', memberId: '', auditAction: '' });
  });

  test('the action chips start with "all" and name the common actions in Chinese', async () => {
    wx.answers.push(ok(page0));
    const page = await openLoaded(wx, AUDIT);
    expect(page.data.actionChips.map((c: { label: string }) => c.label)).toEqual([
      '全部',
      '核销优惠券',
      '调整积分',
      '会员标签',
      '预约签到',
      '邀请员工',
    ]);
  });

  test('a role without audit rights sees why; other failures show the error and retry', async () => {
    wx.answers.push(refused('FORBIDDEN', 'x'));
    const page = await openLoaded(wx, AUDIT);
    expect(page.data).toMatchObject({ status: 'error', message: '仅品牌管理员可查看操作日志' });
    wx.answers.push(ok(page0));
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('ready');
  });

  test('a failed next page keeps the rows and says why', async () => {
    wx.answers.push(ok(page0), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, AUDIT);
    await run(page, 'more');
    expect(page.data).toMatchObject({ moreError: '服务繁忙，请稍后重试', hasMore: true, loadingMore: false });
    expect(page.data.rows).toHaveLength(2);
  });

  test('English: actions and roles in English', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok(page0));
    const page = await openLoaded(wx, AUDIT);
    expect(page.data.rows[0]).toMatchObject({
      what: 'Points adjusted',
      who: 'staff_advisor_sh · Advisor',
      reason: 'Reason: 活动补偿',
    });
  });
});
