import {
  cancelAppointment,
  checkInAppointment,
  confirmAppointment,
  createAppointment,
  decideBooking,
  markNoShow,
  openingHoursSchema,
  parseNoShowRule,
  remindersFor,
  rescheduleAppointment,
  serviceSchema,
  slotsForDay,
  type Actor,
  type Appointment,
  type BookingContext,
  type ServiceInput,
} from '../../../core/appointments';
import { codeOf } from '../../support/error-code';

const HOUR = 3_600_000;
const svc = (patch: Partial<ServiceInput> = {}) =>
  serviceSchema.parse({
    serviceId: 'makeup',
    name: { zh: '专业彩妆' },
    durationMinutes: 60,
    slotStepMinutes: 30,
    capacityPerSlot: 3,
    bookingWindowDays: 7,
    cancellationCutoffHours: 24,
    requiredSkills: ['makeup'],
    ...patch,
  });
const open = [{ open: '10:00', close: '18:00' }];
const hours = openingHoursSchema.parse({
  weekly: { mon: open, tue: open, wed: open, thu: open, fri: open, sat: open, sun: open },
});
/** Local Shanghai instant. */
const sh = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`);
const NOW = sh('2025-03-10', '23:30'); // Monday night, local
const member: Actor = { kind: 'member', memberId: 'm1' };
const staff: Actor = { kind: 'staff', staffId: 's1' };
const ctx = (patch: Partial<BookingContext> = {}): BookingContext => ({
  service: svc(),
  hours,
  now: NOW,
  bookedCount: 0,
  memberAppointments: [],
  noShows: [],
  noShowRule: parseNoShowRule(),
  ...patch,
});
const book = (startAt: Date, c: BookingContext = ctx(), by: Actor = member) =>
  createAppointment(
    { appointmentId: 'a1', memberId: 'm1', storeId: 'st1' },
    c.service.serviceId,
    decideBooking({ startAt }, c),
    by,
    c.now,
  ).appointment;

describe('S14 booking decisions', () => {
  it('S14 bad requests get their own codes', () => {
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-10', '17:00') }, ctx()))).toBe('SLOT_IN_PAST');
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-11', '10:15') }, ctx()))).toBe('SLOT_NOT_ALIGNED');
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-11', '17:30') }, ctx()))).toBe('SLOT_NOT_ALIGNED'); // would end after closing
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-11', '10:00') }, ctx({ bookedCount: 3 })))).toBe(
      'SLOT_FULL',
    );
    expect(decideBooking({ startAt: sh('2025-03-11', '10:00') }, ctx({ bookedCount: 2 })).slot.capacity).toBe(3);
    expect(
      codeOf(() =>
        decideBooking({ startAt: sh('2025-03-11', '10:00'), advisor: { staffId: 'x', skills: ['nails'] } }, ctx()),
      ),
    ).toBe('ADVISOR_LACKS_SKILL');
  });

  it('S14 the booking window counts local dates: at 23:30 Monday, next Monday is day 7 and bookable, Tuesday is not; after local midnight it moves', () => {
    expect(decideBooking({ startAt: sh('2025-03-17', '17:00') }, ctx()).slot.date).toBe('2025-03-17');
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-18', '10:00') }, ctx()))).toBe('SLOT_OUTSIDE_WINDOW');
    // One hour later it is already Tuesday in Shanghai (still Monday 16:30 in UTC): the window moves by a local day.
    const afterMidnight = sh('2025-03-11', '00:30');
    expect(afterMidnight.toISOString().slice(0, 10)).toBe('2025-03-10');
    expect(decideBooking({ startAt: sh('2025-03-18', '10:00') }, ctx({ now: afterMidnight })).slot.date).toBe(
      '2025-03-18',
    );
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-19', '10:00') }, ctx({ now: afterMidnight })))).toBe(
      'SLOT_OUTSIDE_WINDOW',
    );
  });

  it('S14 a member cannot hold two overlapping appointments, in any store or service; touching ones are fine', () => {
    const mine = [
      {
        appointmentId: 'x',
        start: sh('2025-03-11', '10:30'),
        end: sh('2025-03-11', '11:30'),
        status: 'confirmed' as const,
      },
    ];
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-11', '11:00') }, ctx({ memberAppointments: mine })))).toBe(
      'APPOINTMENT_OVERLAP',
    );
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-11', '10:00') }, ctx({ memberAppointments: mine })))).toBe(
      'APPOINTMENT_OVERLAP',
    );
    expect(
      decideBooking({ startAt: sh('2025-03-11', '11:30') }, ctx({ memberAppointments: mine })).slot.startLocal,
    ).toBe('11:30');
    expect(
      decideBooking(
        { startAt: sh('2025-03-11', '11:00') },
        ctx({ memberAppointments: [{ ...mine[0]!, status: 'cancelled' }] }),
      ).slot.startLocal,
    ).toBe('11:00');
    expect(
      decideBooking(
        { startAt: sh('2025-03-11', '11:00') },
        ctx({ memberAppointments: mine, excludeAppointmentId: 'x' }),
      ).slot.startLocal,
    ).toBe('11:00');
  });

  it('S14 auto-confirm services confirm at once unless the no-show rule asks for staff', () => {
    const auto = ctx({ service: svc({ autoConfirm: true }) });
    const at = sh('2025-03-12', '14:00');
    expect(decideBooking({ startAt: at }, ctx())).toMatchObject({ status: 'requested', needsStaffConfirmation: false });
    expect(decideBooking({ startAt: at }, auto)).toMatchObject({ status: 'confirmed', needsStaffConfirmation: false });
    const three = [1, 2, 3].map((d) => new Date(NOW.getTime() - d * 30 * 24 * HOUR));
    expect(decideBooking({ startAt: at }, { ...auto, noShows: three.slice(0, 2) }).status).toBe('confirmed');
    expect(decideBooking({ startAt: at }, { ...auto, noShows: three })).toMatchObject({
      status: 'requested',
      needsStaffConfirmation: true,
    });
    expect(
      decideBooking({ startAt: at }, { ...auto, noShows: three, noShowRule: parseNoShowRule({ windowDays: 70 }) })
        .status,
    ).toBe('confirmed');
    expect(
      decideBooking({ startAt: at }, { ...auto, noShows: three, noShowRule: parseNoShowRule({ threshold: null }) })
        .status,
    ).toBe('confirmed');
  });
});

describe('S14 appointment states', () => {
  const start = sh('2025-03-13', '15:00');
  const requested = (): Appointment => book(start);

  it('S14 requested → confirmed by staff → checked in; each step is an event and a history entry', () => {
    const a = requested();
    expect(a).toMatchObject({ status: 'requested', date: '2025-03-13', start, end: sh('2025-03-13', '16:00') });
    expect(codeOf(() => confirmAppointment(a, member, NOW))).toBe('FORBIDDEN');
    const c = confirmAppointment(a, staff, NOW);
    expect(c.events).toEqual([
      { type: 'appointment.confirmed', appointmentId: 'a1', memberId: 'm1', at: NOW, by: staff },
    ]);
    expect(codeOf(() => checkInAppointment(c.appointment, staff, sh('2025-03-13', '13:59')))).toBe(
      'CHECK_IN_TOO_EARLY',
    );
    const ci = checkInAppointment(c.appointment, staff, sh('2025-03-13', '14:50')).appointment;
    expect(ci.status).toBe('checked_in');
    expect(ci.history.map((h) => `${h.action}:${h.from}->${h.to}`)).toEqual([
      'book:null->requested',
      'confirm:requested->confirmed',
      'check_in:confirmed->checked_in',
    ]);
    expect(codeOf(() => cancelAppointment(ci, staff, svc(), sh('2025-03-13', '15:10')))).toBe(
      'APPOINTMENT_INVALID_TRANSITION',
    );
  });

  it('S14 an auto-confirmed booking records both steps and emits both events', () => {
    const c = ctx({ service: svc({ autoConfirm: true }) });
    const change = createAppointment(
      { appointmentId: 'a2', memberId: 'm1', storeId: 'st1' },
      'makeup',
      decideBooking({ startAt: start }, c),
      member,
      NOW,
    );
    expect(change.events.map((e) => e.type)).toEqual(['appointment.requested', 'appointment.confirmed']);
    expect(change.appointment.status).toBe('confirmed');
  });

  it('S14 a member cancels until 24 h before; after that only staff can', () => {
    const a = confirmAppointment(requested(), staff, NOW).appointment;
    expect(cancelAppointment(a, member, svc(), new Date(start.getTime() - 24 * HOUR)).appointment.status).toBe(
      'cancelled',
    );
    expect(codeOf(() => cancelAppointment(a, member, svc(), new Date(start.getTime() - 24 * HOUR + 1)))).toBe(
      'CANCEL_TOO_LATE',
    );
    expect(codeOf(() => cancelAppointment(a, { kind: 'member', memberId: 'm2' }, svc(), NOW))).toBe('FORBIDDEN');
    const byStaff = cancelAppointment(a, staff, svc(), new Date(start.getTime() - HOUR), '顾客来电取消');
    expect(byStaff.appointment.history.at(-1)).toMatchObject({ action: 'cancel', by: staff, reason: '顾客来电取消' });
  });

  it('S14 no-show only once the slot has started; the system may mark it', () => {
    const a = requested();
    expect(codeOf(() => markNoShow(a, staff, new Date(start.getTime() - 1)))).toBe('NO_SHOW_TOO_EARLY');
    expect(markNoShow(a, { kind: 'system' }, new Date(start.getTime() + HOUR)).appointment.status).toBe('no_show');
    expect(codeOf(() => markNoShow(a, member, new Date(start.getTime() + HOUR)))).toBe('FORBIDDEN');
  });

  it('S14 reschedule moves the appointment, keeps the old slot in history, and is bound by the cutoff for members', () => {
    const a = confirmAppointment(requested(), staff, NOW).appointment;
    const newStart = sh('2025-03-14', '11:00');
    const decision = decideBooking({ startAt: newStart }, ctx({ memberAppointments: [a], excludeAppointmentId: 'a1' }));
    const byMember = rescheduleAppointment(a, decision, member, svc(), NOW).appointment;
    expect(byMember).toMatchObject({
      status: 'requested',
      date: '2025-03-14',
      start: newStart,
      end: sh('2025-03-14', '12:00'),
    });
    expect(byMember.history.at(-1)).toMatchObject({
      action: 'reschedule',
      from: 'confirmed',
      to: 'requested',
      previousStart: start,
      previousEnd: sh('2025-03-13', '16:00'),
      start: newStart,
    });
    expect(byMember.history).toHaveLength(3);
    expect(rescheduleAppointment(a, decision, staff, svc(), NOW).appointment.status).toBe('confirmed');
    expect(codeOf(() => rescheduleAppointment(a, decision, member, svc(), new Date(start.getTime() - HOUR)))).toBe(
      'RESCHEDULE_TOO_LATE',
    );
    // Without excluding itself, the member's own appointment would block an overlapping new slot.
    expect(codeOf(() => decideBooking({ startAt: sh('2025-03-13', '15:30') }, ctx({ memberAppointments: [a] })))).toBe(
      'APPOINTMENT_OVERLAP',
    );
  });

  it('S14 reminders 24 h and 2 h before; those already past at booking time are left out; a reschedule gets new keys', () => {
    const a = requested();
    expect(remindersFor(a, NOW)).toEqual([
      { appointmentId: 'a1', kind: '24h', at: sh('2025-03-12', '15:00'), start, key: `a1:${start.toISOString()}:24h` },
      { appointmentId: 'a1', kind: '2h', at: sh('2025-03-13', '13:00'), start, key: `a1:${start.toISOString()}:2h` },
    ]);
    expect(remindersFor(a, sh('2025-03-13', '12:00')).map((r) => r.kind)).toEqual(['2h']);
    expect(remindersFor(a, sh('2025-03-13', '13:00'))).toEqual([]);
    const moved = { ...a, start: sh('2025-03-14', '11:00') };
    expect(remindersFor(moved, NOW).map((r) => r.key)).not.toContain(remindersFor(a, NOW)[0]!.key);
  });

  it('S14 capacity: booking one slot in turn, with the count of active bookings, admits exactly its capacity', () => {
    const slot = slotsForDay(svc(), hours, '2025-03-12')[0]!;
    let booked = 0;
    const outcomes = Array.from({ length: 10 }, () => {
      const code = codeOf(() => decideBooking({ startAt: slot.start }, ctx({ bookedCount: booked })));
      if (!code) booked++;
      return code ?? 'ok';
    });
    expect(outcomes.filter((o) => o === 'ok')).toHaveLength(3);
    expect(outcomes.filter((o) => o === 'SLOT_FULL')).toHaveLength(7);
  });
});
