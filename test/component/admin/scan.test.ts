import { randomBytes } from 'node:crypto';
import { generateCouponCode } from '../../../core/coupons';
import { networkDown, ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import {
  actions,
  admin,
  advisor,
  catalogue,
  inputOf,
  openLoaded,
  refusedWith,
  run,
  settle,
  setUp,
  type Harness,
} from './fixtures-core';
import { appointmentView } from '../appointments/fixtures';

/** Scan to act (S10 S14 S21): coupon → inspect → confirm → redeem (retry-safe); member code → profile; booking → check in. */
const SCAN = 'packageAdmin/pages/scan/index';
const CODE = generateCouponCode(randomBytes(7));
const SPACED = `${CODE.slice(0, 4)} ${CODE.slice(4, 8)} ${CODE.slice(8)}`;
const redeemed = {
  couponId: 'cp1',
  memberId: 'm1',
  templateId: 'tpl_spring_50',
  name: { zh: '春装满 500 减 50', en: 'Spring: 50 off 500' },
  discountFen: 5000,
  payableFen: 55000,
  gift: null,
  usedAt: '2026-05-01T02:00:00.000Z',
};
const appointment = appointmentView('2026-05-01 14:00', {
  appointmentId: 'ap_0123456789abcdef0123',
  serviceId: 'svc_makeup',
  serviceName: { zh: '妆容' },
  status: 'checked_in',
});
const MEMBER_CODE = 'M1.880000012345.lq3k2.abcdefghijkl';
/** What `member.resolveMemberCode` answers for the member whose code is scanned. */
const lin = { memberId: 'm1', cardNo: '880000012345', displayName: '林*', tier: 'silver', points: 1280 };
let h: Harness;
let wx: FakeWx;
beforeEach(() => {
  h = setUp();
  wx = h.wx;
});

async function openAs(staff: unknown, ...more: Parameters<typeof ok>[0][]) {
  wx.answers.push(ok({ staff }), ok(catalogue), ...more.map(ok));
  return openLoaded(wx, SCAN);
}

/** `coupons.inspect` as the server answers for the demo coupon at store_sh. */
const inspected = (patch: Record<string, unknown> = {}) => ({
  couponId: 'cp1',
  code: CODE,
  codeDisplay: SPACED,
  templateId: 'tpl_spring_50',
  name: { zh: '春装满 500 减 50', en: 'Spring: 50 off 500' },
  benefit: { kind: 'amountOff', amountFen: 5000 },
  minSpendFen: 50000,
  status: 'usable',
  validFrom: '2026-04-30T02:00:00.000Z',
  validUntil: '2026-05-14T16:00:00.000Z',
  usedAt: null,
  holder: { memberId: 'm1', displayName: '林**', cardNo: '880000012345' },
  stores: null,
  here: { storeId: 'store_sh', redeemable: true, blocked: null },
  ...patch,
});
const shownUsable = {
  code: CODE,
  display: SPACED,
  name: '春装满 500 减 50',
  value: '减 ¥50',
  minSpend: '满 ¥500 可用',
  status: 'usable',
  statusText: '可使用',
  period: '有效期 2026-04-30 至 2026-05-14',
  holder: '持券人 林** · 卡号 880000012345',
  memberId: 'm1',
  stores: '全部门店可用',
  redeemable: true,
  blocked: '',
};
const REQUEST_ID = /^[A-Za-z0-9_-]{8,64}$/;
const redeemIds = () => wx.calls.filter((c) => c.data.action === 'redeem').map((c) => c.data.requestId);

/** The scan page, ready, with the coupon typed in and inspected. */
async function withCoupon(staff: unknown = advisor, patch: Record<string, unknown> = {}) {
  const page = await openAs(staff);
  wx.answers.push(ok(inspected(patch)));
  await run(page, 'handle', CODE);
  return page;
}

describe('scan: coupons', () => {
  test('S10 S21 a scanned coupon is inspected and shown (name, value, status, holder) before the confirmation; then redeemed at my store with a request id', async () => {
    const page = await openAs(advisor);
    expect(actions(wx)).toEqual(['admin.staff.me', 'appointments.catalogue']);
    expect(page.data).toMatchObject({
      status: 'ready',
      stores: [{ storeId: 'store_sh', name: '上海新天地店' }],
      canLookup: true,
    });

    wx.answers.push(ok(inspected()));
    h.scans.push({ result: SPACED.toLowerCase() });
    run(page, 'scan');
    await settle();
    expect(inputOf(wx, 'coupons.inspect')).toEqual({ code: CODE, storeId: 'store_sh' });
    expect(page.data.pending).toEqual(shownUsable);
    expect(page.data.inspecting).toBe(false);
    expect(actions(wx)).not.toContain('coupons.redeem'); // nothing is redeemed before the staff confirms
    expect(h.modals).toEqual([]);

    wx.answers.push(ok({ ...redeemed, replayed: false }));
    run(page, 'onAmount', { detail: { value: '600' } });
    await run(page, 'redeem');
    expect(h.modals).toEqual([`确认在「上海新天地店」核销券码 ${SPACED}（订单金额 ¥600.00）？`]);
    expect(inputOf(wx, 'coupons.redeem')).toEqual({
      code: CODE,
      storeId: 'store_sh',
      orderAmountFen: 60000,
      requestId: expect.stringMatching(REQUEST_ID),
    });
    expect(page.data).toMatchObject({ pending: null, error: '', busy: false, redeemKey: '' });
    expect(page.data.result).toEqual({
      kind: 'coupon',
      title: '春装满 500 减 50',
      status: '已核销',
      lines: [`券码 ${SPACED}`, '优惠 ¥50.00', '应付 ¥550.00', '核销时间 2026-05-01 10:00'],
    });
  });

  test('S10 a retry after a lost answer sends the same request id and shows the first answer; the next coupon gets a new id', async () => {
    const page = await withCoupon();
    run(page, 'onAmount', { detail: { value: '600' } });
    wx.answers.push(networkDown(), networkDown(), networkDown()); // the client's own retries fail too
    await run(page, 'redeem');
    expect(page.data).toMatchObject({ error: '网络不太好，请稍后重试', pending: { code: CODE }, result: null });
    const first = redeemIds()[0];
    expect(first).toMatch(REQUEST_ID);
    expect(new Set(redeemIds())).toEqual(new Set([first]));

    wx.answers.push(ok({ ...redeemed, replayed: true }));
    await run(page, 'redeem');
    expect(redeemIds().at(-1)).toBe(first);
    expect(page.data.result.lines).toEqual([
      `券码 ${SPACED}`,
      '优惠 ¥50.00',
      '应付 ¥550.00',
      '核销时间 2026-05-01 10:00',
      '此前已核销成功（网络重试），未重复核销',
    ]);

    wx.answers.push(ok(inspected()), ok({ ...redeemed, replayed: false }));
    await run(page, 'handle', CODE);
    await run(page, 'redeem');
    expect(redeemIds().at(-1)).not.toBe(first);
  });

  test('S10 an answered refusal, a changed amount or another store makes the next tap a new attempt', async () => {
    const page = await withCoupon(admin);
    wx.answers.push(refusedWith('COUPON_MIN_SPEND', 'x', { minSpendFen: 50000, orderAmountFen: 0 }));
    await run(page, 'redeem');
    const refusedId = redeemIds()[0];
    expect(page.data.redeemKey).toBe('');

    wx.answers.push(networkDown(), networkDown(), networkDown());
    run(page, 'onAmount', { detail: { value: '500' } });
    await run(page, 'redeem');
    const lostId = redeemIds().at(-1);
    expect(lostId).not.toBe(refusedId);
    expect(page.data.redeemKey).toBe(lostId);

    run(page, 'onAmount', { detail: { value: '800' } });
    expect(page.data.redeemKey).toBe('');
    wx.answers.push(networkDown(), networkDown(), networkDown());
    await run(page, 'redeem');
    const amountId = redeemIds().at(-1);
    expect(amountId).not.toBe(lostId);

    wx.answers.push(
      ok(inspected({ here: { storeId: 'store_sz', redeemable: true, blocked: null } })),
      ok({ ...redeemed, replayed: false }),
    );
    run(page, 'pickStore', { currentTarget: { dataset: { index: 1 } } });
    await settle();
    expect(inputOf(wx, 'coupons.inspect', 1)).toEqual({ code: CODE, storeId: 'store_sz' });
    await run(page, 'redeem');
    expect(inputOf(wx, 'coupons.redeem', redeemIds().length - 1)).toMatchObject({
      storeId: 'store_sz',
      orderAmountFen: 80000,
    });
    expect(redeemIds().at(-1)).not.toBe(amountId);
  });

  test('S10 cancelling the confirmation redeems nothing and keeps the coupon on screen', async () => {
    const page = await openAs(advisor);
    wx.answers.push(ok(inspected()));
    run(page, 'onManual', { detail: { value: CODE } });
    run(page, 'submitManual');
    await settle();
    h.modalAnswers.push(false);
    await run(page, 'redeem');
    expect(h.modals).toHaveLength(1);
    expect(actions(wx)).not.toContain('coupons.redeem');
    expect(page.data.pending).toEqual(shownUsable);
  });

  test.each([
    [
      'used',
      {
        status: 'used',
        usedAt: '2026-04-30T12:30:00.000Z',
        here: {
          storeId: 'store_sh',
          redeemable: false,
          blocked: { code: 'COUPON_ALREADY_USED', message: '该券已使用' },
        },
      },
      '已使用',
      '该券已于 2026-04-30 20:30 使用，不能重复核销',
    ],
    [
      'expired',
      {
        status: 'expired',
        validUntil: '2026-04-01T16:00:00.000Z',
        here: { storeId: 'store_sh', redeemable: false, blocked: { code: 'COUPON_EXPIRED', message: '该券已过期' } },
      },
      '已过期',
      '该券已于 2026-04-02 00:00 过期',
    ],
    [
      'not yet valid',
      {
        status: 'notYetValid',
        validFrom: '2026-05-31T16:00:00.000Z',
        here: {
          storeId: 'store_sh',
          redeemable: false,
          blocked: { code: 'COUPON_NOT_YET_VALID', message: '该券尚未生效' },
        },
      },
      '未到使用时间',
      '该券 2026-06-01 00:00 起才能使用',
    ],
    [
      'for another store',
      {
        stores: [{ storeId: 'store_sz', name: { zh: '深圳万象城店' } }],
        here: {
          storeId: 'store_sh',
          redeemable: false,
          blocked: { code: 'COUPON_STORE_NOT_ALLOWED', message: '该券不能在本门店使用' },
        },
      },
      '可使用',
      '该券仅限 深圳万象城店 使用，不能在本门店核销',
    ],
  ])(
    'S10 a coupon that cannot be redeemed here (%s) says why, and no redemption can be started',
    async (_case, patch, statusText, blocked) => {
      const page = await withCoupon(advisor, patch);
      expect(page.data.pending).toMatchObject({ statusText, redeemable: false, blocked });
      await run(page, 'redeem');
      expect(h.modals).toEqual([]);
      expect(actions(wx)).not.toContain('coupons.redeem');
      run(page, 'cancelCoupon');
      expect(page.data.pending).toBeNull();
    },
  );

  test('S21 the coupon shows its gift, store list and a holder with no name or card; the holder opens the member page by id', async () => {
    const page = await withCoupon(advisor, {
      benefit: { kind: 'gift', gift: { zh: '真丝方巾' } },
      minSpendFen: 0,
      stores: [
        { storeId: 'store_sh', name: { zh: '上海新天地店' } },
        { storeId: 'store_sz', name: { zh: '深圳万象城店' } },
      ],
      holder: { memberId: 'm_visitor', displayName: null, cardNo: null },
    });
    expect(page.data.pending).toMatchObject({
      value: '赠：真丝方巾',
      minSpend: '无门槛',
      stores: '仅限 上海新天地店、深圳万象城店 使用',
      holder: '持券人 未留姓名',
      redeemable: true,
    });
    run(page, 'openHolder');
    expect(wx.navigations).toEqual(['/packageAdmin/pages/member/index?memberId=m_visitor']);
  });

  test.each([
    ['COUPON_ALREADY_USED', { usedAt: '2026-04-30T12:30:00.000Z' }, '该券已于 2026-04-30 20:30 使用，不能重复核销'],
    ['COUPON_EXPIRED', { validUntil: '2026-04-01T16:00:00.000Z' }, '该券已于 2026-04-02 00:00 过期'],
    ['COUPON_STORE_NOT_ALLOWED', { storeId: 'store_sh' }, '该券不能在本门店使用'],
    ['COUPON_MIN_SPEND', { minSpendFen: 50000, orderAmountFen: 0 }, '未达到最低消费 ¥500.00，请输入订单金额后再核销'],
    ['COUPON_CODE_INVALID', {}, '券码无效，请核对后重新输入'],
    ['FORBIDDEN', { storeId: 'store_sz' }, '您没有权限在该门店进行此操作'],
  ])(
    'S10 a refused redemption (%s) is shown clearly and the coupon stays for another try',
    async (code, details, shown) => {
      const page = await withCoupon();
      wx.answers.push(refusedWith(code, 'server text', details));
      await run(page, 'redeem');
      expect(page.data).toMatchObject({ error: shown, result: null, busy: false, pending: { code: CODE } });
    },
  );

  test('a code the server does not know, or a failed read, shows the reason and no coupon', async () => {
    const page = await openAs(advisor);
    wx.answers.push(refused('COUPON_CODE_INVALID', '未找到该券码'));
    await run(page, 'handle', CODE);
    expect(page.data).toMatchObject({ error: '券码无效，请核对后重新输入', pending: null, inspecting: false });
    wx.answers.push(networkDown(), networkDown(), networkDown());
    await run(page, 'handle', CODE);
    expect(page.data).toMatchObject({ error: '网络不太好，请稍后重试', pending: null });
    expect(actions(wx)).not.toContain('coupons.redeem');
  });

  test('a refusal whose details are missing falls back to the server message rather than showing a gap', async () => {
    const page = await withCoupon();
    wx.answers.push(refused('COUPON_ALREADY_USED', '该券已使用'));
    await run(page, 'redeem');
    expect(page.data.error).toBe('该券已使用');
  });

  test('a malformed order amount is caught before asking or calling', async () => {
    const page = await withCoupon();
    run(page, 'onAmount', { detail: { value: '12.345' } });
    await run(page, 'redeem');
    expect(page.data.error).toBe('请输入正确的金额，如 599 或 599.50');
    expect(h.modals).toEqual([]);
    expect(actions(wx)).not.toContain('coupons.redeem');
  });

  test('S21 a brand admin picks the store among every store; the coupon is judged again for it and the redemption names it', async () => {
    const page = await withCoupon(admin);
    expect(page.data.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['store_sh', 'store_sz']);
    wx.answers.push(ok(inspected({ here: { storeId: 'store_sz', redeemable: true, blocked: null } })));
    run(page, 'pickStore', { currentTarget: { dataset: { index: 1 } } });
    await settle();
    expect(inputOf(wx, 'coupons.inspect', 1)).toEqual({ code: CODE, storeId: 'store_sz' });
    wx.answers.push(ok({ ...redeemed, replayed: false }));
    await run(page, 'redeem');
    expect(h.modals[0]).toContain('深圳万象城店');
    expect(inputOf(wx, 'coupons.redeem')).toEqual({
      code: CODE,
      storeId: 'store_sz',
      orderAmountFen: 0,
      requestId: expect.stringMatching(REQUEST_ID),
    });
  });

  test('English: the inspected coupon reads in English', async () => {
    wx.storage.set('lang', 'en');
    const page = await withCoupon(advisor, {
      status: 'used',
      usedAt: '2026-04-30T12:30:00.000Z',
      here: { storeId: 'store_sh', redeemable: false, blocked: { code: 'COUPON_ALREADY_USED', message: 'x' } },
    });
    expect(page.data.pending).toMatchObject({
      name: 'Spring: 50 off 500',
      statusText: 'Used',
      holder: 'Held by 林** · card 880000012345',
      blocked: 'This coupon was already used at 2026-04-30 20:30',
    });
  });
});

describe('scan: member codes and bookings', () => {
  test("S21 a member code's number form, from the bar code or typed in groups, is resolved as a member code", async () => {
    const page = await openAs(advisor, lin);
    run(page, 'onManual', { detail: { value: '8800 0001 2345 1234 5678' } });
    run(page, 'submitManual');
    await settle();
    expect(inputOf(wx, 'member.resolveMemberCode')).toEqual({ code: '88000001234512345678' });
    expect(wx.navigations).toEqual(['/packageAdmin/pages/member/index?memberId=m1']);
  });

  test("S21 a member code opens the member profile; the member's booking today can be checked in from here", async () => {
    const page = await openAs(advisor, lin);
    h.scans.push({ result: MEMBER_CODE });
    run(page, 'scan');
    await settle();
    expect(inputOf(wx, 'member.resolveMemberCode')).toEqual({ code: MEMBER_CODE });
    expect(wx.navigations).toEqual(['/packageAdmin/pages/member/index?memberId=m1']);
    expect(page.data.member).toMatchObject({
      memberId: 'm1',
      name: '林*',
      line: '卡号 880000012345 · 银卡 · 1280 积分',
    });

    wx.answers.push(ok({ appointment }));
    await run(page, 'checkInMember');
    expect(h.modals).toEqual(['为该会员签到今天在「上海新天地店」的预约？']);
    expect(inputOf(wx, 'appointments.checkIn')).toEqual({ memberCode: MEMBER_CODE, storeId: 'store_sh' });
    expect(page.data.result).toEqual({
      kind: 'appointment',
      title: '预约签到',
      status: '已签到',
      lines: ['妆容 · 上海新天地店', '预约时间 2026-05-01 14:00'],
    });
  });

  test('an expired member code says so and opens nothing', async () => {
    const page = await openAs(advisor);
    wx.answers.push(refused('MEMBER_CODE_EXPIRED', 'x'));
    await run(page, 'handle', MEMBER_CODE);
    expect(page.data).toMatchObject({ error: '会员码已过期，请会员刷新后再扫', member: null });
    expect(wx.navigations).toEqual([]);
  });

  test('S14 a booking id checks in after confirmation; cancelled, nothing is sent', async () => {
    const page = await openAs(advisor);
    h.modalAnswers.push(false);
    await run(page, 'handle', appointment.appointmentId);
    expect(actions(wx)).not.toContain('appointments.checkIn');

    wx.answers.push(ok({ appointment }));
    await run(page, 'handle', ` ${appointment.appointmentId} `);
    expect(h.modals).toEqual([
      `确认为预约 ${appointment.appointmentId} 签到？`,
      `确认为预约 ${appointment.appointmentId} 签到？`,
    ]);
    expect(inputOf(wx, 'appointments.checkIn')).toEqual({ appointmentId: appointment.appointmentId });
    expect(page.data.result.status).toBe('已签到');
  });

  test('S14 a refused check-in is shown', async () => {
    const page = await openAs(advisor);
    wx.answers.push(refused('APPOINTMENT_NOT_FOUND', 'x'));
    await run(page, 'handle', appointment.appointmentId);
    expect(page.data).toMatchObject({ error: '未找到可签到的预约', result: null });
  });
});

describe('scan: input and states', () => {
  test('an unrecognised or empty code is explained without any call', async () => {
    const page = await openAs(advisor);
    await run(page, 'handle', 'https://example.com/x');
    expect(page.data.error).toBe('无法识别该码：https://example.com/x');
    run(page, 'onManual', { detail: { value: '   ' } });
    run(page, 'submitManual');
    expect(page.data.error).toBe('请输入要识别的码');
    expect(wx.calls).toHaveLength(2);
  });

  test('a camera that fails asks to type the code; a cancelled scan says nothing', async () => {
    const page = await openAs(advisor);
    h.scans.push({ errMsg: 'scanCode:fail cancel' });
    run(page, 'scan');
    expect(page.data.error).toBe('');
    h.scans.push({ errMsg: 'scanCode:fail camera unavailable' });
    run(page, 'scan');
    expect(page.data.error).toBe('无法打开摄像头，请手动输入');
  });

  test('a person who is not staff gets the "staff only" state', async () => {
    wx.answers.push(ok({ staff: null }));
    const page = await openLoaded(wx, SCAN);
    expect(page.data.status).toBe('empty');
    expect(page.data.t.notStaff).toBe('仅限门店员工');
    expect(actions(wx)).toEqual(['admin.staff.me']);
  });

  test('a brand admin whose store list cannot be read gets the error state and can retry', async () => {
    wx.answers.push(ok({ staff: admin }), refused('INTERNAL', '服务繁忙'));
    const page = await openLoaded(wx, SCAN);
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    wx.answers.push(ok({ staff: admin }), ok(catalogue));
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('ready');
  });
});
