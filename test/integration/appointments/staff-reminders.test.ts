import type { Emulator } from '../../../emulator/emulator';
import { seedDocuments } from '../../../emulator/seed';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { issueMemberCode } from '../../../core/identity/member-code';
import { MEMBER_CODE_SECRET, devSecret } from '../../../server/http/secrets';
import { OTHER_STORE, STAFF, STORE, seedBrand, seedMembers, setClock, sh, type Db } from './fixtures';

/** Reminders fired by the timer as the emulator clock moves, then the staff side: confirm, check-in, no-show, all audited. */
let emu: Emulator;
let db: Db;
let visitId: string;

beforeAll(async () => {
  // Tuesday 1 December 2026, 09:40 in Shanghai
  // only this function's timer fires as the clock moves (the messaging timers run every minute)
  emu = await testEmulator({ startAt: new Date('2026-12-01T01:40:00Z'), timerFunctions: ['appointments'] });
  ({ db } = connectSdk(emu));
  seedBrand(emu);
  seedDocuments(emu, {
    staff: [{ _id: 'staff_sz', openid: 'o_sz_advisor', name: '深圳顾问', role: 'advisor', storeIds: [OTHER_STORE] }],
  });
  seedMembers(emu, ['o_rem', 'o_ns', 'o_habit']);
});
afterAll(() => emu.close());

const reminders = async (appointmentId: string): Promise<string[]> =>
  (
    await db.collection('events').where({ type: 'appointment.reminder_due', 'data.appointmentId': appointmentId }).get()
  ).data
    .map((e: { data: { kind: string } }) => e.data.kind)
    .sort();

test('S14 reminders 24 h and 2 h before the visit are emitted once each as the clock moves', async () => {
  // Wednesday 10:00 Shanghai: the 24 h reminder is due at Tuesday 10:00, the 2 h one at Wednesday 08:00
  const booked = await as(emu, 'o_rem').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-02', '10:00'),
  });
  visitId = booked.appointment.appointmentId;

  const early = await setClock(emu, { advance: '15m' });
  expect(early.fired.filter((f) => f.fn === 'appointments').every((f) => f.ok)).toBe(true);
  expect(await reminders(visitId)).toEqual([]);
  await setClock(emu, { advance: '10m' });
  expect(await reminders(visitId)).toEqual(['24h']);
  await setClock(emu, { advance: '30m' });
  expect(await reminders(visitId)).toEqual(['24h']);

  const moved = await setClock(emu, { set: '2026-12-02T00:10:00Z' }); // 08:10 Wednesday
  expect(moved.fired.filter((f) => f.fn === 'appointments' && !f.ok)).toEqual([]);
  expect(await reminders(visitId)).toEqual(['24h', '2h']);
  await setClock(emu, { advance: '10m' });
  expect(await reminders(visitId)).toEqual(['24h', '2h']);
  const event = (
    await db
      .collection('events')
      .where({ type: 'appointment.reminder_due', 'data.appointmentId': visitId, 'data.kind': '2h' })
      .get()
  ).data[0];
  expect(event).toMatchObject({
    memberId: 'm_o_rem',
    data: { templateId: 'demo-tmpl-appointment-reminder', serviceId: 'svc_fit' },
  });
  expect(new Date(event.data.start).toISOString()).toBe(sh('2026-12-02', '10:00'));
});

test('S14 the booking page records the reminder consent through the server', async () => {
  const r = await as(emu, 'o_rem').ok('appointments', 'recordConsent', {
    appointmentId: visitId,
    templateId: 'demo-tmpl-appointment-reminder',
    result: 'accept',
  });
  expect(r.reminderConsent).toBe('accept');
  expect((await db.collection('appointments').doc(visitId).get()).data.reminderConsent).toBe('accept');
  const ev = (await db.collection('events').where({ type: 'message.subscribe_result', memberId: 'm_o_rem' }).get())
    .data;
  expect(ev).toHaveLength(1);
  expect(ev[0].data).toMatchObject({ templateId: 'demo-tmpl-appointment-reminder', result: 'accept' });
  const wrong = await as(emu, 'o_rem').call('appointments', 'recordConsent', {
    appointmentId: visitId,
    templateId: 'tmpl_other',
    result: 'accept',
  });
  expect(wrong).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('S14 staff confirm and check in, audited; members and staff of other stores are refused', async () => {
  expect(await as(emu, 'o_rem').call('appointments', 'confirm', { appointmentId: visitId })).toMatchObject({
    ok: false,
    error: { code: 'NOT_STAFF' },
  });
  expect(await as(emu, 'o_sz_advisor').call('appointments', 'confirm', { appointmentId: visitId })).toMatchObject({
    ok: false,
    error: { code: 'NOT_STAFF' },
  });

  const confirmed = await as(emu, STAFF.manager).ok('appointments', 'confirm', { appointmentId: visitId });
  expect(confirmed.appointment.status).toBe('confirmed');
  const again = await as(emu, STAFF.manager).call('appointments', 'confirm', { appointmentId: visitId });
  expect(again).toMatchObject({ ok: false, error: { code: 'APPOINTMENT_INVALID_TRANSITION' } });

  // 08:20, the visit is at 10:00: check-in opens an hour before
  expect(await as(emu, STAFF.advisor).call('appointments', 'checkIn', { appointmentId: visitId })).toMatchObject({
    ok: false,
    error: { code: 'CHECK_IN_TOO_EARLY' },
  });
  await setClock(emu, { advance: '45m' });
  const checked = await as(emu, STAFF.advisor).ok('appointments', 'checkIn', { appointmentId: visitId });
  expect(checked.appointment.status).toBe('checked_in');

  const trail = (
    await db
      .collection('audit_log')
      .where({ target: `appointments/${visitId}` })
      .orderBy('at', 'asc')
      .get()
  ).data;
  expect(
    trail.map(
      (e: { who: string; role: string; action: string; before: { status: string }; after: { status: string } }) => [
        e.who,
        e.role,
        e.action,
        e.before.status,
        e.after.status,
      ],
    ),
  ).toEqual([
    ['staff_manager_sh', 'store_manager', 'appointment.confirm', 'requested', 'confirmed'],
    ['staff_advisor_sh', 'advisor', 'appointment.check_in', 'confirmed', 'checked_in'],
  ]);
  const types = (await db.collection('events').where({ 'data.appointmentId': visitId }).get()).data.map(
    (e: { type: string }) => e.type,
  );
  expect(types).toEqual(
    expect.arrayContaining(['appointment.requested', 'appointment.confirmed', 'appointment.checked_in']),
  );
});

test('S14 staff mark a no-show only after the start; the day schedule shows every appointment', async () => {
  const slot = sh('2026-12-02', '10:00');
  const ns = await as(emu, 'o_ns').ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_hot', start: slot });
  const id = ns.appointment.appointmentId;
  expect(await as(emu, STAFF.manager).call('appointments', 'markNoShow', { appointmentId: id })).toMatchObject({
    ok: false,
    error: { code: 'NO_SHOW_TOO_EARLY' },
  });
  await setClock(emu, { set: '2026-12-02T02:30:00Z' }); // 10:30
  const marked = await as(emu, STAFF.manager).ok('appointments', 'markNoShow', { appointmentId: id, reason: '未到店' });
  expect(marked.appointment.status).toBe('no_show');
  const entry = (
    await db
      .collection('audit_log')
      .where({ target: `appointments/${id}` })
      .get()
  ).data;
  expect(entry).toHaveLength(1);
  expect(entry[0]).toMatchObject({
    who: 'staff_manager_sh',
    action: 'appointment.no_show',
    before: { status: 'confirmed' },
    after: { status: 'no_show' },
    reason: '未到店',
  });

  await db
    .collection('members')
    .doc('m_o_rem')
    .update({ data: { name: '林小姐', phone: '13800001234', cardNo: '8800 0000 0001' } });
  const day = await as(emu, STAFF.manager).ok('appointments', 'schedule', { storeId: STORE, date: '2026-12-02' });
  expect(day.items.map((a) => [a.appointmentId, a.status])).toEqual(
    expect.arrayContaining([
      [visitId, 'checked_in'],
      [id, 'no_show'],
    ]),
  );
  // staff see who is coming: name, masked phone and card number (the member has no name: null)
  expect(day.items.find((a) => a.appointmentId === visitId)!.member).toEqual({
    name: '林小姐',
    phoneMasked: '138****1234',
    cardNo: '8800 0000 0001',
  });
  expect(day.items.find((a) => a.appointmentId === id)!.member).toMatchObject({ name: null });
  expect(
    await as(emu, 'o_sz_advisor').call('appointments', 'schedule', { storeId: STORE, date: '2026-12-02' }),
  ).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
});

test('S14 staff check a member in by scanning the rotating member code', async () => {
  // 10:30 Wednesday; the card holder has a fitting at 11:00 today
  seedMembers(emu, ['o_scan']);
  seedDocuments(emu, {
    identities: [{ _id: 'card:88000077', type: 'card', value: '88000077', memberId: 'm_o_scan', linkedAt: new Date() }],
  });
  const booked = await as(emu, 'o_scan').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-02', '11:00'),
  });
  const now = new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now);
  const secret = devSecret(MEMBER_CODE_SECRET);
  const stale = issueMemberCode('88000077', new Date(now.getTime() - 10 * 60_000), secret).code;
  expect(
    await as(emu, STAFF.advisor).call('appointments', 'checkIn', { memberCode: stale, storeId: STORE }),
  ).toMatchObject({ ok: false, error: { code: 'MEMBER_CODE_EXPIRED' } });
  const code = issueMemberCode('88000077', now, secret).code;
  expect(
    await as(emu, STAFF.advisor).call('appointments', 'checkIn', { memberCode: `${code}x`, storeId: STORE }),
  ).toMatchObject({ ok: false, error: { code: 'MEMBER_CODE_INVALID' } });
  expect(
    await as(emu, 'o_sz_advisor').call('appointments', 'checkIn', { memberCode: code, storeId: STORE }),
  ).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
  const r = await as(emu, STAFF.advisor).ok('appointments', 'checkIn', { memberCode: code, storeId: STORE });
  expect(r.appointment).toMatchObject({ appointmentId: booked.appointment.appointmentId, status: 'checked_in' });
  // nothing left to check in today
  expect(
    await as(emu, STAFF.advisor).call('appointments', 'checkIn', { memberCode: code, storeId: STORE }),
  ).toMatchObject({ ok: false, error: { code: 'APPOINTMENT_NOT_FOUND' } });
});

test('S14 only managers move or cancel an appointment for a member, and it is audited', async () => {
  seedMembers(emu, ['o_staffmove']);
  const booked = await as(emu, 'o_staffmove').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-03', '14:00'),
  });
  const id = booked.appointment.appointmentId;
  expect(
    await as(emu, STAFF.advisor).call('appointments', 'staffReschedule', {
      appointmentId: id,
      start: sh('2026-12-03', '16:00'),
    }),
  ).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
  const moved = await as(emu, STAFF.manager).ok('appointments', 'staffReschedule', {
    appointmentId: id,
    start: sh('2026-12-03', '16:00'),
    reason: '顾问调班',
  });
  expect(moved.appointment).toMatchObject({ status: 'confirmed', start: sh('2026-12-03', '16:00') });
  const cancelled = await as(emu, STAFF.manager).ok('appointments', 'staffCancel', {
    appointmentId: id,
    reason: '门店临时闭店',
  });
  expect(cancelled.appointment.status).toBe('cancelled');
  const trail = (
    await db
      .collection('audit_log')
      .where({ target: `appointments/${id}` })
      .orderBy('at', 'asc')
      .get()
  ).data;
  expect(trail.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
    ['appointment.reschedule', '顾问调班'],
    ['appointment.cancel', '门店临时闭店'],
  ]);
  expect(
    (
      await db
        .collection('slot_counts')
        .doc(`${STORE}:svc_fit:${sh('2026-12-03', '16:00')}`)
        .get()
    ).data.booked,
  ).toBe(0);
});

test("S14 after three no-shows a member's bookings wait for staff, even for a service that confirms itself", async () => {
  const starts = ['11:00', '13:00', '15:00'].map((t) => sh('2026-12-04', t));
  const ids: string[] = [];
  for (const start of starts) {
    const r = await as(emu, 'o_habit').ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_hot', start });
    expect(r).toMatchObject({ needsStaffConfirmation: false, appointment: { status: 'confirmed' } });
    ids.push(r.appointment.appointmentId);
  }
  await setClock(emu, { set: '2026-12-04T08:00:00Z' }); // 16:00 Friday: all three have started, nobody came
  for (const appointmentId of ids) await as(emu, STAFF.manager).ok('appointments', 'markNoShow', { appointmentId });
  const r = await as(emu, 'o_habit').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_hot',
    start: sh('2026-12-05', '11:00'),
  });
  expect(r).toMatchObject({ needsStaffConfirmation: true, appointment: { status: 'requested' } });
});
