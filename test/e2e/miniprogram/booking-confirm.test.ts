import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';

/**
 * S10 booking flow across two people: a member books a service that needs the store's
 * confirmation, the store's advisor confirms it on the staff schedule, the member sees it
 * confirmed. The real pages in Chromium against the emulator; screenshots at each step.
 */

jest.setTimeout(180_000);

const app = usePreview({ persona: 'member' });

type Page = AppPage;
const SERVICE = 'svc_qipao_fitting'; // the demo brand's fitting: autoConfirm false, so the store confirms it
const STORE = 'store_sh_xintiandi';

const text = async (page: Page, selector: string) =>
  fresh(async () => ((await (await page.$(selector))?.text()) ?? '').replace(/\s+/g, ' ').trim());

interface Row {
  appointmentId: string;
  time: string;
  status: string;
  statusText: string;
}

test('S10 booking: a member books, staff confirms, the member sees it confirmed', async () => {
  // 1. the member books the fitting: appointments tab → services → store and slot → confirm
  await app.settled('pages/home/index');
  await app.mp.switchTab('/pages/appointments/index');
  const tab = await app.settled('pages/appointments/index');
  await fresh(async () => (await tab.$('#book'))!.tap());
  const services = await app.settled('packageAppointments/pages/services/index');
  expect(await services.data('status')).toBe('ready');
  await app.h.screenshot('booking-01-services');
  await (await services.$(`#service-${SERVICE}`))!.trigger('click', {});

  const slots = await app.settled('packageAppointments/pages/slots/index');
  expect(await slots.data('storeId')).toBe(STORE);
  const cells = (await slots.data('slots')) as { start: string; full: boolean; startLocal: string }[];
  const free = cells.findIndex((s) => !s.full);
  expect(free).toBeGreaterThanOrEqual(0);
  await app.h.screenshot('booking-02-slots');
  await (await slots.$$('.slot'))[free]!.tap();

  const confirm = await app.settled('packageAppointments/pages/confirm/index');
  const when = String(await confirm.data('when'));
  const [date, time] = when.split(' ');
  expect(date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(await text(confirm, '#when')).toBe(when);
  await fresh(async () => (await confirm.$('#submit'))!.tap());
  await eventually(async () => expect(await confirm.data('done')).toBe(true), 15_000);
  expect(await text(confirm, '#result')).toBe('已提交，等待门店确认');
  await app.h.screenshot('booking-03-requested');
  const booked = app.h.emulator.runtime
    .invocations(200)
    .find((i) => (i.input as { action?: string }).action === 'book' && i.ok);
  const appointmentId = (booked!.result as { data: { appointment: { appointmentId: string; status: string } } }).data
    .appointment.appointmentId;
  expect((booked!.result as { data: { appointment: { status: string } } }).data.appointment.status).toBe('requested');

  // 2. the advisor of the store opens the schedule of that day and confirms it
  await app.h.relaunch('staff');
  await app.settled('pages/me/index');
  await app.mp.navigateTo(`/packageAdmin/pages/schedule/index?date=${date}`);
  const schedule = await app.settled('packageAdmin/pages/schedule/index');
  expect(await schedule.data('status')).toBe('ready');
  expect(await schedule.data('storeId')).toBe(STORE);
  const rows = (await schedule.data('rows')) as Row[];
  expect(rows.find((r) => r.appointmentId === appointmentId)).toMatchObject({
    time,
    status: 'requested',
    statusText: '待确认',
  });
  expect(await text(schedule, `#status-${appointmentId}`)).toBe('待确认');
  // an advisor confirms, checks in and marks no-shows; rescheduling and cancelling are for managers
  expect(await schedule.$(`#confirm-${appointmentId}`)).not.toBeNull();
  expect(await schedule.$(`#move-${appointmentId}`)).toBeNull();
  expect(await schedule.$(`#cancel-${appointmentId}`)).toBeNull();
  await app.h.screenshot('booking-04-staff-schedule');

  await app.mp.mockWxMethod('showModal', { confirm: true, cancel: false });
  await fresh(async () => (await schedule.$(`#confirm-${appointmentId}`))!.tap());
  await eventually(async () => expect(await text(schedule, `#status-${appointmentId}`)).toBe('已确认'), 15_000);
  await app.mp.restoreWxMethod('showModal');
  const confirmed = app.h.emulator.runtime
    .invocations(200)
    .find((i) => (i.input as { action?: string }).action === 'confirm');
  expect(confirmed).toMatchObject({ fn: 'appointments', openid: 'o_demo_advisor', ok: true });
  expect(confirmed!.input).toMatchObject({ action: 'confirm', appointmentId });
  expect(await schedule.$(`#confirm-${appointmentId}`)).toBeNull();
  await app.h.screenshot('booking-05-staff-confirmed');

  // 3. the member's "my appointments" shows it confirmed
  await app.h.relaunch('member');
  await app.settled('pages/home/index');
  await app.mp.switchTab('/pages/appointments/index');
  const tabAgain = await app.settled('pages/appointments/index');
  await fresh(async () => (await tabAgain.$('#open-mine'))!.tap());
  const mine = await app.settled('packageAppointments/pages/mine/index');
  expect(await text(mine, '.page-title')).toBe('我的预约');
  const items = (await mine.data('items')) as { appointmentId: string; statusText: string; when: string }[];
  expect(items.find((i) => i.appointmentId === appointmentId)).toMatchObject({ statusText: '已确认', when });
  expect(await text(mine, `#appointment-${appointmentId}`)).toContain('已确认');
  await app.h.screenshot('booking-06-member-sees-confirmed');
});
