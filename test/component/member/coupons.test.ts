import { networkDown, ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { openPage } from '../../support/miniprogram/page-harness';
import { actions, coupon, inputOf, memberView, offer, openLoaded, run, settle, setUp, type Harness } from './fixtures';

const WALLET = 'pages/coupons/index';
const CENTRE = 'packageMember/pages/claim-centre/index';
const MALL = 'packageMember/pages/mall/index';
const DETAIL = 'packageMember/pages/coupon/index';
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});
const tab = (name: string) => ({ currentTarget: { dataset: { tab: name } } });
const tapId = (id: string) => ({ currentTarget: { dataset: { id } } });
const requestIdsOf = (action: string) =>
  wx.calls.filter((c) => c.data.action === action).map((c) => c.data.requestId as string);

describe('coupon wallet', () => {
  test('S10 opens on available coupons: benefit, minimum spend and the last valid day (validUntil is exclusive)', async () => {
    wx.answers.push(
      ok(memberView),
      ok({
        items: [
          coupon(),
          coupon({ couponId: 'c2', benefit: { kind: 'amountOff', amountFen: 5000 }, minSpendFen: 30000 }),
        ],
      }),
    );
    const page = await openLoaded(wx, WALLET);
    expect(inputOf(wx, 'coupons.list')).toEqual({ status: 'available' });
    expect(page.data.items).toEqual([
      {
        couponId: 'c1',
        name: '入会礼 9 折券',
        benefit: '9 折',
        minSpend: '无门槛',
        when: '有效期至 2026-06-01',
        status: 'available',
      },
      {
        couponId: 'c2',
        name: '入会礼 9 折券',
        benefit: '减 ¥50',
        minSpend: '满 ¥300 可用',
        when: '有效期至 2026-06-01',
        status: 'available',
      },
    ]);
  });

  test('the used and expired tabs ask for their status and show their own empty text', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ items: [] }),
      ok({ items: [coupon({ status: 'used', usedAt: '2026-05-10T04:00:00.000Z' })] }),
      ok({ items: [] }),
    );
    const page = await openLoaded(wx, WALLET);
    expect(page.data).toMatchObject({ status: 'empty', emptyText: '暂无可用优惠券' });
    run(page, 'switchTab', tab('used'));
    expect(page.data.status).toBe('loading');
    await settle();
    expect(page.data).toMatchObject({
      status: 'ready',
      tab: 'used',
      items: [{ when: '使用于 2026-05-10', status: 'used' }],
    });
    run(page, 'switchTab', tab('expired'));
    await settle();
    expect(page.data).toMatchObject({ status: 'empty', emptyText: '暂无已过期的优惠券' });
    expect(wx.calls.filter((c) => c.data.action === 'list').map((c) => c.data.status)).toEqual([
      'available',
      'used',
      'expired',
    ]);
  });

  test('a refused list shows its message; a coupon opens its detail; entrances open the centre and the mall', async () => {
    wx.answers.push(ok(memberView), refused('INTERNAL', '服务繁忙'), ok(memberView), ok({ items: [coupon()] }));
    const page = await openLoaded(wx, WALLET);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('ready');
    run(page, 'openCoupon', tapId('c1'));
    run(page, 'openCentre');
    run(page, 'openMall');
    expect(wx.navigations).toEqual([
      '/packageMember/pages/coupon/index?id=c1',
      '/packageMember/pages/claim-centre/index',
      '/packageMember/pages/mall/index',
    ]);
  });

  test('English benefit wording', async () => {
    wx.storage.set('lang', 'en');
    wx.answers.push(
      ok(memberView),
      ok({ items: [coupon({ benefit: { kind: 'gift', gift: { zh: '丝巾', en: 'Silk scarf' } } })] }),
    );
    const page = await openLoaded(wx, WALLET);
    expect(page.data.items[0]).toMatchObject({
      name: '10% off welcome',
      benefit: 'Gift: Silk scarf',
      minSpend: 'No minimum spend',
      when: 'Valid until 2026-06-01',
    });
  });
});

describe('claim centre', () => {
  const soldOut = offer({
    templateId: 'tpl_gone',
    remaining: 0,
    claimable: false,
    blocked: { code: 'COUPON_OUT_OF_STOCK', message: '已抢光' },
  });

  test('S10 lists offers with stock and limit; claiming sends templateId and a well-formed requestId, then reloads', async () => {
    wx.answers.push(ok(memberView), ok({ items: [offer(), soldOut] }));
    const page = await openLoaded(wx, CENTRE);
    expect(inputOf(wx, 'coupons.claimCentre')).toEqual({ channel: 'claimCentre' });
    expect(page.data.items[0]).toMatchObject({
      benefit: '减 ¥50',
      minSpend: '满 ¥300 可用',
      validity: '领取后 30 天内有效',
      stock: '剩余 42 张',
      limit: '每人限领 1 张，已领 0 张',
      claimable: true,
    });
    expect(page.data.items[1]).toMatchObject({ claimable: false, blocked: '券已领完' });

    wx.answers.push(
      ok({ coupon: coupon({ templateId: 'tpl_50' }), replayed: false }),
      ok({
        items: [
          offer({
            remaining: 41,
            claimedByMember: 1,
            claimable: false,
            blocked: { code: 'COUPON_LIMIT_REACHED', message: '已达领取上限' },
          }),
        ],
      }),
    );
    await run(page, 'claim', tapId('tpl_50'));
    const [id] = requestIdsOf('claim');
    expect(inputOf(wx, 'coupons.claim')).toEqual({ templateId: 'tpl_50', requestId: id });
    expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(wx.toasts).toEqual(['领取成功']);
    expect(actions(wx).slice(-1)).toEqual(['coupons.claimCentre']);
    expect(page.data.items[0]).toMatchObject({ stock: '剩余 41 张', claimable: false });
  });

  test('a blocked offer explains itself without calling; a refused claim is told by its code', async () => {
    wx.answers.push(ok(memberView), ok({ items: [offer(), soldOut] }));
    const page = await openLoaded(wx, CENTRE);
    await run(page, 'claim', tapId('tpl_gone'));
    expect(wx.toasts).toEqual(['券已领完']);
    wx.answers.push(refused('COUPON_OUT_OF_STOCK', '优惠券已领完'));
    await run(page, 'claim', tapId('tpl_50'));
    expect(wx.toasts).toEqual(['券已领完', '券已领完']);
    expect(page.data.claiming).toBe('');
  });

  test('S10 a retry after a network failure resends the same requestId; after an answer the next claim gets a new one', async () => {
    wx.answers.push(ok(memberView), ok({ items: [offer({ perMemberLimit: 3 })] }));
    const page = await openLoaded(wx, CENTRE);
    wx.answers.push(networkDown(), networkDown(), networkDown());
    const first = run(page, 'claim', tapId('tpl_50')) as Promise<void>;
    await settle(400);
    await first;
    expect(wx.toasts).toEqual(['网络不太好，请稍后重试']);
    wx.answers.push(ok({ coupon: coupon(), replayed: true }), ok({ items: [offer({ perMemberLimit: 3 })] }));
    await run(page, 'claim', tapId('tpl_50'));
    wx.answers.push(
      ok({ coupon: coupon({ couponId: 'c9' }), replayed: false }),
      ok({ items: [offer({ perMemberLimit: 3 })] }),
    );
    await run(page, 'claim', tapId('tpl_50'));
    const ids = requestIdsOf('claim');
    expect(ids).toHaveLength(5); // 3 network attempts, the retry, a new claim
    expect(new Set(ids.slice(0, 4)).size).toBe(1);
    expect(ids[4]).not.toBe(ids[0]);
  });

  test('no offers: the empty state; a refused list: the error state', async () => {
    wx.answers.push(ok(memberView), ok({ items: [] }));
    const page = await openLoaded(wx, CENTRE);
    expect(page.data.status).toBe('empty');
    wx.answers.push(refused('INTERNAL', '服务繁忙'));
    await run(page, 'load');
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  });
});

describe('points mall', () => {
  const mallOffer = (patch: Record<string, unknown> = {}) =>
    offer({ templateId: 'tpl_mall', pointsCost: 500, perMemberLimit: null, remaining: null, ...patch });
  const pointsSummary = {
    memberId: 'm1',
    balance: 1250,
    spendable: 1200,
    expiringSoon: { total: 0, earliest: null, withinDays: 30 },
    tier: { id: 's', name: { zh: '银卡', en: 'Silver' } },
    nextTier: null,
    progress: { basis: 'points', value: 0, missing: 0, ratio: 1, message: { zh: '', en: '' } },
  };

  test('S8 S10 shows priced offers and the spendable balance; exchanging confirms, sends exchange and shows the new balance', async () => {
    wx.answers.push(ok(memberView), ok({ items: [mallOffer()] }), ok(pointsSummary));
    const page = await openLoaded(wx, MALL);
    expect(inputOf(wx, 'coupons.claimCentre')).toEqual({ channel: 'pointsMall' });
    expect(page.data).toMatchObject({
      status: 'ready',
      balanceText: '可用积分 1200',
      items: [{ costText: '500 积分', stock: '', limit: '' }],
    });

    h.modalAnswers.push(false);
    await run(page, 'exchange', tapId('tpl_mall'));
    expect(h.modals).toEqual(['使用 500 积分兑换「满 300 减 50」？']);
    expect(requestIdsOf('exchange')).toEqual([]);

    wx.answers.push(
      ok({ coupon: coupon(), pointsSpent: 500, balance: 700, replayed: false }),
      ok({ items: [mallOffer()] }),
      ok({ ...pointsSummary, spendable: 700 }),
    );
    await run(page, 'exchange', tapId('tpl_mall'));
    expect(inputOf(wx, 'coupons.exchange')).toEqual({
      templateId: 'tpl_mall',
      requestId: expect.stringMatching(/^ex[A-Za-z0-9]{8,}$/),
    });
    expect(wx.toasts).toEqual(['兑换成功']);
    expect(page.data.balanceText).toBe('可用积分 700');
  });

  test('not enough points: the server reason is shown and the balance stays', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ items: [mallOffer()] }),
      ok(pointsSummary),
      refused('POINTS_INSUFFICIENT', '积分不足'),
    );
    const page = await openLoaded(wx, MALL);
    await run(page, 'exchange', tapId('tpl_mall'));
    expect(wx.toasts).toEqual(['积分不足']);
    expect(page.data.balanceText).toBe('可用积分 1200');
  });

  test('nothing priced in points: the empty state; the summary failing: the error state', async () => {
    wx.answers.push(ok(memberView), ok({ items: [offer()] }), ok(pointsSummary));
    const page = await openLoaded(wx, MALL);
    expect(page.data.status).toBe('empty');
    wx.answers.push(ok({ items: [mallOffer()] }), refused('CARD_NOT_CLAIMED', '请先领取会员卡'));
    await run(page, 'load');
    expect(page.data).toMatchObject({ status: 'error', message: '请先领取会员卡' });
  });
});

describe('coupon detail', () => {
  test('S10 shows the coupon with its code as text and as the value to draw as QR and bar code, asking detail for the couponId from the path', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ ...coupon({ storeIds: ['st_a'] }), code: 'CPN7Q2KX9', codeDisplay: 'CPN7 Q2KX 9' }),
    );
    const page = await openLoaded(wx, DETAIL, { id: 'c1' });
    expect(inputOf(wx, 'coupons.detail')).toEqual({ couponId: 'c1' });
    expect(page.data.coupon).toEqual({
      name: '入会礼 9 折券',
      benefit: '9 折',
      minSpend: '无门槛',
      validity: '有效期 2026-05-01 至 2026-06-01',
      stores: '限指定门店使用',
      status: 'available',
      statusText: '可使用',
      codeDisplay: 'CPN7 Q2KX 9',
    });
    expect(page.data.scanValue).toBe('CPN7Q2KX9');
  });

  test('a used coupon shows its status and no code to scan', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ ...coupon({ status: 'used', usedAt: '2026-05-10T04:00:00.000Z' }), code: 'CPN1', codeDisplay: 'CPN1' }),
    );
    const page = await openLoaded(wx, DETAIL, { id: 'c1' });
    expect(page.data).toMatchObject({ coupon: { statusText: '已使用' }, scanValue: '' });
  });

  test("someone else's coupon: the readable refusal; no id: the empty state without a call", async () => {
    wx.answers.push(ok(memberView), refused('COUPON_NOT_OWNED', '这张券不属于你'));
    const page = await openLoaded(wx, DETAIL, { id: 'cX' });
    expect(page.data).toMatchObject({ status: 'error', message: '这不是你的优惠券' });
    const none = openPage(DETAIL);
    run(none, 'onLoad', {});
    await settle();
    expect(none.data.status).toBe('empty');
    expect(actions(wx)).toEqual(['member.login', 'coupons.detail']);
  });
});
