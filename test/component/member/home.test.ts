import { sessions, tracker } from '../../support/miniprogram/app-modules';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, coupon, memberView, openLoaded, pointsSummary, run, settle, setUp, visitorView } from './fixtures';
import { appointmentView } from '../appointments/fixtures';

const HOME = 'pages/home/index';
let wx: FakeWx;
const summary = pointsSummary(1200, 1200, { total: 300, earliest: '2026-05-05T16:00:00.000Z' });
const soonCoupon = {
  ...coupon({ couponId: 'c9', validUntil: '2026-05-04T16:00:00.000Z' }),
  name: { zh: '生日券', en: 'Birthday' },
};
const booking = appointmentView('2026-05-03 14:00', {
  appointmentId: 'ap_1',
  storeName: { zh: '上海新天地店', en: 'Xintiandi' },
  serviceId: 's1',
  serviceName: { zh: '旗袍量身', en: 'Qipao fitting' },
  status: 'confirmed',
});
const pick = {
  productId: 'QP-2',
  name: '真丝旗袍',
  category: 'qipao',
  priceFen: 128_000,
  imageUrl: 'https://img.example.com/qp2.jpg',
};
beforeEach(() => {
  ({ wx } = setUp());
  // the parts around the card, read once it is shown
  wx.routes['points.summary'] = ok(summary);
  wx.routes['coupons.list'] = ok({ items: [soonCoupon] });
  wx.routes['appointments.mine'] = ok({ items: [booking] });
  wx.routes['appointments.catalogue'] = ok({
    services: [],
    stores: [{ storeId: 'store_sh', name: { zh: '上海新天地店', en: 'Xintiandi' }, city: '上海' }],
    reminderTemplateId: null,
  });
  wx.routes['member.recommendations'] = ok({ interests: [{ category: 'qipao', score: 5 }], products: [pick] });
});

describe('home member card', () => {
  test('S2 a card holder sees tier, points and the grouped card number from the login view, in one call', async () => {
    wx.answers.push(ok(memberView));
    const home = await openLoaded(wx, HOME);
    expect(home.data).toMatchObject({
      status: 'ready',
      cardHolder: true,
      card: { tier: '银卡', points: '1200', cardNo: '8800 0001 2345' },
      codeStatus: 'hidden',
    });
    expect(actions(wx)[0]).toBe('member.login'); // the card needs the login alone
  });

  test('around the card: tier progress, what expires within a week (soonest first), the next booking, the store', async () => {
    jest.useFakeTimers({
      now: new Date('2026-05-01T02:00:00.000Z'),
      doNotFake: ['setTimeout', 'setImmediate', 'nextTick', 'queueMicrotask'],
    });
    try {
      wx.answers.push(
        ok({
          ...memberView,
          attribution: {
            first: null,
            last: { storeId: 'store_sh', advisorId: null, campaign: null, via: 'code', at: '2026-04-01T02:00:00.000Z' },
          },
        }),
      );
      const home = await openLoaded(wx, HOME);
      await settle();
      expect(actions(wx).slice(1).sort()).toEqual([
        'appointments.catalogue',
        'appointments.mine',
        'coupons.list',
        'member.recommendations',
        'points.summary',
      ]);
      expect(home.data.extras).toEqual({
        loaded: true,
        store: '您的门店：上海新天地店',
        progress: { tier: '银卡', next: '下一等级：金卡', percent: 60, message: '再得 800 积分升级金卡' },
        progressError: false,
        expiring: ['生日券 将于 2026-05-04 到期', '300 积分将于 2026-05-06 过期'],
        expiringError: false,
        nextBooking: { id: 'ap_1', title: '旗袍量身 · 上海新天地店', when: '2026-05-03 14:00' },
        bookingError: false,
        recommended: [{ id: 'QP-2', name: '真丝旗袍', price: '¥1280', image: 'https://img.example.com/qp2.jpg' }],
        recommendedError: false,
      });
      expect(home.data.banners.map((b: { id: string }) => b.id)).toEqual(['spring', 'fitting']);
    } finally {
      jest.useRealTimers();
    }
  });

  test('a part that fails to load says so in its place; the card stays', async () => {
    wx.routes['points.summary'] = refused('INTERNAL', '服务繁忙');
    wx.answers.push(ok(memberView));
    const home = await openLoaded(wx, HOME);
    await settle();
    expect(home.data).toMatchObject({
      status: 'ready',
      cardHolder: true,
      extras: { progress: null, progressError: true, expiringError: true, bookingError: false },
    });
  });

  test("a visitor sees what joining gives, from the brand's configuration, and no member parts are read", async () => {
    wx.answers.push(ok(visitorView));
    const home = await openLoaded(wx, HOME);
    await settle();
    expect(home.data.benefits).toHaveLength(3);
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
    expect(home.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    run(home, 'retry');
    await settle();
    expect(home.data.status).toBe('ready');
  });

  test('S2 showing the member code fetches it, shows its number form grouped and refreshes it every refreshInSeconds until hidden', async () => {
    const first = {
      code: 'M1.880000012345.abc.sigsigsigsig',
      shortCode: '88000001234512345678',
      expiresAt: '2026-05-01T02:01:00.000Z',
      refreshInSeconds: 1,
    };
    wx.answers.push(
      ok(memberView),
      ok(first),
      ok({ ...first, code: 'MC2BBBB', expiresAt: '2026-05-01T02:02:00.000Z' }),
    );
    const home = await openLoaded(wx, HOME);
    run(home, 'toggleCode');
    expect(home.data.codeStatus).toBe('loading');
    await settle();
    expect(home.data).toMatchObject({
      codeStatus: 'ready',
      code: first.code,
      shortCode: first.shortCode,
      codeText: '8800 0001 2345 1234 5678',
      codeHint: '请向店员出示，1 秒后自动刷新',
    });

    await settle(250); // > 1 s
    expect(home.data.code).toBe('MC2BBBB');
    const codeCalls = wx.calls.filter((c) => c.data.action === 'memberCode');
    expect(codeCalls.map((c) => c.data)).toEqual([{ action: 'memberCode' }, { action: 'memberCode' }]);

    run(home, 'toggleCode');
    expect(home.data).toMatchObject({ codeStatus: 'hidden', code: '' });
    await settle(250);
    expect(wx.calls.filter((c) => c.data.action === 'memberCode')).toHaveLength(2); // no refresh once hidden
  });

  test('a refused member code shows the readable reason and can be retried', async () => {
    wx.answers.push(
      ok(memberView),
      refused('CARD_NOT_CLAIMED', '请先领取会员卡'),
      ok({
        code: 'MC3',
        shortCode: '88000001234512345678',
        expiresAt: '2026-05-01T02:01:00.000Z',
        refreshInSeconds: 60,
      }),
    );
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
    // the second login is the claim page's refresh: home reads the session, then the parts around the new card
    expect(actions(wx).filter((a) => a === 'member.login')).toEqual(['member.login', 'member.login']);
    expect(actions(wx).slice(2).sort()).toEqual([
      'appointments.mine',
      'coupons.list',
      'member.recommendations',
      'points.summary',
    ]);
  });
});

describe('home: recommended for you and behaviour tracking', () => {
  test('without tracking consent nothing is sent; the recommended product still opens', async () => {
    wx.answers.push(ok(memberView));
    const home = await openLoaded(wx, HOME);
    await settle();
    await run(home, 'openProduct', { currentTarget: { dataset: { id: 'QP-2' } } });
    await tracker().flush();
    expect(actions(wx)).not.toContain('member.track');
    expect(wx.navigations).toContain('preview:https://img.example.com/qp2.jpg');
  });

  test('with consent: the home page view and a product opened go out in one batch when the app hides', async () => {
    wx.answers.push(ok({ ...memberView, trackingOptIn: true }));
    const home = await openLoaded(wx, HOME);
    await settle();
    run(home, 'onShow');
    await run(home, 'openProduct', { currentTarget: { dataset: { id: 'QP-2' } } });
    await tracker().flush();
    const sent = wx.calls.filter((c) => c.data['action'] === 'track');
    expect(sent).toHaveLength(1);
    const kinds = (sent[0]!.data['events'] as { kind: string; productId?: string }[]).map((e) => e.productId ?? e.kind);
    expect(kinds).toEqual(['page_view', 'QP-2']);
  });
});
