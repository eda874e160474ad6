import { tracker } from '../../support/miniprogram/app-modules';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, inputOf, memberView, openLoaded, run, settle, setUp, visitorView } from '../member/fixtures';
import { friend, INVITE, LANDING_ROUTE, landing, mine, share, TOKEN } from './fixtures';

/** The referrer's invite page: offer, share card, poster, friends with status and rewards. */
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

const ready = (
  friends: unknown[],
  rewards?: { earned: number; pending: number; cancelled: number },
  landingPatch = {},
) => wx.answers.push(ok(memberView), ok(share()), ok(mine(friends, rewards)), ok(landing(landingPatch)));

describe('invite page', () => {
  test('S11 shows what each side gets, then the friends with their status and reward', async () => {
    ready(
      [
        friend(1, { name: '丽*', status: 'joined', reward: 'granted' }),
        friend(2, { name: '微信好友', status: 'opened', reward: 'none' }),
        friend(3, { name: '安*', status: 'purchased', reward: 'held', rewardReleaseAt: '2026-05-15T16:00:00.000Z' }),
      ],
      { earned: 1, pending: 2, cancelled: 0 },
    );
    const page = await openLoaded(wx, INVITE);
    expect(actions(wx)).toEqual(['member.login', 'referral.shareToken', 'referral.mine', 'referral.landing']);
    expect(inputOf(wx, 'referral.shareToken')).toEqual({}); // no poster (a WeChat API call) until asked for
    expect(inputOf(wx, 'referral.landing')).toEqual({ token: TOKEN });
    expect(page.data).toMatchObject({
      status: 'ready',
      needCard: false,
      youGet: '你得：20 元券 · 满 100 元可用',
      friendGets: '好友得：20 元券 · 满 100 元可用',
      rewardOn: '好友领取会员卡后，双方各得一张',
      expires: '本次邀请有效期至 2026-05-31',
      summary: '已获得 1 张 · 待发放 2 张',
      hasMore: false,
    });
    expect(page.data.rows.map((r: Record<string, string>) => [r.name, r.statusText, r.rewardText, r.when])).toEqual([
      ['丽*', '已入会', '奖励已到账', '2026-05-01 打开邀请'],
      ['微信好友', '已打开', '待好友入会', '2026-05-01 打开邀请'],
      ['安*', '已下单', '待发放（2026-05-16 后）', '2026-05-01 打开邀请'],
    ]);
  });

  test('S11 share card: the payload opens the landing page with the signed token', async () => {
    ready([]);
    const page = await openLoaded(wx, INVITE);
    const payload = run(page, 'onShareAppMessage', { from: 'button' }) as { title: string; path: string };
    const [route, query] = payload.path.split('?');
    expect(route).toBe(LANDING_ROUTE);
    expect(new URLSearchParams(query).get('ref')).toBe(TOKEN);
    expect(payload.title).toBe('送你一张 20 元券，来苏韵领取会员卡');
  });

  test('share card with tracking consent: the share goes out as a behaviour event of the invite page', async () => {
    wx.answers.push(ok({ ...memberView, trackingOptIn: true }), ok(share()), ok(mine([])), ok(landing()));
    const page = await openLoaded(wx, INVITE);
    run(page, 'onShareAppMessage', { from: 'menu' });
    await tracker().flush();
    const sent = wx.calls.filter((c) => c.data['action'] === 'track');
    expect(sent.map((c) => c.data['events'])).toEqual([
      [expect.objectContaining({ kind: 'share', page: 'packageReferral/pages/invite/index' })],
    ]);
  });

  test('share card without tracking consent: nothing is tracked', async () => {
    ready([]);
    const page = await openLoaded(wx, INVITE);
    run(page, 'onShareAppMessage', { from: 'button' });
    await tracker().flush();
    expect(actions(wx)).not.toContain('member.track');
  });

  test('no friends yet: the offer and share stay, the list says so', async () => {
    ready([]);
    const page = await openLoaded(wx, INVITE);
    expect(page.data).toMatchObject({
      status: 'ready',
      rows: [],
      hasMore: false,
      summary: '已获得 0 张 · 待发放 0 张',
    });
    expect(page.data.t.empty).toBe('还没有邀请好友');
  });

  test('S11 paging: the next 20 friends come from the server as the list reaches the bottom, once each, until there are no more', async () => {
    const friends = Array.from({ length: 45 }, (_, i) => friend(i + 1));
    const rewards = { earned: 2, pending: 43, cancelled: 0 };
    wx.answers.push(ok(memberView), ok(share()), ok(mine(friends.slice(0, 20), rewards, 0, true, 45)), ok(landing()));
    const page = await openLoaded(wx, INVITE);
    expect(page.data.rows).toHaveLength(20);
    expect(page.data.hasMore).toBe(true);

    wx.answers.push(
      ok(mine(friends.slice(20, 40), rewards, 1, true, 45)),
      ok(mine(friends.slice(40), rewards, 2, false, 45)),
    );
    const first = run(page, 'onReachBottom');
    run(page, 'more'); // while the first is loading: ignored
    await first;
    await settle();
    expect(page.data.rows).toHaveLength(40);
    await run(page, 'more');
    expect(page.data.rows.map((r: { name: string }) => r.name)).toEqual(friends.map((f) => f.name));
    expect(page.data.hasMore).toBe(false);
    await run(page, 'more');
    expect(wx.calls.filter((c) => c.data.action === 'mine').map((c) => c.data.page)).toEqual([0, 1, 2]);
  });

  test('paging: a failed next page says so and keeps the friends already shown; trying again loads it', async () => {
    const friends = Array.from({ length: 25 }, (_, i) => friend(i + 1));
    wx.answers.push(ok(memberView), ok(share()), ok(mine(friends.slice(0, 20), undefined, 0, true, 25)), ok(landing()));
    const page = await openLoaded(wx, INVITE);
    wx.answers.push(refused('NETWORK_ERROR', '网络不太好'));
    await run(page, 'more');
    expect(page.data.rows).toHaveLength(20);
    expect(page.data.moreError).not.toBe('');
    wx.answers.push(ok(mine(friends.slice(20), undefined, 1, false, 25)));
    await run(page, 'more');
    expect(page.data).toMatchObject({ moreError: '', hasMore: false });
    expect(page.data.rows).toHaveLength(25);
  });

  test('rewards on the first paid order and cancelled rewards read as such', async () => {
    ready(
      [friend(1, { status: 'followed' }), friend(2, { status: 'purchased', reward: 'cancelled' })],
      { earned: 0, pending: 1, cancelled: 1 },
      { rewardOn: 'first_paid_order' },
    );
    const page = await openLoaded(wx, INVITE);
    expect(page.data.rewardOn).toBe('好友首次消费后，双方各得一张');
    expect(page.data.summary).toBe('已获得 0 张 · 待发放 1 张 · 已取消 1 张');
    expect(page.data.rows.map((r: Record<string, string>) => [r.statusText, r.rewardText])).toEqual([
      ['已关注', '待好友首单'],
      ['已下单', '奖励已取消'],
    ]);
  });

  test('a visitor without a card is asked to claim it first and no referral call is made', async () => {
    wx.answers.push(ok(visitorView));
    const page = await openLoaded(wx, INVITE);
    expect(page.data).toMatchObject({ status: 'ready', needCard: true });
    expect(actions(wx)).toEqual(['member.login']);
    run(page, 'claim');
    expect(wx.navigations).toEqual(['/packageMember/pages/claim/index']);
  });

  test('a refused call shows the error state; retry loads the page', async () => {
    wx.answers.push(ok(memberView), refused('REFERRAL_NOT_MEMBER', '领取会员卡后即可邀请好友'), ok(mine([])));
    const page = await openLoaded(wx, INVITE);
    expect(page.data).toMatchObject({ status: 'error', message: '领取会员卡后才能邀请好友' });
    wx.answers.push(ok(share()), ok(mine([friend(1)])), ok(landing()));
    run(page, 'retry');
    expect(page.data.status).toBe('loading');
    await settle();
    expect(page.data).toMatchObject({ status: 'ready', token: TOKEN });
    expect(page.data.rows).toHaveLength(1);
  });

  test('poster: asks for the Mini Program code once, shows it and saves it from a file', async () => {
    ready([]);
    const page = await openLoaded(wx, INVITE);
    const written: { filePath: string; encoding: string }[] = [];
    const saved: string[] = [];
    Object.assign(wx.api, {
      env: { USER_DATA_PATH: 'wxfile://usr' },
      getFileSystemManager: () => ({
        writeFile: (o: { filePath: string; encoding: string; success: () => void }) => (written.push(o), o.success()),
      }),
      saveImageToPhotosAlbum: (o: { filePath: string; success: () => void }) => (saved.push(o.filePath), o.success()),
    });
    wx.answers.push(ok(share({ poster: { contentType: 'image/png', imageBase64: 'iVBORw0KGgo=' } })));
    await run(page, 'makePoster');
    expect(inputOf(wx, 'referral.shareToken')).toEqual({}); // the page load's call…
    expect(wx.calls[4]!.data).toEqual({ action: 'shareToken', poster: true }); // …and the poster's
    expect(page.data).toMatchObject({
      posterStatus: 'ready',
      posterSrc: 'wxfile://usr/referral-poster.png',
      posterInvite: '苏韵会员邀请',
      posterGift: '新朋友入会送 20 元券',
    });
    expect(written).toMatchObject([{ filePath: 'wxfile://usr/referral-poster.png', encoding: 'base64' }]);
    run(page, 'savePoster');
    expect(saved).toEqual(['wxfile://usr/referral-poster.png']);
    expect(wx.toasts).toEqual(['海报已保存到相册']);
  });

  test('poster: without a file system the code shows as a data URL; a WeChat failure is said on the page', async () => {
    ready([]);
    const page = await openLoaded(wx, INVITE);
    wx.answers.push(refused('WECHAT_API_FAILED', '生成小程序码失败'));
    await run(page, 'makePoster');
    expect(page.data).toMatchObject({
      posterStatus: 'error',
      posterError: '海报生成失败：微信服务暂时不可用，请稍后重试',
    });
    wx.answers.push(ok(share({ poster: { contentType: 'image/png', imageBase64: 'iVBORw0KGgo=' } })));
    await run(page, 'makePoster');
    expect(page.data).toMatchObject({
      posterStatus: 'ready',
      posterError: '',
      posterSrc: 'data:image/png;base64,iVBORw0KGgo=',
    });
  });

  test('English: the offer and the rows follow the language', async () => {
    wx.storage.set('lang', 'en');
    ready([friend(1, { status: 'joined', reward: 'granted' })], { earned: 1, pending: 0, cancelled: 0 });
    const page = await openLoaded(wx, INVITE);
    expect(page.data).toMatchObject({
      youGet: 'You get: 20 RMB voucher · on spend of 100 RMB',
      summary: '1 earned · 0 pending',
    });
    expect(page.data.rows[0]).toMatchObject({ statusText: 'Joined', rewardText: 'Reward received' });
    const payload = run(page, 'onShareAppMessage', {}) as { title: string };
    expect(payload.title).toBe('A 20 RMB voucher for you: claim your Taste of Su membership card');
  });
});
