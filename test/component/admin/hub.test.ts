import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import type { PageInstance } from '../../support/miniprogram/page-harness';
import { actions, admin, advisor, catalogue, inputOf, manager, openLoaded, run, settle, setUp } from './fixtures-core';

/** The staff hub entered from Me (S21): who I am and the tools my role may use. */
const HUB = 'packageAdmin/pages/index/index';
const keys = (page: PageInstance): string[] => page.data.entries.map((e: { key: string }) => e.key);
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

describe('staff hub', () => {
  test('S21 an advisor sees name, role in Chinese, store names, and only the tools an advisor holds', async () => {
    wx.answers.push(ok({ staff: advisor }), ok(catalogue));
    const page = await openLoaded(wx, HUB);
    expect(actions(wx)).toEqual(['admin.staff.me', 'appointments.catalogue']);
    expect(inputOf(wx, 'admin.staff.me')).toEqual({});
    expect(page.data).toMatchObject({
      status: 'ready',
      staff: true,
      me: { name: '李顾问', role: '顾问', stores: '门店：上海新天地店' },
    });
    expect(keys(page)).toEqual(['scan', 'member', 'schedule', 'qrcodes']);
    expect(page.data.entries[0]).toEqual({
      key: 'scan',
      title: '扫码核销',
      hint: '券码、会员码、预约',
      url: '/packageAdmin/pages/scan/index',
    });
  });

  test('S21 a store manager also gets the dashboard, but not the admin-only tools', async () => {
    wx.answers.push(ok({ staff: manager }), ok(catalogue));
    const page = await openLoaded(wx, HUB);
    expect(page.data.me.role).toBe('店长');
    expect(keys(page)).toEqual(['scan', 'member', 'dashboard', 'schedule', 'qrcodes', 'insight']);
  });

  test('S21 a brand admin sees every tool and "all stores" without a store lookup; a tile opens its page', async () => {
    wx.answers.push(ok({ staff: admin }));
    const page = await openLoaded(wx, HUB);
    expect(actions(wx)).toEqual(['admin.staff.me']);
    expect(page.data.me).toEqual({ name: '品牌管理员', role: '品牌管理员', stores: '门店：全部门店' });
    expect(keys(page)).toEqual([
      'scan',
      'member',
      'audit',
      'dashboard',
      'couponTemplates',
      'schedule',
      'qrcodes',
      'segments',
      'journeys',
      'tags',
      'insight',
      'repair',
    ]);
    run(page, 'open', { currentTarget: { dataset: { url: '/packageAdmin/pages/audit/index' } } });
    expect(wx.navigations).toEqual(['/packageAdmin/pages/audit/index']);
  });

  test('store names that cannot be read fall back to the store ids, the page still opens', async () => {
    wx.answers.push(ok({ staff: advisor }), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, HUB);
    expect(page.data).toMatchObject({ status: 'ready', me: { stores: '门店：store_sh' } });
  });

  test('a person who is not staff sees "staff only" and no tools', async () => {
    wx.answers.push(ok({ staff: null }));
    const page = await openLoaded(wx, HUB);
    expect(page.data).toMatchObject({ status: 'ready', staff: false, entries: [] });
    expect(page.data.t.notStaff).toBe('仅限门店员工');
  });

  test('a new staff member joins with an invitation code and then sees the tools of the role', async () => {
    wx.answers.push(ok({ staff: null }));
    const page = await openLoaded(wx, HUB);
    run(page, 'onInviteCode', { detail: { value: 'abc' } });
    await run(page, 'join');
    expect(page.data.joinError).toBe('请输入 6 位以上的邀请码');
    expect(wx.calls).toHaveLength(1); // too short: nothing sent

    wx.answers.push(
      ok({ staffId: 'staff_new', role: 'advisor', storeIds: ['store_sh'] }),
      ok({ staff: { ...advisor, staffId: 'staff_new' } }),
      ok(catalogue),
    );
    run(page, 'onInviteCode', { detail: { value: ' K7PM2QXR9T ' } });
    await run(page, 'join');
    await settle();
    expect(actions(wx)).toEqual([
      'admin.staff.me',
      'admin.staff.redeemInvite',
      'admin.staff.me',
      'appointments.catalogue',
    ]);
    expect(inputOf(wx, 'admin.staff.redeemInvite')).toEqual({ code: 'K7PM2QXR9T' });
    expect(wx.toasts).toContain('已加入');
    expect(page.data).toMatchObject({ staff: true, inviteCode: '', joining: false, joinError: '' });
    expect(keys(page)).toEqual(['scan', 'member', 'schedule', 'qrcodes']);
  });

  test.each([
    ['INVITE_USED', '该邀请码已被使用，请向管理员索取新的邀请码'],
    ['INVITE_EXPIRED', '该邀请码已过期，请向管理员索取新的邀请码'],
    ['INVITE_INVALID', '邀请码无效，请核对后重新输入'],
  ])('a refused invitation (%s) says why and keeps the form', async (code, shown) => {
    wx.answers.push(ok({ staff: null }), refused(code, 'server text'));
    const page = await openLoaded(wx, HUB);
    run(page, 'onInviteCode', { detail: { value: 'K7PM2QXR9T' } });
    await run(page, 'join');
    expect(page.data).toMatchObject({ staff: false, joinError: shown, inviteCode: 'K7PM2QXR9T', joining: false });
  });

  test('a failed "who am I" shows the error state; retry asks again', async () => {
    wx.answers.push(refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, HUB);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    wx.answers.push(ok({ staff: admin }));
    run(page, 'retry');
    await settle();
    expect(actions(wx)).toEqual(['admin.staff.me', 'admin.staff.me']);
    expect(page.data.status).toBe('ready');
  });

  test('English: role and tool names follow the language', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok({ staff: manager }), ok(catalogue));
    const page = await openLoaded(wx, HUB);
    expect(page.data.me).toEqual({ name: '王店长', role: 'Store manager', stores: 'Stores: Shanghai Xintiandi' });
    const titles = page.data.entries.map((e: { title: string }) => e.title);
    expect(titles).toEqual(['Scan', 'Member lookup', 'Dashboard', 'Schedule', 'Store QR codes', 'Insight']);
  });
});
