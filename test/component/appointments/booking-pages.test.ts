import { resetApp } from '../../support/miniprogram/app-modules';
import { installFakeWx, ok, refused, type FakeWx } from '../../support/miniprogram/fake-wx';
import { openPage, run, settle, type PageInstance } from '../../support/miniprogram/page-harness';
import { actions as actionsOf, openLoaded } from '../../support/miniprogram/page-calls';
import { appointmentView, slotView } from './fixtures';

/** The booking subpackage's pages, driven with scripted cloud answers (S14). */
const PKG = 'packageAppointments/pages';
const visitor = {
  memberId: 'm1',
  state: 'member',
  firstSeenAt: '2026-05-01T02:00:00.000Z',
  lastSeenAt: '2026-05-01T02:00:00.000Z',
  isNew: false,
};
const TEMPLATE = 'tmpl-reminder';
const catalogue = {
  services: [
    {
      serviceId: 'svc_fit',
      name: { zh: '旗袍量体', en: 'Qipao fitting' },
      durationMinutes: 60,
      capacityPerSlot: 2,
      price: { kind: 'free' },
      bookingWindowDays: 30,
      cancellationCutoffHours: 24,
      storeIds: ['st_a', 'st_b'],
    },
    {
      serviceId: 'svc_makeup',
      name: { zh: '妆容' },
      durationMinutes: 45,
      capacityPerSlot: 3,
      price: { kind: 'paid', amountFen: 19900 },
      bookingWindowDays: 14,
      cancellationCutoffHours: 12,
      storeIds: ['st_a'],
    },
  ],
  stores: [
    { storeId: 'st_a', name: { zh: '新天地店', en: 'Xintiandi' }, city: '上海' },
    { storeId: 'st_b', name: { zh: '万象城店' }, city: '深圳' },
  ],
  reminderTemplateId: TEMPLATE,
};
const slot = slotView;
const availability = {
  timeZone: 'Asia/Shanghai',
  days: [
    { date: '2030-01-01', open: true, slots: [slot('2030-01-01', '10:00', 0)] },
    { date: '2030-01-02', open: true, slots: [slot('2030-01-02', '10:00', 0), slot('2030-01-02', '11:00', 2)] },
    { date: '2030-01-03', open: false, slots: [] },
  ],
};
const appointment = (patch: Record<string, unknown> = {}) =>
  appointmentView('2030-01-02 11:00', { storeId: 'st_a', storeName: { zh: '新天地店' }, ...patch });

let wx: FakeWx;
let modalAnswers: boolean[];
let subscribeAsked: string[][];
let redirects: string[];
beforeEach(() => {
  wx = installFakeWx();
  resetApp();
  modalAnswers = [];
  subscribeAsked = [];
  redirects = [];
  Object.assign(wx.api, {
    showModal: (o: { success?: (r: { confirm: boolean }) => void }) =>
      o.success?.({ confirm: modalAnswers.shift() ?? true }),
    requestSubscribeMessage: (o: { tmplIds: string[]; success?: (r: Record<string, string>) => void }) => {
      subscribeAsked.push(o.tmplIds);
      o.success?.({ errMsg: 'requestSubscribeMessage:ok', [o.tmplIds[0]!]: 'accept' });
    },
    redirectTo: (o: { url: string }) => void redirects.push(o.url),
    navigateBack: (o: { fail?: () => void }) => o.fail?.(),
  });
});

const actions = () => actionsOf(wx);
const open = (path: string, query: Record<string, string> = {}): Promise<PageInstance> =>
  openLoaded(wx, `${PKG}/${path}`, query);

describe('services', () => {
  test('S14 lists the services with duration and price; a tap opens the slot picker', async () => {
    wx.answers.push(ok(catalogue));
    const page = await open('services/index');
    expect(page.data.status).toBe('ready');
    expect(page.data.services).toEqual([
      { serviceId: 'svc_fit', title: '旗袍量体', duration: '60 分钟', price: '免费' },
      { serviceId: 'svc_makeup', title: '妆容', duration: '45 分钟', price: '¥199' },
    ]);
    run(page, 'choose', { currentTarget: { dataset: { id: 'svc_makeup' } } });
    expect(wx.navigations).toEqual(['/packageAppointments/pages/slots/index?service=svc_makeup']);
  });

  test('empty catalogue shows the empty state; a failure shows the error and retry recovers', async () => {
    wx.answers.push(ok({ ...catalogue, services: [] }));
    expect((await open('services/index')).data.status).toBe('empty');
    wx.answers.push(refused('INTERNAL', '服务繁忙'), ok(catalogue));
    const page = await open('services/index', { store: 'st_a' });
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
    expect(wx.calls.at(-1)!.data).toEqual({ action: 'catalogue', storeId: 'st_a' });
    run(page, 'retry');
    await settle();
    expect(page.data.status).toBe('ready');
  });
});

describe('slots', () => {
  test('S14 shows the stores of the service, free places per day, and opens the confirmation for a free slot', async () => {
    wx.answers.push(ok(catalogue), ok(availability));
    const page = await open('slots/index', { service: 'svc_fit' });
    expect(page.data.stores.map((s: { storeId: string }) => s.storeId)).toEqual(['st_a', 'st_b']);
    expect(wx.calls[1]!.data).toMatchObject({
      action: 'availability',
      storeId: 'st_a',
      serviceId: 'svc_fit',
      days: 14,
    });
    expect(page.data.days.map((d: { date: string; open: boolean; free: number }) => [d.date, d.open, d.free])).toEqual([
      ['2030-01-01', true, 0],
      ['2030-01-02', true, 2],
      ['2030-01-03', false, 0],
    ]);
    // the first day with a free place is chosen
    expect(page.data.date).toBe('2030-01-02');
    expect(
      page.data.slots.map((s: { startLocal: string; leftText: string; full: boolean }) => [
        s.startLocal,
        s.leftText,
        s.full,
      ]),
    ).toEqual([
      ['10:00', '已约满', true],
      ['11:00', '余 2', false],
    ]);

    await run(page, 'pickSlot', { currentTarget: { dataset: { start: page.data.slots[0].start } } });
    expect(wx.navigations).toEqual([]);
    await run(page, 'pickSlot', { currentTarget: { dataset: { start: page.data.slots[1].start } } });
    expect(wx.navigations).toEqual([
      `/packageAppointments/pages/confirm/index?service=svc_fit&store=st_a&start=${encodeURIComponent(slot('2030-01-02', '11:00', 2).start)}&date=2030-01-02&time=11%3A00`,
    ]);

    run(page, 'pickDay', { currentTarget: { dataset: { date: '2030-01-03' } } });
    expect(page.data.slots).toEqual([]);
  });

  test('choosing another store reads its availability', async () => {
    wx.answers.push(
      ok(catalogue),
      ok(availability),
      ok({ ...availability, days: [{ date: '2030-01-01', open: true, slots: [slot('2030-01-01', '15:00', 1)] }] }),
    );
    const page = await open('slots/index', { service: 'svc_fit' });
    await run(page, 'pickStore', { currentTarget: { dataset: { id: 'st_b' } } });
    await settle();
    expect(wx.calls[2]!.data).toMatchObject({ action: 'availability', storeId: 'st_b' });
    expect(page.data.slots.map((s: { startLocal: string }) => s.startLocal)).toEqual(['15:00']);
  });

  test('S14 in reschedule mode a slot moves the appointment after the member confirms', async () => {
    wx.answers.push(ok(catalogue), ok(availability), ok({ appointment: appointment() }));
    const page = await open('slots/index', { service: 'svc_fit', store: 'st_a', appointment: 'ap1' });
    modalAnswers.push(false);
    await run(page, 'pickSlot', { currentTarget: { dataset: { start: page.data.slots[1].start } } });
    expect(actions()).toEqual(['appointments.catalogue', 'appointments.availability']);
    await run(page, 'pickSlot', { currentTarget: { dataset: { start: page.data.slots[1].start } } });
    expect(wx.calls[2]!.data).toEqual({ action: 'reschedule', appointmentId: 'ap1', start: page.data.slots[1].start });
    expect(wx.toasts).toEqual(['已改约']);
    expect(redirects).toEqual(['/packageAppointments/pages/mine/index']);
  });
});

describe('confirm', () => {
  const query = {
    service: 'svc_makeup',
    store: 'st_a',
    start: '2030-01-02T03:00:00.000Z',
    date: '2030-01-02',
    time: '11:00',
  };

  test('S14 asks for the reminder subscription, books, then records the consent through the server', async () => {
    wx.answers.push(ok(catalogue));
    const page = await open('confirm/index', query);
    expect(page.data).toMatchObject({
      status: 'ready',
      serviceName: '妆容',
      storeName: '新天地店',
      when: '2030-01-02 11:00',
      price: '¥199',
      rule: '开始前 12 小时内不能自行取消或改约',
    });
    wx.answers.push(
      ok(visitor),
      ok({ appointment: appointment({ status: 'confirmed' }), needsStaffConfirmation: false, replayed: false }),
      ok({ appointmentId: 'ap1', reminderConsent: 'accept' }),
    );
    await run(page, 'submit');
    await settle();
    expect(subscribeAsked).toEqual([[TEMPLATE]]);
    expect(actions()).toEqual([
      'appointments.catalogue',
      'member.login',
      'appointments.book',
      'appointments.recordConsent',
    ]);
    const book = wx.calls[2]!.data;
    expect(book).toMatchObject({ storeId: 'st_a', serviceId: 'svc_makeup', start: query.start });
    expect(String(book.requestId)).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(wx.calls[3]!.data).toEqual({
      action: 'recordConsent',
      appointmentId: 'ap1',
      templateId: TEMPLATE,
      result: 'accept',
    });
    expect(page.data).toMatchObject({ done: true, resultText: '预约成功', submitting: false });
    run(page, 'openMine');
    expect(redirects).toEqual(['/packageAppointments/pages/mine/index']);
  });

  test('S14 a full slot shows the server message; trying again sends the same request id', async () => {
    wx.answers.push(ok(catalogue));
    const page = await open('confirm/index', query);
    wx.answers.push(ok(visitor), refused('SLOT_FULL', '该时段已约满'));
    await run(page, 'submit');
    await settle();
    expect(page.data).toMatchObject({ done: false, error: '该时段已约满，请选择其他时间', submitting: false });
    expect(wx.toasts).toEqual(['该时段已约满，请选择其他时间']);
    wx.answers.push(
      ok({ appointment: appointment(), needsStaffConfirmation: true, replayed: false }),
      ok({ appointmentId: 'ap1', reminderConsent: 'accept' }),
    );
    await run(page, 'submit');
    await settle();
    const books = wx.calls.filter((c) => c.data.action === 'book');
    expect(books).toHaveLength(2);
    expect(books[1]!.data.requestId).toBe(books[0]!.data.requestId);
    expect(page.data).toMatchObject({ done: true, resultText: '已提交，等待门店确认' });
  });
});

describe('mine', () => {
  test('S14 upcoming appointments with status; cancel asks first, then reloads', async () => {
    const soon = appointment({
      appointmentId: 'ap2',
      status: 'confirmed',
      changeableUntil: '2020-01-01T00:00:00.000Z',
    });
    wx.answers.push(ok(visitor), ok({ items: [appointment(), soon] }));
    const page = await open('mine/index');
    expect(
      page.data.items.map((c: { appointmentId: string; statusText: string; changeable: boolean; when: string }) => [
        c.appointmentId,
        c.statusText,
        c.changeable,
        c.when,
      ]),
    ).toEqual([
      ['ap1', '待确认', true, '2030-01-02 11:00'],
      ['ap2', '已确认', false, '2030-01-02 11:00'],
    ]);
    // past the member's cutoff: no call, a hint to call the store
    await run(page, 'cancel', { currentTarget: { dataset: { id: 'ap2' } } });
    expect(wx.toasts).toEqual(['已过可自行修改的时间，请联系门店']);
    modalAnswers.push(false);
    await run(page, 'cancel', { currentTarget: { dataset: { id: 'ap1' } } });
    expect(actions()).toEqual(['member.login', 'appointments.mine']);
    wx.answers.push(ok({ appointment: appointment({ status: 'cancelled' }) }), ok({ items: [soon] }));
    await run(page, 'cancel', { currentTarget: { dataset: { id: 'ap1' } } });
    expect(wx.calls[2]!.data).toEqual({ action: 'cancel', appointmentId: 'ap1' });
    expect(wx.toasts.at(-1)).toBe('已取消');
    expect(page.data.items.map((c: { appointmentId: string }) => c.appointmentId)).toEqual(['ap2']);
  });

  test('S14 reschedule opens the slot picker for that appointment; the past tab reads past ones; empty and error states', async () => {
    wx.answers.push(ok(visitor), ok({ items: [appointment()] }));
    const page = await open('mine/index');
    run(page, 'reschedule', { currentTarget: { dataset: { id: 'ap1' } } });
    expect(wx.navigations).toEqual([
      '/packageAppointments/pages/slots/index?service=svc_fit&store=st_a&appointment=ap1',
    ]);
    wx.answers.push(ok({ items: [] }));
    run(page, 'switchScope', { currentTarget: { dataset: { scope: 'past' } } });
    expect(page.data.status).toBe('loading');
    await settle();
    expect(wx.calls.at(-1)!.data).toEqual({ action: 'mine', scope: 'past' });
    expect(page.data.status).toBe('empty');
    wx.answers.push(refused('INTERNAL', '服务繁忙'));
    run(page, 'retry');
    await settle();
    expect(page.data).toMatchObject({ status: 'error', message: '服务繁忙，请稍后重试' });
  });
});

test('S14 the bookings tab lists the next three bookings with their status, and links to all of them', async () => {
  const items = [
    appointment({ appointmentId: 'ap1', status: 'requested' }),
    appointment({
      appointmentId: 'ap2',
      status: 'confirmed',
      date: '2030-01-05',
      startLocal: '14:00',
      serviceName: { zh: '妆容', en: 'Make-up' },
    }),
    appointment({ appointmentId: 'ap3', status: 'confirmed' }),
    appointment({ appointmentId: 'ap4', status: 'confirmed' }),
  ];
  wx.answers.push(ok(visitor), ok({ items }));
  const tab = openPage('pages/appointments/index');
  run(tab, 'onLoad', {});
  await settle();
  expect(wx.calls.at(-1)!.data).toEqual({ action: 'mine', scope: 'upcoming' });
  expect(tab.data.status).toBe('ready');
  expect(tab.data.rows.slice(0, 2)).toEqual([
    { id: 'ap1', title: '旗袍量体', store: '新天地店', when: '2030-01-02 11:00', status: '待确认', waiting: true },
    { id: 'ap2', title: '妆容', store: '新天地店', when: '2030-01-05 14:00', status: '已确认', waiting: false },
  ]);
  expect(tab.data.rows).toHaveLength(3);
  expect(tab.data.more).toBe(1);

  // back from booking, the list is read again
  wx.answers.push(ok({ items: [] }));
  run(tab, 'onShow');
  await settle();
  expect(tab.data.status).toBe('empty');
});

test('S14 the bookings tab leads into the booking package', async () => {
  wx.answers.push(ok(visitor));
  const tab = openPage('pages/appointments/index');
  run(tab, 'onLoad', {});
  await settle();
  run(tab, 'book');
  run(tab, 'openMine');
  expect(wx.navigations).toEqual([
    '/packageAppointments/pages/services/index',
    '/packageAppointments/pages/mine/index',
  ]);
  expect(tab.data.text.booking.bookCta).toBe('预约服务');
});
