import { sessions } from '../../support/miniprogram/app-modules';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, memberView, openLoaded, run, settle, setUp, visitorView } from './fixtures';

const HOME = 'pages/home/index';
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

describe('home member card', () => {
  test('S2 a card holder sees tier, points and the grouped card number from the login view, in one call', async () => {
    wx.answers.push(ok(memberView));
    const home = await openLoaded(wx, HOME);
    expect(home.data).toMatchObject({ status: 'ready', cardHolder: true, card: { tier: '银卡', points: '1200', cardNo: '8800 0001 2345' }, codeStatus: 'hidden' });
    expect(actions(wx)).toEqual(['member.login']);
  });

  test('a visitor gets the claim call to action, which opens the claim page in the member package', async () => {
    wx.answers.push(ok(visitorView));
    const home = await openLoaded(wx, HOME);
    expect(home.data.cardHolder).toBe(false);
    run(home, 'claim');
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('the points row opens the points page', async () => {
    wx.answers.push(ok(memberView));
    const home = await openLoaded(wx, HOME);
    run(home, 'openPoints');
    expect(wx.navigations).toEqual(['/packageMember/pages/points/index']);
  });

  test('a refused login shows its message; retry recovers', async () => {
    wx.answers.push(refused('INTERNAL', '服务繁忙'), ok(memberView));
    const home = await openLoaded(wx, HOME);
    expect(home.data).toMatchObject({ status: 'error', message: '服务繁忙' });
    run(home, 'retry');
    await settle();
    expect(home.data.status).toBe('ready');
  });

  test('S2 showing the member code fetches it, shows its number form grouped and refreshes it every refreshInSeconds until hidden', async () => {
    const first = { code: 'M1.880000012345.abc.sigsigsigsig', shortCode: '88000001234512345678', expiresAt: '2026-05-01T02:01:00.000Z', refreshInSeconds: 1 };
    wx.answers.push(ok(memberView), ok(first), ok({ ...first, code: 'MC2BBBB', expiresAt: '2026-05-01T02:02:00.000Z' }));
    const home = await openLoaded(wx, HOME);
    run(home, 'toggleCode');
    expect(home.data.codeStatus).toBe('loading');
    await settle();
    expect(home.data).toMatchObject({ codeStatus: 'ready', code: first.code, shortCode: first.shortCode, codeText: '8800 0001 2345 1234 5678', codeHint: '请向店员出示，1 秒后自动刷新' });

    await settle(250); // > 1 s
    expect(home.data.code).toBe('MC2BBBB');
    expect(actions(wx)).toEqual(['member.login', 'member.memberCode', 'member.memberCode']);
    expect(wx.calls[1]!.data).toEqual({ action: 'memberCode' });

    run(home, 'toggleCode');
    expect(home.data).toMatchObject({ codeStatus: 'hidden', code: '' });
    await settle(250);
    expect(wx.calls.filter((c) => c.data.action === 'memberCode')).toHaveLength(2); // no refresh once hidden
  });

  test('a refused member code shows the readable reason and can be retried', async () => {
    wx.answers.push(ok(memberView), refused('CARD_NOT_CLAIMED', '请先领取会员卡'), ok({ code: 'MC3', shortCode: '88000001234512345678', expiresAt: '2026-05-01T02:01:00.000Z', refreshInSeconds: 60 }));
    const home = await openLoaded(wx, HOME);
    run(home, 'toggleCode');
    await settle();
    expect(home.data).toMatchObject({ codeStatus: 'error', codeHint: '请先领取会员卡' });
    run(home, 'loadCode');
    await settle();
    expect(home.data).toMatchObject({ codeStatus: 'ready', code: 'MC3' });
    run(home, 'onUnload'); // clears the 60 s timer
  });

  test('back from claiming, onShow shows the new card without another call', async () => {
    wx.answers.push(ok(visitorView), ok(memberView));
    const home = await openLoaded(wx, HOME);
    await sessions().refreshSession(); // what the claim page does after claimCard
    run(home, 'onShow');
    expect(home.data).toMatchObject({ cardHolder: true, card: { tier: '银卡' } });
    expect(actions(wx)).toEqual(['member.login', 'member.login']);
  });
});
