import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { memberView, openLoaded, run, settle, setUp, visitorView, type Harness } from './fixtures';

const ME = 'pages/me/index';
const open = (page: string) => ({ currentTarget: { dataset: { page } } });
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
  wx.routes['admin.staff.me'] = ok({ staff: null });
});

describe('me: the staff entrance', () => {
  const staffAnswer = ok({
    staff: {
      staffId: 'staff_advisor_sh',
      name: '李顾问',
      role: 'advisor',
      storeIds: ['store_sh_xintiandi'],
      permissions: ['coupons.redeem'],
    },
  });

  test('S21 staff see it, asked once per launch beside the login; it opens the staff hub', async () => {
    wx.routes['admin.staff.me'] = staffAnswer;
    wx.answers.push(ok(memberView), ok(memberView));
    const me = await openLoaded(wx, ME);
    expect(me.data.staff).toBe(true);
    run(me, 'openStaff');
    expect(wx.navigations).toEqual(['/packageAdmin/pages/index/index']);
    run(me, 'onPullDownRefresh');
    await settle();
    expect(wx.calls.filter((c) => c.data['action'] === 'login')).toHaveLength(2);
    expect(wx.calls.filter((c) => c.data['action'] === 'staff.me')).toHaveLength(1);
  });

  test('S21 members who are not staff do not see it', async () => {
    wx.answers.push(ok(memberView));
    expect((await openLoaded(wx, ME)).data.staff).toBe(false);
  });

  test('a failed staff check hides the entrance without failing the page, and is asked again on refresh', async () => {
    wx.routes['admin.staff.me'] = refused('NETWORK_ERROR', 'down');
    wx.answers.push(ok(memberView), ok(memberView));
    const me = await openLoaded(wx, ME);
    expect(me.data).toMatchObject({ status: 'ready', staff: false });
    wx.routes['admin.staff.me'] = staffAnswer;
    run(me, 'onPullDownRefresh');
    await settle();
    expect(me.data.staff).toBe(true);
  });
});

describe('me: who the person is', () => {
  test("a card holder's tier, points and grouped card number, from the login view", async () => {
    wx.answers.push(ok(memberView));
    const me = await openLoaded(wx, ME);
    expect(me.data).toMatchObject({
      stateText: '银卡会员',
      summary: { tier: '银卡', points: '1200', cardNo: '8800 0001 2345' },
    });
  });

  test('S21 staff without a card are shown by role, not as a visitor', async () => {
    wx.routes['admin.staff.me'] = ok({
      staff: {
        staffId: 'staff_m',
        name: '王店长',
        role: 'store_manager',
        storeIds: ['store_sh_xintiandi'],
        permissions: [],
      },
    });
    wx.answers.push(ok(visitorView));
    const me = await openLoaded(wx, ME);
    expect(me.data).toMatchObject({
      staff: true,
      staffRole: 'store_manager',
      cardHolder: false,
      stateText: '员工 · 店长',
    });
  });

  test('a visitor is a visitor', async () => {
    wx.answers.push(ok(visitorView));
    expect((await openLoaded(wx, ME)).data.stateText).toBe('访客');
  });
});

describe('me: member entrances and profile sync', () => {
  test('a card holder gets points, profile and my-data entrances; each opens its page', async () => {
    wx.answers.push(ok({ ...memberView, profile: { nickname: '小苏', avatarUrl: 'cloud://env.bucket/a.png' } }));
    const me = await openLoaded(wx, ME);
    expect(me.data).toMatchObject({
      status: 'ready',
      cardHolder: true,
      profile: { nickname: '小苏', avatarUrl: 'cloud://env.bucket/a.png' },
    });
    for (const p of ['points', 'profile', 'myData', 'claimCentre', 'mall']) run(me, 'open', open(p));
    run(me, 'open', open('nowhere'));
    expect(wx.navigations).toEqual([
      '/packageMember/pages/points/index',
      '/packageMember/pages/profile/index',
      '/packageMember/pages/my-data/index',
      '/packageMember/pages/claim-centre/index',
      '/packageMember/pages/mall/index',
    ]);
  });

  test('a visitor is offered the claim page', async () => {
    wx.answers.push(ok(visitorView));
    const me = await openLoaded(wx, ME);
    expect(me.data.cardHolder).toBe(false);
    run(me, 'open', open('claim'));
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('S17 anyone is offered the survey page', async () => {
    wx.answers.push(ok(visitorView));
    const me = await openLoaded(wx, ME);
    run(me, 'open', open('survey'));
    expect(wx.navigations).toEqual(['/packageMember/pages/survey/index']);
  });

  test('nickname and avatar fill-ins are saved on the member (avatar uploaded to cloud storage first)', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ nickname: '苏苏', avatarUrl: null }),
      ok({ nickname: '苏苏', avatarUrl: 'cloud://saved' }),
    );
    const me = await openLoaded(wx, ME);
    run(me, 'onNickname', { detail: { value: ' 苏苏 ' } });
    await new Promise((r) => setTimeout(r, 0));
    run(me, 'onChooseAvatar', { detail: { avatarUrl: 'wxfile://tmp/b.png' } });
    expect(me.data.profile.avatarUrl).toBe('wxfile://tmp/b.png'); // shown at once
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    expect(wx.calls.filter((c) => c.data.action === 'updateProfile').map((c) => c.data)).toEqual([
      { action: 'updateProfile', nickname: '苏苏' },
      { action: 'updateProfile', avatarUrl: `cloud://env.bucket/${h.uploads[0]!.cloudPath}` },
    ]);
    expect(me.data.profile).toEqual({ nickname: '苏苏', avatarUrl: 'cloud://saved' });
    expect(wx.storage.get('profile')).toEqual({ nickname: '苏苏', avatarUrl: 'cloud://saved' });
  });

  test('a refused nickname shows the reason', async () => {
    wx.answers.push(ok(memberView), refused('INVALID_INPUT', '昵称包含不支持的字符'));
    const me = await openLoaded(wx, ME);
    run(me, 'onNickname', { detail: { value: '坏名字' } });
    for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
    expect(wx.toasts).toEqual(['填写的内容有误，请检查后重试']);
  });
});
