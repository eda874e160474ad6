import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, memberView, openLoaded, pointsSummary, run, setUp } from './fixtures';
import { pointsHeader } from './fixtures-points';

const POINTS = 'packageMember/pages/points/index';
const summary = (patch: Record<string, unknown> = {}) => ({
  ...pointsSummary(1250, 1200, { total: 50, earliest: '2026-05-31T16:00:00.000Z' }),
  ...patch,
});
const row = (id: string, kind: string, amount: number, balanceAfter: number, reason?: string) => ({
  id,
  kind,
  amount,
  at: '2026-05-01T02:00:00.000Z',
  source: 'order',
  balanceAfter,
  ...(reason ? { reason } : {}),
});
const page0 = {
  items: [row('l3', 'spend', -100, 1250, '兑换优惠券'), row('l2', 'earn', 300, 1350)],
  page: 0,
  pageSize: 20,
  hasMore: true,
};
const page1 = {
  items: [row('l2', 'earn', 300, 1350), row('l1', 'earn', 1050, 1050)],
  page: 1,
  pageSize: 20,
  hasMore: false,
};
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

describe('points page', () => {
  test('S8 S9 shows balance, what expires soon, tier progress and the first history page', async () => {
    wx.answers.push(ok(memberView), ok(summary()), ok(page0));
    const page = await openLoaded(wx, POINTS);
    expect(actions(wx)).toEqual(['member.login', 'points.summary', 'points.history']);
    expect(wx.calls[2]!.data).toEqual({ action: 'history', page: 0 });
    expect(page.data.header).toEqual(pointsHeader);
    expect(page.data.history).toEqual([
      {
        id: 'l3',
        label: '使用',
        amount: '-100',
        plus: false,
        when: '2026-05-01 10:00',
        detail: '兑换优惠券 · 余额 1250',
      },
      { id: 'l2', label: '获得', amount: '+300', plus: true, when: '2026-05-01 10:00', detail: '余额 1350' },
    ]);
    expect(page.data.hasMore).toBe(true);
  });

  test('S8 paging: reaching the bottom loads the next page once, without duplicates, until there is no more', async () => {
    wx.answers.push(ok(memberView), ok(summary()), ok(page0), ok(page1));
    const page = await openLoaded(wx, POINTS);
    const first = run(page, 'onReachBottom');
    run(page, 'onReachBottom'); // while loading: ignored
    await first;
    await new Promise((r) => setTimeout(r, 0));
    expect(wx.calls.filter((c) => c.data.action === 'history').map((c) => c.data.page)).toEqual([0, 1]);
    expect(page.data.history.map((h: { id: string }) => h.id)).toEqual(['l3', 'l2', 'l1']);
    expect(page.data.hasMore).toBe(false);
    await run(page, 'more');
    expect(wx.calls).toHaveLength(4);
  });

  test('top tier and nothing expiring read as such; an empty history is shown as empty inside the page', async () => {
    wx.answers.push(
      ok(memberView),
      ok(
        summary({
          nextTier: null,
          expiringSoon: { total: 0, earliest: null, withinDays: 30 },
          progress: {
            basis: 'points',
            value: 9000,
            missing: 0,
            ratio: 1,
            message: { zh: '已是最高等级', en: 'Top tier' },
          },
        }),
      ),
      ok({ items: [], page: 0, pageSize: 20, hasMore: false }),
    );
    const page = await openLoaded(wx, POINTS);
    expect(page.data).toMatchObject({
      status: 'ready',
      history: [],
      header: { nextTier: '已是最高等级', expiring: '近 30 天内没有即将过期的积分', percent: 100 },
    });
  });

  test('a refused summary shows the error state with its message', async () => {
    wx.answers.push(ok(memberView), refused('CARD_NOT_CLAIMED', '请先领取会员卡'), ok(page0));
    const page = await openLoaded(wx, POINTS);
    expect(page.data).toMatchObject({ status: 'error', message: '请先领取会员卡' });
  });

  test('a failed next page keeps what is shown and says why', async () => {
    wx.answers.push(ok(memberView), ok(summary()), ok(page0), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, POINTS);
    await run(page, 'more');
    expect(page.data).toMatchObject({ moreError: '服务繁忙，请稍后重试', hasMore: true, loadingMore: false });
    expect(page.data.history).toHaveLength(2);
  });

  test('English names the tier and the movement kinds in English', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(ok(memberView), ok(summary()), ok(page0));
    const page = await openLoaded(wx, POINTS);
    expect(page.data.header).toMatchObject({
      tier: 'Silver',
      nextTier: 'Next tier: Gold',
      progress: '750 more points to Gold',
    });
    expect(page.data.history[0].label).toBe('Spent');
  });
});
