import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { openPage } from '../../support/miniprogram/page-harness';
import { actions, inputOf, memberView, openLoaded, run, settle, setUp } from './fixtures';

const LIST = 'packageMember/pages/orders/index';
const DETAIL = 'packageMember/pages/order/index';
let wx: FakeWx;
beforeEach(() => {
  ({ wx } = setUp());
});

const order = (patch: Record<string, unknown> = {}) => ({
  orderId: 'pos:P-1',
  source: 'pos',
  orderNo: 'P-1',
  status: 'paid',
  totalFen: 20_000,
  paidFen: 20_000,
  refundedFen: 0,
  createdAt: '2026-05-01T02:00:00.000Z',
  paidAt: '2026-05-01T02:01:00.000Z',
  items: [
    { sku: 'QP-01', name: '真丝旗袍', category: 'dress', qty: 1, priceFen: 18_000 },
    { sku: 'SC-02', category: 'scarf', qty: 2, priceFen: 1_000 },
  ],
  refunds: [],
  points: { earned: 200, reversed: 0 },
  ...patch,
});
const refundedOrder = order({
  orderId: 'shop:W-7',
  source: 'shop',
  orderNo: 'W-7',
  status: 'partially_refunded',
  refundedFen: 5_000,
  refunds: [{ refundNo: 'R-1', amountFen: 5_000, at: '2026-05-03T04:00:00.000Z' }],
  points: { earned: 200, reversed: -50 },
});

describe('my orders', () => {
  test("S5 lists the member's orders from every channel with status, amount and points; a row opens its detail", async () => {
    wx.answers.push(ok(memberView), ok({ items: [refundedOrder, order()], page: 1, hasMore: false }));
    const page = await openLoaded(wx, LIST);
    expect(inputOf(wx, 'orders.mine')).toEqual({ page: 1 });
    expect(page.data.status).toBe('ready');
    expect(page.data.orders).toEqual([
      {
        orderId: 'shop:W-7',
        title: '官方商城 · 真丝旗袍',
        status: '部分退款',
        refundedStatus: true,
        when: '2026-05-01 10:00',
        summary: '共 3 件',
        paid: '¥200.00',
        points: '+150',
      },
      {
        orderId: 'pos:P-1',
        title: '门店 · 真丝旗袍',
        status: '已支付',
        refundedStatus: false,
        when: '2026-05-01 10:00',
        summary: '共 3 件',
        paid: '¥200.00',
        points: '+200',
      },
    ]);
    run(page, 'open', { currentTarget: { dataset: { id: 'shop:W-7' } } });
    expect(wx.navigations).toEqual(['/packageMember/pages/order/index?id=shop%3AW-7']);
  });

  test('the next page is asked for at the bottom; no orders is the empty state; a refusal the error state', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ items: [order()], page: 1, hasMore: true }),
      ok({ items: [order({ orderId: 'pos:P-0', orderNo: 'P-0' })], page: 2, hasMore: false }),
    );
    const page = await openLoaded(wx, LIST);
    run(page, 'onReachBottom');
    await settle();
    expect(page.data.orders.map((o: { orderId: string }) => o.orderId)).toEqual(['pos:P-1', 'pos:P-0']);
    expect(page.data.hasMore).toBe(false);

    wx.answers.push(ok({ items: [], page: 1, hasMore: false }));
    await run(page, 'load');
    expect(page.data.status).toBe('empty');
    wx.answers.push(refused('MEMBER_NOT_FOUND', '请先登录'));
    await run(page, 'load');
    expect(page.data).toMatchObject({ status: 'error', message: '找不到该会员' });
  });
});

describe('order detail', () => {
  test('S5 opened from the list: items, amounts, refunds and the points earned and taken back, without another call', async () => {
    wx.answers.push(ok(memberView), ok({ items: [refundedOrder], page: 1, hasMore: false }));
    await openLoaded(wx, LIST);
    const detail = openPage(DETAIL);
    run(detail, 'onLoad', { id: 'shop%3AW-7' });
    await settle();
    expect(actions(wx).filter((a) => a === 'orders.mine')).toHaveLength(1);
    expect(detail.data.order).toMatchObject({
      status: '部分退款',
      orderNo: '订单号 W-7',
      total: '¥200.00',
      paid: '¥200.00',
      refunded: '-¥50.00',
      earned: '+200',
      reversed: '-50',
      hasPoints: true,
      items: [
        { key: '0', name: '真丝旗袍', line: '×1 · ¥180.00' },
        { key: '1', name: 'SC-02', line: '×2 · ¥10.00' },
      ],
      refunds: [{ key: 'R-1', name: '退款单 R-1', amount: '-¥50.00', when: '2026-05-03 12:00' }],
    });
  });

  test('opened on its own it reads the pages until it finds the order; an unknown order is the empty state', async () => {
    wx.answers.push(
      ok(memberView),
      ok({ items: [order()], page: 1, hasMore: true }),
      ok({
        items: [order({ orderId: 'pos:P-9', orderNo: 'P-9', points: { earned: 0, reversed: 0 } })],
        page: 2,
        hasMore: false,
      }),
    );
    const detail = await openLoaded(wx, DETAIL, { id: 'pos:P-9' });
    expect(detail.data.order).toMatchObject({ orderNo: '订单号 P-9', hasPoints: false });
    expect(actions(wx).filter((a) => a === 'orders.mine')).toHaveLength(2);
    wx.answers.push(ok({ items: [order()], page: 1, hasMore: false }));
    const missing = await openLoaded(wx, DETAIL, { id: 'pos:nope' });
    expect(missing.data.status).toBe('empty');
  });
});
