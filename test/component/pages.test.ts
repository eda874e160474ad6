import { appModule } from '../support/miniprogram/built-app';
import { cloud, i18n, resetApp, sessions } from '../support/miniprogram/app-modules';
import { installFakeWx, networkDown, ok, refused, type FakeWx } from '../support/miniprogram/fake-wx';
import { openPage, run, settle, type PageInstance } from '../support/miniprogram/page-harness';

const visitor = {
  memberId: 'm1',
  state: 'visitor',
  firstSeenAt: '2026-05-01T02:00:00.000Z',
  lastSeenAt: '2026-05-01T02:00:00.000Z',
  isNew: true,
};
const member = { ...visitor, state: 'member', isNew: false };
let wx: FakeWx;
beforeEach(() => {
  wx = installFakeWx();
  resetApp();
});

/** Opens a page with the cloud held, checks it shows loading, then lets the login answer. */
async function openAfterLoading(path: string): Promise<PageInstance> {
  wx.hold();
  const page = openPage(path);
  run(page, 'onLoad', {});
  await settle();
  expect(page.data.status).toBe('loading');
  expect(page.data.text.common.loading).toBe('加载中…');
  wx.release();
  await settle();
  return page;
}

describe('app launch', () => {
  test('S1 launch: onLaunch sends one login carrying the launch scene, path and store query', async () => {
    let app: { onLaunch(o: object): void; globalData: object } | undefined;
    (globalThis as { App?: unknown }).App = (def: typeof app) => void (app = def);
    appModule('app');
    wx.answers.push(ok(visitor));
    app!.onLaunch.call(app, { scene: 1047, path: 'pages/home/index', query: { scene: 'store=12' } });
    await expect(sessions().session()).resolves.toEqual(visitor);
    expect(wx.calls).toEqual([
      {
        name: 'member',
        data: {
          action: 'login',
          entryScene: 1047,
          scene: 'store=12',
          path: 'pages/home/index',
          query: { scene: 'store=12' },
        },
      },
    ]);
    expect(cloud().callsMade()).toBe(1);
  });
});

describe('home', () => {
  test('S1 a visitor sees loading, then the "claim your card" call to action with the brand name', async () => {
    wx.answers.push(ok(visitor));
    const home = await openAfterLoading('pages/home/index');
    expect(home.data).toMatchObject({ status: 'ready', cardHolder: false, welcome: '欢迎来到苏韵' });
    expect(home.data.text.home.claimCta).toBe('领取会员卡');
    expect(home.data.theme).toContain('--td-brand-color: #8c2f39');
  });

  test('a member sees the card; fields the login view does not carry yet show a dash', async () => {
    wx.answers.push(ok(member));
    const home = await openAfterLoading('pages/home/index');
    expect(home.data).toMatchObject({
      status: 'ready',
      cardHolder: true,
      card: { tier: '—', points: '—', cardNo: '—' },
    });
  });

  test("card fields come from the login view's card", async () => {
    wx.answers.push(
      ok({
        ...member,
        card: { tier: '金卡', points: 1200, cardNo: '88000001', claimedAt: '2026-05-01T02:00:00.000Z' },
      }),
    );
    const home = await openAfterLoading('pages/home/index');
    expect(home.data.card).toEqual({ tier: '金卡', points: '1200', cardNo: '8800 0001' });
  });

  test("a refused login shows the error state with its message (the half in the reader's language); retry loads again", async () => {
    wx.answers.push(refused('INTERNAL', '服务繁忙 / busy'), ok(visitor));
    const home = await openAfterLoading('pages/home/index');
    expect(home.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    wx.hold();
    run(home, 'retry');
    expect(home.data.status).toBe('loading');
    wx.release();
    await settle();
    expect(home.data.status).toBe('ready');
    expect(wx.calls).toHaveLength(2);
  });

  test('a network outage (after the retries) shows a friendly network message', async () => {
    wx.fallback = networkDown();
    const home = openPage('pages/home/index');
    run(home, 'onLoad', {});
    await settle(400); // back-off 300 ms + 600 ms
    expect(home.data).toMatchObject({ status: 'error', message: '网络不太好，请稍后重试' });
    expect(wx.calls).toHaveLength(3);
  });

  test('pull-to-refresh logs in again, updates the card and stops the spinner', async () => {
    wx.answers.push(ok(visitor), ok(member));
    const home = await openAfterLoading('pages/home/index');
    run(home, 'onPullDownRefresh');
    await settle();
    expect(home.data.cardHolder).toBe(true);
    expect(wx.pullDownStops).toBe(1);
  });

  test('the call to action opens the claim page in the member subpackage', async () => {
    wx.answers.push(ok(visitor));
    const home = await openAfterLoading('pages/home/index');
    run(home, 'claim');
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('English chosen earlier (storage) wins over a Chinese WeChat', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok(visitor));
    const home = openPage('pages/home/index');
    run(home, 'onLoad', {});
    await settle();
    expect(home.data.welcome).toBe('Welcome to Taste of Su');
    expect(home.data.text.home.claimCta).toBe('Claim membership card');
  });

  test("in English a refusal is shown in English by its code, whatever language the server's message is in", async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(refused('INTERNAL', '服务繁忙 / busy, try again'));
    const home = openPage('pages/home/index');
    run(home, 'onLoad', {});
    await settle();
    expect(home.data.message).toBe('The service is busy; please try again later');
    wx.answers.push(refused('INTERNAL', '会员合并链过长'));
    run(home, 'retry');
    await settle();
    expect(home.data.message).toBe('The service is busy; please try again later');
  });
});

describe.each([
  ['pages/coupons/index', '暂无优惠券'],
  ['pages/appointments/index', '暂无预约'],
])('%s', (path, emptyText) => {
  test('shows loading, then its empty state', async () => {
    wx.answers.push(ok(visitor), ok({ items: [] })); // the wallet lists coupons after login; bookings ignore the extra answer
    const page = await openAfterLoading(path);
    expect(page.data.status).toBe('empty');
    expect(Object.values(page.data.text).map((s) => (s as { empty?: string }).empty)).toContain(emptyText);
  });

  test('shows the error state when login fails, and recovers on retry', async () => {
    wx.answers.push(refused('INTERNAL', 'boom'), ok(visitor), ok({ items: [] }));
    const page = await openAfterLoading(path);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('empty');
  });
});

describe('me', () => {
  test('the staff entrance is hidden for a person who is not staff', async () => {
    wx.answers.push(ok(member));
    const me = await openAfterLoading('pages/me/index');
    expect(me.data).toMatchObject({ status: 'ready', staff: false, memberState: 'member' });
  });

  test('switching to English changes the text here, on the tab bar, and on pages shown later', async () => {
    wx.answers.push(ok(visitor));
    const coupons = await openAfterLoading('pages/coupons/index');
    const me = openPage('pages/me/index');
    run(me, 'onLoad', {});
    await settle();
    expect(me.data.text.me.language).toBe('语言');

    run(me, 'switchLang', { currentTarget: { dataset: { lang: 'en' } } });
    expect(me.data.text.me.language).toBe('Language');
    expect(me.data.lang).toBe('en');
    expect(wx.storage.get('lang')).toBe('en');
    expect(wx.tabBarTexts).toEqual(['Home', 'Coupons', 'Bookings', 'Me']);

    expect(coupons.data.text.coupons.empty).toBe('暂无优惠券');
    run(coupons, 'onShow');
    expect(coupons.data.text.coupons.empty).toBe('No coupons yet');

    run(me, 'switchLang', { currentTarget: { dataset: { lang: 'zh' } } });
    expect(me.data.text.me.language).toBe('语言');
    expect(wx.tabBarTexts).toEqual(['首页', '优惠券', '预约', '我的']);
  });

  test('avatar and nickname fill-in are kept on the device, the nickname trimmed', async () => {
    wx.answers.push(ok(visitor));
    const me = await openAfterLoading('pages/me/index');
    run(me, 'onChooseAvatar', { detail: { avatarUrl: 'wxfile://tmp/a.png' } });
    run(me, 'onNickname', { detail: { value: '  小苏  ' } });
    expect(me.data.profile).toEqual({ avatarUrl: 'wxfile://tmp/a.png', nickname: '小苏' });
    expect(wx.storage.get('profile')).toEqual({ avatarUrl: 'wxfile://tmp/a.png', nickname: '小苏' });

    const again = openPage('pages/me/index');
    run(again, 'onLoad', {});
    expect(again.data.profile.nickname).toBe('小苏');
  });
});

describe('i18n', () => {
  test('language follows WeChat when nothing is saved; unknown languages fall back to Chinese', () => {
    wx.systemLanguage = 'en_US';
    expect(i18n().getLang()).toBe('en');
    i18n().resetLang();
    wx.systemLanguage = 'ja';
    expect(i18n().getLang()).toBe('zh');
  });

  test('t fills parameters and both dictionaries have the same keys', () => {
    expect(i18n().t('home.welcome', { brand: '苏韵' }, 'zh')).toBe('欢迎来到苏韵');
    expect(i18n().t('home.welcome', { brand: 'Taste of Su' }, 'en')).toBe('Welcome to Taste of Su');
    const keys = (lang: 'zh' | 'en') =>
      Object.entries(i18n().dict(lang))
        .flatMap(([s, d]) => Object.keys(d).map((k) => `${s}.${k}`))
        .sort();
    expect(keys('en')).toEqual(keys('zh'));
    for (const key of keys('en')) expect(i18n().t(key, {}, 'en')).not.toBe(key);
  });
});
