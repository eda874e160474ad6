import { randomBytes } from 'node:crypto';
import { generateCouponCode } from '../../../core/coupons';
import { ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { actions, admin, advisor, catalogue, inputOf, openLoaded, refusedWith, run, settle, setUp, type Harness } from './fixtures-core';

/** Scan to act (issue 10, S10 S14 S21): coupon → confirm → redeem; member code → profile; booking → check in. */
const SCAN = 'packageAdmin/pages/scan/index';
const CODE = generateCouponCode(randomBytes(7));
const SPACED = `${CODE.slice(0, 4)} ${CODE.slice(4, 8)} ${CODE.slice(8)}`;
const redeemed = { couponId: 'cp1', memberId: 'm1', templateId: 'tpl_spring_50', name: { zh: '春装满 500 减 50', en: 'Spring: 50 off 500' }, discountFen: 5000, payableFen: 55000, gift: null, usedAt: '2026-05-01T02:00:00.000Z' };
const appointment = {
  appointmentId: 'ap_0123456789abcdef0123', memberId: 'm1', storeId: 'store_sh', storeName: { zh: '上海新天地店' }, serviceId: 'svc_makeup', serviceName: { zh: '妆容' }, advisorId: null,
  date: '2026-05-01', start: '2026-05-01T06:00:00.000Z', end: '2026-05-01T07:00:00.000Z', startLocal: '14:00', status: 'checked_in', changeableUntil: '2026-04-30T06:00:00.000Z', reminderConsent: null, history: [],
};
const MEMBER_CODE = 'M1.880000012345.lq3k2.abcdefghijkl';
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

describe('scan: coupons', () => {
  test('S10 S21 a scanned coupon code is shown first; after confirmation it is redeemed at my store with the order amount', async () => {
    const page = await openAs(advisor);
    expect(actions(wx)).toEqual(['admin.staff.me', 'appointments.catalogue']);
    expect(page.data).toMatchObject({ status: 'ready', stores: [{ storeId: 'store_sh', name: '上海新天地店' }] });

    h.scans.push({ result: SPACED.toLowerCase() });
    run(page, 'scan');
    await settle();
    expect(page.data.pending).toEqual({ code: CODE, display: SPACED });
    expect(wx.calls).toHaveLength(2); // nothing is redeemed before the staff confirms

    wx.answers.push(ok(redeemed));
    run(page, 'onAmount', { detail: { value: '600' } });
    await run(page, 'redeem');
    expect(h.modals).toEqual([`确认在「上海新天地店」核销券码 ${SPACED}（订单金额 ¥600.00）？`]);
    expect(inputOf(wx, 'coupons.redeem')).toEqual({ code: CODE, storeId: 'store_sh', orderAmountFen: 60000 });
    expect(page.data).toMatchObject({ pending: null, error: '', busy: false });
    expect(page.data.result).toEqual({
      kind: 'coupon', title: '春装满 500 减 50', status: '已核销',
      lines: [`券码 ${SPACED}`, '优惠 ¥50.00', '应付 ¥550.00', '核销时间 2026-05-01 10:00'],
    });
  });

  test('S10 cancelling the confirmation redeems nothing and keeps the coupon on screen', async () => {
    const page = await openAs(advisor);
    run(page, 'onManual', { detail: { value: CODE } });
    run(page, 'submitManual');
    h.modalAnswers.push(false);
    await run(page, 'redeem');
    expect(h.modals).toHaveLength(1);
    expect(actions(wx)).not.toContain('coupons.redeem');
    expect(page.data.pending).toEqual({ code: CODE, display: SPACED });
  });

  test.each([
    ['COUPON_ALREADY_USED', { usedAt: '2026-04-30T12:30:00.000Z' }, '该券已于 2026-04-30 20:30 使用，不能重复核销'],
    ['COUPON_EXPIRED', { validUntil: '2026-04-01T16:00:00.000Z' }, '该券已于 2026-04-02 00:00 过期'],
    ['COUPON_STORE_NOT_ALLOWED', { storeId: 'store_sh' }, '该券不能在本门店使用'],
    ['COUPON_MIN_SPEND', { minSpendFen: 50000, orderAmountFen: 0 }, '未达到最低消费 ¥500.00，请输入订单金额后再核销'],
    ['COUPON_CODE_INVALID', {}, '券码无效，请核对后重新输入'],
    ['FORBIDDEN', { storeId: 'store_sz' }, '您没有权限在该门店进行此操作'],
  ])('S10 a refused redemption (%s) is shown clearly and the coupon stays for another try', async (code, details, shown) => {
    const page = await openAs(advisor);
    await run(page, 'handle', CODE);
    wx.answers.push(refusedWith(code, 'server text', details));
    await run(page, 'redeem');
    expect(page.data).toMatchObject({ error: shown, result: null, busy: false, pending: { code: CODE } });
  });

  test('a refusal whose details are missing falls back to the server message rather than showing a gap', async () => {
    const page = await openAs(advisor);
    await run(page, 'handle', CODE);
    wx.answers.push(refused('COUPON_ALREADY_USED', '该券已使用'));
    await run(page, 'redeem');
    expect(page.data.error).toBe('该券已使用');
  });

  test('a malformed order amount is caught before asking or calling', async () => {
    const page = await openAs(advisor);
    await run(page, 'handle', CODE);
    run(page, 'onAmount', { detail: { value: '12.345' } });
    await run(page, 'redeem');
    expect(page.data.error).toBe('请输入正确的金额，如 599 或 599.50');
    expect(h.modals).toEqual([]);
    expect(actions(wx)).not.toContain('coupons.redeem');
  });

  test('S21 a brand admin picks the store among every store; the redemption names the one picked', async () => {
    const page = await openAs(admin);
    expect(page.data.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['store_sh', 'store_sz']);
    await run(page, 'handle', CODE);
    run(page, 'pickStore', { currentTarget: { dataset: { index: 1 } } });
    wx.answers.push(ok(redeemed));
    await run(page, 'redeem');
    expect(h.modals[0]).toContain('深圳万象城店');
    expect(inputOf(wx, 'coupons.redeem')).toEqual({ code: CODE, storeId: 'store_sz', orderAmountFen: 0 });
  });
});

describe('scan: member codes and bookings', () => {
  test('S21 a member code opens the member profile; the member\'s booking today can be checked in from here', async () => {
    const page = await openAs(advisor, { memberId: 'm1', cardNo: '880000012345', displayName: '林*', tier: 'silver', points: 1280 });
    h.scans.push({ result: MEMBER_CODE });
    run(page, 'scan');
    await settle();
    expect(inputOf(wx, 'member.resolveMemberCode')).toEqual({ code: MEMBER_CODE });
    expect(wx.navigations).toEqual(['/packageAdmin/pages/member/index?memberId=m1&cardNo=880000012345']);
    expect(page.data.member).toMatchObject({ memberId: 'm1', name: '林*', line: '卡号 880000012345 · 银卡 · 1280 积分' });

    wx.answers.push(ok({ appointment }));
    await run(page, 'checkInMember');
    expect(h.modals).toEqual(['为该会员签到今天在「上海新天地店」的预约？']);
    expect(inputOf(wx, 'appointments.checkIn')).toEqual({ memberCode: MEMBER_CODE, storeId: 'store_sh' });
    expect(page.data.result).toEqual({ kind: 'appointment', title: '预约签到', status: '已签到', lines: ['妆容 · 上海新天地店', '预约时间 2026-05-01 14:00'] });
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
    expect(h.modals).toEqual([`确认为预约 ${appointment.appointmentId} 签到？`, `确认为预约 ${appointment.appointmentId} 签到？`]);
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
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙' });
    wx.answers.push(ok({ staff: admin }), ok(catalogue));
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('ready');
  });
});
