import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { sessions } from '../../support/miniprogram/app-modules';
import {
  actions,
  inputOf,
  memberView,
  openLoaded,
  run,
  settle,
  setUp,
  visitorView,
  type Harness,
} from '../member/fixtures';
import { invalidLanding, LANDING, landing, TOKEN } from './fixtures';

/** What a friend sees when opening a share card or a poster code. */
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

const recorded = { recorded: true, reason: null };

describe('landing page', () => {
  test('S11 share card: shows who invited and the gift, records the invitation after login, and leads to the claim form', async () => {
    wx.answers.push(ok(visitorView), ok(landing()), ok(recorded));
    const page = await openLoaded(wx, LANDING, { ref: encodeURIComponent(TOKEN) });
    expect(actions(wx)).toEqual(['member.login', 'referral.landing', 'referral.open']);
    expect(inputOf(wx, 'referral.landing')).toEqual({ token: TOKEN });
    expect(inputOf(wx, 'referral.open')).toEqual({ token: TOKEN });
    expect(page.data).toMatchObject({
      status: 'ready',
      valid: true,
      cardHolder: false,
      invitedBy: '南* 邀请你加入苏韵',
      gift: '送你一张 20 元券',
      giftDetail: '20 元券 · 满 100 元可用',
      rewardOn: '领取会员卡即可获得，邀请人也会得到一张',
      note: '已收到 南* 的邀请',
    });
    run(page, 'claim');
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('S11 poster code: the scene arrives URL-encoded and is sent as the token', async () => {
    wx.answers.push(ok(visitorView), ok(landing()), ok(recorded));
    await openLoaded(wx, LANDING, { scene: encodeURIComponent('r=abc123xyz') });
    expect(inputOf(wx, 'referral.landing')).toEqual({ token: 'r=abc123xyz' });
    expect(inputOf(wx, 'referral.open')).toEqual({ token: 'r=abc123xyz' });
  });

  test('S11 a tampered or expired token: a friendly page, login worked, the card can still be claimed', async () => {
    wx.answers.push(ok(visitorView), ok(invalidLanding), ok({ recorded: false, reason: 'invalid_token' }));
    const page = await openLoaded(wx, LANDING, { ref: 'm_x.k3f.AAAA' });
    expect(page.data).toMatchObject({ status: 'ready', valid: false, cardHolder: false, note: '', gift: '' });
    expect(page.data.t).toMatchObject({ invalidTitle: '这个邀请已失效', claimPlain: '领取会员卡' });
    await expect(sessions().session()).resolves.toEqual(visitorView);
    run(page, 'claim');
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('opened without any token: the invalid page, and no referral call', async () => {
    wx.answers.push(ok(visitorView));
    const page = await openLoaded(wx, LANDING, {});
    expect(page.data).toMatchObject({ status: 'ready', valid: false });
    expect(actions(wx)).toEqual(['member.login']);
  });

  test('S11 anti-fraud refusals are explained, never shown as errors', async () => {
    wx.answers.push(ok(memberView), ok(landing()), ok({ recorded: false, reason: 'self_referral' }));
    const self = await openLoaded(wx, LANDING, { ref: TOKEN });
    expect(self.data).toMatchObject({
      status: 'ready',
      valid: true,
      cardHolder: true,
      note: '这是你自己分享的邀请，发给好友吧',
    });
    run(self, 'toCoupons');
    expect(h.switched).toEqual(['/pages/coupons/index']);

    sessions().resetSession();
    wx.answers.push(ok(visitorView), ok(landing()), ok({ recorded: false, reason: 'not_new' }));
    const old = await openLoaded(wx, LANDING, { ref: TOKEN });
    expect(old.data.note).toBe('邀请礼遇仅限初次认识苏韵的新朋友，欢迎回来');
    // told why, and not promised the voucher in the same breath
    expect(old.data).toMatchObject({ eligible: false, gift: '' });
  });

  test('a failed open does not block the page, and a refresh records it once', async () => {
    wx.answers.push(ok(visitorView), ok(landing()), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, LANDING, { ref: TOKEN });
    expect(page.data).toMatchObject({ status: 'ready', valid: true, note: '' });
    wx.answers.push(ok(landing()), ok(recorded));
    await run(page, 'onPullDownRefresh');
    await settle();
    expect(page.data.note).toBe('已收到 南* 的邀请');
    expect(wx.pullDownStops).toBe(1);
    wx.answers.push(ok(landing()));
    await run(page, 'onPullDownRefresh');
    expect(actions(wx).filter((a) => a === 'referral.open')).toHaveLength(2); // not again once recorded
    expect(page.data.note).toBe('已收到 南* 的邀请');
  });

  test('a failed landing shows the error state; retry loads it', async () => {
    wx.answers.push(ok(visitorView), refused('INTERNAL', '服务繁忙'), ok(recorded));
    const page = await openLoaded(wx, LANDING, { ref: TOKEN });
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    wx.answers.push(ok(landing()));
    run(page, 'retry');
    await settle();
    expect(page.data).toMatchObject({ status: 'ready', valid: true, note: '已收到 南* 的邀请' });
    expect(actions(wx).filter((a) => a === 'referral.open')).toHaveLength(1);
  });

  test('back from the claim form, the page shows the member view', async () => {
    wx.answers.push(ok(visitorView), ok(landing()), ok(recorded));
    const page = await openLoaded(wx, LANDING, { ref: TOKEN });
    wx.answers.push(ok(memberView));
    await sessions().refreshSession(); // what the claim form does after issuing the card
    run(page, 'onShow');
    await settle();
    expect(page.data).toMatchObject({ cardHolder: true, member: '你已是苏韵会员', valid: true });
  });

  test('English', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok(visitorView), ok(landing()), ok(recorded));
    const page = await openLoaded(wx, LANDING, { ref: TOKEN });
    expect(page.data).toMatchObject({
      invitedBy: '南* invites you to join Taste of Su',
      gift: 'A 20 RMB voucher for you',
      note: 'Invitation from 南* received',
    });
  });
});

describe('me page entry', () => {
  test('S11 "邀请好友" on the me page opens the invite page', async () => {
    wx.answers.push(ok(memberView));
    const me = await openLoaded(wx, 'pages/me/index');
    expect(me.data.text.me.inviteEntry).toBe('邀请好友');
    run(me, 'openInvite');
    expect(wx.navigations).toEqual(['/packageReferral/pages/invite/index']);
  });
});
