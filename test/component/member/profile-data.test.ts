import { i18n, sessions } from '../../support/miniprogram/app-modules';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, memberView, openLoaded, run, setUp, type Harness } from './fixtures';

const PROFILE = 'packageMember/pages/profile/index';
const DATA = 'packageMember/pages/my-data/index';
const profile = (patch: Record<string, unknown> = {}) => ({
  memberId: 'm1',
  state: 'member',
  name: '林小苏',
  birthday: '1995-03-08',
  gender: 'female',
  language: 'zh',
  nickname: '小苏',
  avatarUrl: null,
  phoneMasked: null,
  cardNo: '880000012345',
  consents: {
    privacyVersion: '2026-01',
    privacyAcceptedAt: '2026-05-01T02:00:00.000Z',
    marketingOptIn: true,
    marketingChangedAt: '2026-05-01T17:00:00.000Z',
  },
  ...patch,
});
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

describe('profile and consents', () => {
  test('S2 shows the fields and the consents with version and (Shanghai) date', async () => {
    wx.answers.push(ok(memberView), ok(profile()));
    const page = await openLoaded(wx, PROFILE);
    expect(inputOf(wx, 'member.getProfile')).toEqual({});
    expect(page.data).toMatchObject({
      status: 'ready',
      isMember: true,
      nickname: '小苏',
      phoneBound: false,
      marketingOptIn: true,
    });
    expect(page.data.shown).toEqual({
      name: '林小苏',
      birthday: '1995-03-08',
      gender: '女',
      language: '中文',
      phone: '未填写',
      cardNo: '880000012345',
      privacy: '已同意 2026-01（2026-05-01）',
      marketing: '已同意接收（2026-05-02）',
    });
  });

  test('a visitor sees "not set" for every personal field', async () => {
    wx.answers.push(
      ok(memberView),
      ok(
        profile({
          state: 'visitor',
          name: null,
          birthday: null,
          gender: null,
          nickname: null,
          cardNo: null,
          consents: { privacyVersion: null, privacyAcceptedAt: null, marketingOptIn: false, marketingChangedAt: null },
        }),
      ),
    );
    const page = await openLoaded(wx, PROFILE);
    expect(page.data.isMember).toBe(false);
    expect(page.data.shown).toMatchObject({ name: '未填写', cardNo: '未填写', privacy: '未同意', marketing: '未接收' });
  });

  test('a refused profile read shows its message', async () => {
    wx.answers.push(ok(memberView), refused('MEMBER_NOT_FOUND', '会员不存在'));
    const page = await openLoaded(wx, PROFILE);
    expect(page.data).toMatchObject({ status: 'error', message: '找不到该会员' });
  });

  test('withdrawing marketing asks first, then calls withdrawMarketing and updates the consent line', async () => {
    wx.answers.push(
      ok(memberView),
      ok(profile()),
      ok({ marketingOptIn: false, changedAt: '2026-05-03T00:00:00.000Z' }),
    );
    const page = await openLoaded(wx, PROFILE);
    h.modalAnswers.push(false);
    await run(page, 'withdraw');
    expect(actions(wx)).toEqual(['member.login', 'member.getProfile']);
    await run(page, 'withdraw');
    expect(inputOf(wx, 'member.withdrawMarketing')).toEqual({});
    expect(page.data).toMatchObject({ marketingOptIn: false, shown: { marketing: '未接收' } });
    expect(wx.toasts).toEqual(['已撤回']);
  });

  test('personal picks: turning on calls setTrackingConsent; turning off asks first (it erases what was browsed)', async () => {
    const changed = (optIn: boolean) => ok({ trackingOptIn: optIn, changedAt: '2026-05-03T00:00:00.000Z', erased: 0 });
    wx.answers.push(ok(memberView), ok(profile()), changed(true), changed(false));
    const page = await openLoaded(wx, PROFILE);
    expect(page.data.trackingOptIn).toBe(false);
    await run(page, 'toggleTracking');
    expect(inputOf(wx, 'member.setTrackingConsent')).toEqual({ optIn: true });
    expect(page.data.trackingOptIn).toBe(true);
    h.modalAnswers.push(false);
    await run(page, 'toggleTracking');
    expect(actions(wx).filter((a) => a === 'member.setTrackingConsent')).toHaveLength(1);
    await run(page, 'toggleTracking');
    expect(inputOf(wx, 'member.setTrackingConsent', 1)).toEqual({ optIn: false });
    expect(page.data.trackingOptIn).toBe(false);
  });

  test('email: the address entered goes to setEmail; the page shows it waiting for its confirmation link', async () => {
    wx.answers.push(
      ok(memberView),
      ok(profile()),
      ok({ pending: 'lin@example.com', expiresAt: '2026-05-05T00:00:00.000Z', confirmed: null }),
    );
    const page = await openLoaded(wx, PROFILE);
    await run(page, 'onEmailInput', { detail: { value: ' Lin@Example.com ' } });
    await run(page, 'sendEmail');
    expect(inputOf(wx, 'member.setEmail')).toEqual({ email: 'Lin@Example.com' });
    expect(page.data).toMatchObject({
      emailDraft: '',
      emailPendingLine: '待确认：lin@example.com（请查收邮件并打开链接）',
    });
    expect(wx.toasts).toEqual(['确认邮件已发送']);
  });

  test('nickname and avatar edits go to updateProfile (avatar uploaded first); the phone code goes to bindPhone', async () => {
    wx.answers.push(ok(memberView), ok(profile()), ok({ nickname: '苏苏', avatarUrl: null }));
    const page = await openLoaded(wx, PROFILE);
    await run(page, 'onNickname', { detail: { value: '小苏' } }); // unchanged: not sent
    await run(page, 'onNickname', { detail: { value: ' 苏苏 ' } });
    expect(wx.calls.filter((c) => c.data.action === 'updateProfile').map((c) => c.data)).toEqual([
      { action: 'updateProfile', nickname: '苏苏' },
    ]);
    expect(page.data.nickname).toBe('苏苏');

    wx.answers.push(
      ok({ nickname: '苏苏', avatarUrl: 'cloud://env.bucket/a.png' }),
      ok({ memberId: 'm1', phoneMasked: '139****1111', merged: true }),
    );
    await run(page, 'onChooseAvatar', { detail: { avatarUrl: 'wxfile://tmp/a.png' } });
    expect(page.data.avatarUrl).toBe('cloud://env.bucket/a.png');
    await run(page, 'onPhone', { detail: { code: 'pc' } });
    expect(inputOf(wx, 'member.bindPhone')).toEqual({ code: 'pc' });
    expect(page.data).toMatchObject({ phoneBound: true, shown: { phone: '139****1111' } });
  });

  test('a refused avatar save shows the reason', async () => {
    wx.answers.push(ok(memberView), ok(profile()), refused('INVALID_INPUT', '头像地址无效'));
    const page = await openLoaded(wx, PROFILE);
    await run(page, 'onChooseAvatar', { detail: { avatarUrl: 'wxfile://tmp/a.png' } });
    expect(wx.toasts).toEqual(['填写的内容有误，请检查后重试']);
    expect(page.data.avatarUrl).toBe('');
  });
});

describe('my data', () => {
  const policy = ok({ retentionDays: { events: 730, outbox: 180, audit: 1095 } });
  const exported = {
    exportedAt: '2026-05-01T02:00:00.000Z',
    memberId: 'm1',
    data: {
      profile: { name: '林小苏', birthday: '1995-03-08' },
      pointsLedger: [{ amount: 10 }, { amount: -5 }],
      phone: null,
    },
  };

  test('the privacy policy lists what is kept and for how long, with the brand’s periods', async () => {
    wx.answers.push(ok(memberView), ok({ retentionDays: { events: 90, outbox: 30, audit: 365 } }));
    const page = await openLoaded(wx, DATA);
    expect(inputOf(wx, 'member.privacyPolicy')).toEqual({});
    expect(page.data.kept).toEqual([
      '会员资料（姓名、生日、手机号、昵称、头像、微信标识）：保存至你注销账号，注销时清除',
      '订单、积分与优惠券明细：注销后去除全部个人信息，匿名保留以保证账目正确',
      '活动记录（到店、关注、下单等）：90 天后删除',
      '消息发送记录：30 天后删除',
      '员工操作记录：365 天后去除涉及的人',
    ]);
    // another page switched to English: back here, the policy follows
    i18n().setLang('en');
    run(page, 'onShow');
    expect(page.data.kept[2]).toBe('Activity (visits, follows, orders…): deleted after 90 days');
  });

  test('PIPL export: summary per section, the JSON to read, and copy puts the whole JSON on the clipboard', async () => {
    wx.answers.push(ok(memberView), policy, ok(exported));
    const page = await openLoaded(wx, DATA);
    expect(page.data.status).toBe('ready');
    await run(page, 'exportData');
    expect(inputOf(wx, 'member.exportData')).toEqual({});
    expect(page.data.summary).toEqual([
      { key: 'profile', value: '2 条' },
      { key: 'pointsLedger', value: '2 条' },
      { key: 'phone', value: '—' },
    ]);
    expect(page.data.exportedAt).toBe('导出时间 2026-05-01 10:00');
    expect(JSON.parse(page.data.preview)).toEqual(exported);
    run(page, 'copy');
    expect(JSON.parse(h.clipboard[0]!)).toEqual(exported);
    expect(wx.toasts).toEqual(['已复制']);
  });

  test('a failed export shows a readable error and no result', async () => {
    wx.answers.push(ok(memberView), policy, refused('INTERNAL', '导出失败，请稍后再试'));
    const page = await openLoaded(wx, DATA);
    await run(page, 'exportData');
    expect(page.data).toMatchObject({ error: '服务繁忙，请稍后重试', json: '', exporting: false });
  });

  test('PIPL delete: nothing happens without confirmation; confirmed, deleteAccount {confirm:true} and a fresh launch as visitor', async () => {
    wx.answers.push(ok(memberView), policy, ok({ deleted: true, deletedAt: '2026-05-01T02:00:00.000Z' }));
    const page = await openLoaded(wx, DATA);
    h.modalAnswers.push(false);
    await run(page, 'deleteAccount');
    expect(actions(wx)).toEqual(['member.login', 'member.privacyPolicy']);
    await run(page, 'deleteAccount');
    expect(h.modals[1]).toContain('无法恢复');
    expect(inputOf(wx, 'member.deleteAccount')).toEqual({ confirm: true });
    expect(h.relaunched).toEqual(['/pages/home/index']);
    expect(wx.toasts).toEqual(['账号已注销']);
    wx.answers.push(ok({ ...memberView, state: 'visitor', card: null }));
    await expect(sessions().session()).resolves.toMatchObject({ state: 'visitor' }); // the old session was dropped
    expect(actions(wx)).toEqual(['member.login', 'member.privacyPolicy', 'member.deleteAccount', 'member.login']);
  });

  test('a refused delete keeps the member here with the reason shown', async () => {
    wx.answers.push(ok(memberView), policy, refused('DELETE_NOT_CONFIRMED', '请确认注销'));
    const page = await openLoaded(wx, DATA);
    await run(page, 'deleteAccount');
    expect(page.data.error).toBe('请先确认注销');
    expect(h.relaunched).toEqual([]);
  });

  test('withdraw marketing from my data calls withdrawMarketing after confirmation', async () => {
    wx.answers.push(ok(memberView), policy, ok({ marketingOptIn: false, changedAt: '2026-05-03T00:00:00.000Z' }));
    const page = await openLoaded(wx, DATA);
    await run(page, 'withdraw');
    expect(actions(wx)).toEqual(['member.login', 'member.privacyPolicy', 'member.withdrawMarketing']);
    expect(wx.toasts).toEqual(['已撤回']);
  });

  test('the login failing shows the error state', async () => {
    wx.answers.push(refused('INTERNAL', 'boom'));
    const page = await openLoaded(wx, DATA);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  });
});
