import { ok, refused, type CloudAnswer } from '../../support/miniprogram/fake-wx';
import { actions, openLoaded, run, settle } from '../../support/miniprogram/page-calls';
import { advisor, brandAdmin, catalogue, manager, setUp, tapWith, type Harness } from './fixtures-manage';
import { appointmentView, slotView } from '../appointments/fixtures';

/** The staff schedule page (S14 staff side): a store's day, confirm / check in / no-show, managers reschedule and cancel. */
const PAGE = 'packageAdmin/pages/schedule/index';
const SH = 'store_sh_xintiandi';
const DAY = '2030-01-02';

const appointment = (patch: Record<string, unknown> = {}) =>
  appointmentView(`${DAY} 11:00`, {
    memberId: 'mem_0000abc123',
    storeId: SH,
    serviceId: 'svc_qipao_fitting',
    serviceName: { zh: '旗袍量体', en: 'Qipao fitting' },
    member: null,
    ...patch,
  });
const day = (...items: unknown[]) => ({ storeId: SH, date: DAY, items });
const slot = (time: string, remaining: number) => slotView(DAY, time, remaining);

/** A refusal carrying details, as the server sends them. */
const refusedWith = (code: string, message: string, details: Record<string, unknown>): CloudAnswer => ({
  result: { ok: false, error: { code, message, details } },
});
const who = (name: string | null, phoneMasked: string | null, cardNo: string | null) => ({ name, phoneMasked, cardNo });

let h: Harness;
beforeEach(() => {
  h = setUp();
});

type Row = { time: string; service: string; member: string; statusText: string; canConfirm: boolean; canAct: boolean };
const rowsOf = (page: { data: Record<string, unknown> }) =>
  (page.data.rows as Row[]).map((r) => [r.time, r.service, r.member, r.statusText, r.canConfirm, r.canAct]);

test('S14 an advisor sees the day of their store: time, service, member and status per row; no reschedule or cancel', async () => {
  const done = appointment({
    appointmentId: 'ap2',
    memberId: 'mem_0000xyz789',
    startLocal: '15:00',
    status: 'checked_in',
    serviceName: { zh: '妆容' },
  });
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), ok(day(appointment(), done)));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  expect(actions(h.wx)).toEqual(['admin.staff.me', 'appointments.catalogue', 'appointments.schedule']);
  expect(h.wx.calls[2]!.data).toEqual({ action: 'schedule', storeId: SH, date: DAY });
  expect(page.data).toMatchObject({ status: 'ready', storeId: SH, date: DAY, canReschedule: false, canCancel: false });
  expect(page.data.stores).toEqual([{ storeId: SH, name: '上海新天地店' }]);
  expect(rowsOf(page)).toEqual([
    ['11:00', '旗袍量体', '会员 abc123', '待确认', true, true],
    ['15:00', '妆容', '会员 xyz789', '已签到', false, false],
  ]);
  // an advisor's reschedule tap does nothing (the button is not rendered for them)
  await run(page, 'openMove', tapWith({ id: 'ap1' }));
  expect(actions(h.wx)).toHaveLength(3);
});

test('S14 confirm asks first: cancelled → no call; confirmed → appointments.confirm, a toast and the day read again', async () => {
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), ok(day(appointment())));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  h.modalAnswers.push(false);
  await run(page, 'act', tapWith({ id: 'ap1', act: 'confirm' }));
  expect(h.modals).toEqual(['确认 会员 abc123 的「旗袍量体」预约（2030-01-02 11:00）？']);
  expect(actions(h.wx)).toHaveLength(3);

  h.wx.answers.push(
    ok({ appointment: appointment({ status: 'confirmed' }) }),
    ok(day(appointment({ status: 'confirmed' }))),
  );
  await run(page, 'act', tapWith({ id: 'ap1', act: 'confirm' }));
  await settle();
  expect(h.wx.calls[3]!.data).toEqual({ action: 'confirm', appointmentId: 'ap1' });
  expect(h.wx.toasts).toEqual(['已确认']);
  expect(actions(h.wx).slice(3)).toEqual(['appointments.confirm', 'appointments.schedule']);
  expect(rowsOf(page)).toEqual([['11:00', '旗袍量体', '会员 abc123', '已确认', false, true]]);
  expect(page.data.busy).toBe(false);
});

test('S14 each row names the member: name, else masked phone, else card number, else 会员 + the id’s end', async () => {
  const rows = [
    appointment({ appointmentId: 'a1', member: who('林小姐', '139****0001', 'SU0000001') }),
    appointment({ appointmentId: 'a2', member: who(null, '139****0002', 'SU0000002') }),
    appointment({ appointmentId: 'a3', member: who(null, null, 'SU0000003') }),
    appointment({ appointmentId: 'a4', member: who(null, null, null) }),
    appointment({ appointmentId: 'a5', memberId: 'mem_0000gone42', member: null }),
  ];
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), ok(day(...rows)));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  expect(page.data.rows.map((r: { member: string }) => r.member)).toEqual([
    '林小姐',
    '139****0002',
    'SU0000003',
    '会员 abc123',
    '会员 gone42',
  ]);
  // the confirmation names them the same way
  h.modalAnswers.push(false);
  await run(page, 'act', tapWith({ id: 'a1', act: 'checkIn' }));
  expect(h.modals).toEqual(['为 林小姐 签到「旗袍量体」（2030-01-02 11:00）？']);
});

test('S14 check-in and no-show send the row id; a refusal is explained in the page’s words, with the time it names', async () => {
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), ok(day(appointment({ status: 'confirmed' }))));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  h.wx.answers.push(refusedWith('NO_SHOW_TOO_EARLY', '预约尚未开始', { start: '2030-01-02T03:00:00.000Z' }));
  await run(page, 'act', tapWith({ id: 'ap1', act: 'noShow' }));
  expect(h.modals).toEqual(['将 会员 abc123 的「旗袍量体」（2030-01-02 11:00）标记为未到店？']);
  expect(h.wx.calls[3]!.data).toEqual({ action: 'markNoShow', appointmentId: 'ap1' });
  expect(page.data.error).toBe('预约 2030-01-02 11:00 才开始，开始后才能标记未到店');
  expect(h.wx.toasts).toEqual(['预约 2030-01-02 11:00 才开始，开始后才能标记未到店']);
  // the row is unchanged and nothing was re-read after the refusal
  expect(actions(h.wx)).toHaveLength(4);
  // a code the page does not know: the server's own message
  h.wx.answers.push(refused('SOMETHING_NEW', '系统升级中'));
  await run(page, 'act', tapWith({ id: 'ap1', act: 'noShow' }));
  expect(page.data.error).toBe('系统升级中');
  expect(actions(h.wx)).toHaveLength(5);

  h.wx.answers.push(
    ok({ appointment: appointment({ status: 'checked_in' }) }),
    ok(day(appointment({ status: 'checked_in' }))),
  );
  await run(page, 'act', tapWith({ id: 'ap1', act: 'checkIn' }));
  await settle();
  expect(h.wx.calls[5]!.data).toEqual({ action: 'checkIn', appointmentId: 'ap1' });
  expect(page.data.error).toBe('');
  expect(rowsOf(page)).toEqual([['11:00', '旗袍量体', '会员 abc123', '已签到', false, false]]);
});

test('an empty day shows the empty state; previous/next day and the date picker read those days', async () => {
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), ok(day()));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  expect(page.data).toMatchObject({ status: 'empty', emptyText: '当天没有预约' });
  h.wx.answers.push(ok({ ...day(appointment()), date: '2030-01-03' }));
  run(page, 'nextDay');
  expect(page.data.status).toBe('loading');
  await settle();
  expect(h.wx.calls.at(-1)!.data).toEqual({ action: 'schedule', storeId: SH, date: '2030-01-03' });
  expect(page.data).toMatchObject({ status: 'ready', date: '2030-01-03' });
  h.wx.answers.push(ok(day()), ok(day()));
  run(page, 'prevDay');
  run(page, 'prevDay');
  await settle();
  expect(h.wx.calls.at(-1)!.data).toMatchObject({ date: '2030-01-01' });
  h.wx.answers.push(ok(day()));
  run(page, 'pickDate', { detail: { value: '2030-02-28' } });
  await settle();
  expect(h.wx.calls.at(-1)!.data).toMatchObject({ date: '2030-02-28' });
  // a malformed picker value is ignored
  run(page, 'pickDate', { detail: { value: 'soon' } });
  expect(page.data.date).toBe('2030-02-28');
});

test('a failure shows the error state and retry recovers; someone who is not staff gets the empty state and no schedule call', async () => {
  h.wx.answers.push(ok({ staff: advisor }), ok(catalogue), refused('INTERNAL', '服务繁忙'));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  h.wx.answers.push(ok(catalogue), ok(day(appointment())));
  run(page, 'retry');
  await settle();
  expect(page.data.status).toBe('ready');
  // the staff record is asked once per launch
  expect(actions(h.wx).filter((a) => a === 'admin.staff.me')).toHaveLength(1);

  h = setUp();
  h.wx.answers.push(ok({ staff: null }), ok(catalogue));
  const visitor = await openLoaded(h.wx, PAGE);
  expect(visitor.data).toMatchObject({ status: 'empty', emptyText: '仅门店员工可查看预约日程' });
  expect(actions(h.wx)).not.toContain('appointments.schedule');
});

test('S14 a manager picks among their stores, and reschedules to a free slot after confirming', async () => {
  h.wx.answers.push(ok({ staff: manager }), ok(catalogue), ok(day(appointment({ status: 'confirmed' }))));
  const page = await openLoaded(h.wx, PAGE, { date: DAY, store: 'store_sz_wanxiang' });
  expect(page.data).toMatchObject({ storeId: 'store_sz_wanxiang', canReschedule: true, canCancel: true });
  expect(page.data.stores.map((s: { name: string }) => s.name)).toEqual(['上海新天地店', '深圳万象城店']);
  expect(h.wx.calls[2]!.data).toMatchObject({ storeId: 'store_sz_wanxiang' });
  h.wx.answers.push(ok(day(appointment({ status: 'confirmed' }))));
  run(page, 'pickStore', tapWith({ id: SH }));
  await settle();
  expect(h.wx.calls[3]!.data).toEqual({ action: 'schedule', storeId: SH, date: DAY });

  h.wx.answers.push(
    ok({
      timeZone: 'Asia/Shanghai',
      days: [{ date: DAY, open: true, slots: [slot('11:00', 1), slot('14:00', 0), slot('16:00', 2)] }],
    }),
  );
  await run(page, 'openMove', tapWith({ id: 'ap1' }));
  expect(h.wx.calls[4]!.data).toEqual({
    action: 'availability',
    storeId: SH,
    serviceId: 'svc_qipao_fitting',
    from: DAY,
    days: 7,
  });
  // its own slot and full slots are not offered
  expect(page.data.moving.slots.map((s: { label: string }) => s.label)).toEqual(['01-02 16:00 · 余 2']);

  h.modalAnswers.push(false);
  await run(page, 'moveTo', tapWith({ start: slot('16:00', 2).start }));
  expect(h.modals.at(-1)).toBe('将「旗袍量体」从 2030-01-02 11:00 改到 01-02 16:00？');
  expect(actions(h.wx)).toHaveLength(5);
  h.wx.answers.push(
    ok({ appointment: appointment({ status: 'confirmed', startLocal: '16:00' }) }),
    ok(day(appointment({ status: 'confirmed', startLocal: '16:00' }))),
  );
  await run(page, 'moveTo', tapWith({ start: slot('16:00', 2).start }));
  await settle();
  expect(h.wx.calls[5]!.data).toEqual({
    action: 'staffReschedule',
    appointmentId: 'ap1',
    start: slot('16:00', 2).start,
  });
  expect(h.wx.toasts).toEqual(['已改约']);
  expect(page.data.moving).toBeNull();
  expect(rowsOf(page)[0]![0]).toBe('16:00');
});

test('S14 a manager cancels after confirming; a refused cancel says why', async () => {
  h.wx.answers.push(ok({ staff: manager }), ok(catalogue), ok(day(appointment())));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  h.modalAnswers.push(false);
  await run(page, 'act', tapWith({ id: 'ap1', act: 'cancel' }));
  expect(actions(h.wx)).toHaveLength(3);
  h.wx.answers.push(refused('NOT_STAFF', '无权操作该门店的预约'));
  await run(page, 'act', tapWith({ id: 'ap1', act: 'cancel' }));
  expect(h.modals).toEqual(Array(2).fill('取消 会员 abc123 的「旗袍量体」预约（2030-01-02 11:00）？会员会收到通知。'));
  expect(h.wx.calls[3]!.data).toEqual({ action: 'staffCancel', appointmentId: 'ap1' });
  expect(page.data.error).toBe('您不能处理该门店的预约');
});

test('a brand admin (no own stores) picks among every store of the catalogue', async () => {
  h.wx.answers.push(ok({ staff: brandAdmin }), ok(catalogue), ok(day()));
  const page = await openLoaded(h.wx, PAGE, { date: DAY });
  expect(page.data.stores.map((s: { storeId: string }) => s.storeId)).toEqual([SH, 'store_sz_wanxiang']);
  expect(h.wx.calls[2]!.data).toEqual({ action: 'schedule', storeId: SH, date: DAY });
});
