import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { seedDocuments } from '../../../emulator/seed';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { HOLIDAY, NIGHT_STORE, STORE, T0, count, seedBrand, seedMembers, sh, type Db } from './fixtures';

/** appointments.book / cancel / reschedule / availability through the emulator: the built function, the real SDK. */
let emu: Emulator;
let db: Db;

beforeAll(async () => {
  emu = await testEmulator({ maxInstancesPerFunction: 8, startAt: T0 });
  ({ db } = connectSdk(emu));
  seedBrand(emu);
});
afterAll(() => emu.close());

const slotCount = async (serviceId: string, start: string, storeId = STORE): Promise<number> =>
  ((await db.collection('slot_counts').doc(`${storeId}:${serviceId}:${start}`).get()).data?.booked as
    number | undefined) ?? 0;

test('S14 50 concurrent bookings of a slot with capacity 3: 3 are booked, 47 get SLOT_FULL', async () => {
  const openids = Array.from({ length: 50 }, (_, i) => `o_rush_${i}`);
  seedMembers(emu, openids);
  const start = sh('2026-12-03', '15:00');
  const results = await Promise.all(
    openids.map((o) => as(emu, o).call('appointments', 'book', { storeId: STORE, serviceId: 'svc_hot', start })),
  );
  const booked = results.filter((r) => r.ok);
  const refused = results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.error.code));
  expect(booked).toHaveLength(3);
  expect(refused).toHaveLength(47);
  expect(new Set(refused)).toEqual(new Set(['SLOT_FULL']));
  // the service confirms automatically
  expect(booked.map((r) => (r.ok ? r.data.appointment.status : ''))).toEqual(['confirmed', 'confirmed', 'confirmed']);
  expect(await count(db, 'appointments', { serviceId: 'svc_hot', start: new Date(start) })).toBe(3);
  expect(await slotCount('svc_hot', start)).toBe(3);
  const day = await as(emu, 'o_rush_0').ok('appointments', 'availability', {
    storeId: STORE,
    serviceId: 'svc_hot',
    from: '2026-12-03',
  });
  expect(day.days[0]!.slots.find((s) => s.start === start)).toMatchObject({ capacity: 3, remaining: 0 });
});

test('S14 a member cannot hold two overlapping appointments, even when booking both at once', async () => {
  seedMembers(emu, ['o_ovl', 'o_ovl2']);
  const me = as(emu, 'o_ovl');
  await me.ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_fit', start: sh('2026-12-04', '14:00') });
  const clash = await me.call('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_hot',
    start: sh('2026-12-04', '14:30'),
  });
  expect(clash).toMatchObject({ ok: false, error: { code: 'APPOINTMENT_OVERLAP' } });
  // touching is fine
  await me.ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_hot', start: sh('2026-12-04', '15:00') });

  const both = await Promise.all([
    as(emu, 'o_ovl2').call('appointments', 'book', {
      storeId: STORE,
      serviceId: 'svc_fit',
      start: sh('2026-12-04', '11:00'),
    }),
    as(emu, 'o_ovl2').call('appointments', 'book', {
      storeId: STORE,
      serviceId: 'svc_hot',
      start: sh('2026-12-04', '11:30'),
    }),
  ]);
  expect(both.filter((r) => r.ok)).toHaveLength(1);
  expect(both.find((r) => !r.ok)).toMatchObject({ ok: false, error: { code: 'APPOINTMENT_OVERLAP' } });
  expect(await count(db, 'appointments', { memberId: 'm_o_ovl2' })).toBe(1);
});

test('S14 a member cancels before the cutoff (the place is freed), not after it', async () => {
  seedMembers(emu, ['o_cxl']);
  const me = as(emu, 'o_cxl');
  // svc_fit: cutoff 24 h. Today 16:00 is 6 hours away; Saturday is days away.
  const soon = await me.ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-01', '16:00'),
  });
  const late = await me.call('appointments', 'cancel', { appointmentId: soon.appointment.appointmentId });
  expect(late).toMatchObject({ ok: false, error: { code: 'CANCEL_TOO_LATE' } });
  expect(await slotCount('svc_fit', sh('2026-12-01', '16:00'))).toBe(1);
  expect((await db.collection('appointments').doc(soon.appointment.appointmentId).get()).data.status).toBe('requested');

  const later = await me.ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-05', '10:00'),
  });
  const done = await me.ok('appointments', 'cancel', {
    appointmentId: later.appointment.appointmentId,
    reason: '行程有变',
  });
  expect(done.appointment.status).toBe('cancelled');
  expect(await slotCount('svc_fit', sh('2026-12-05', '10:00'))).toBe(0);
  const types = (await db.collection('events').where({ memberId: 'm_o_cxl' }).get()).data.map(
    (e: { type: string }) => e.type,
  );
  expect(types.filter((t: string) => t === 'appointment.cancelled')).toHaveLength(1);
  // someone else's appointment is not found for this member
  seedMembers(emu, ['o_nosy']);
  expect(
    await as(emu, 'o_nosy').call('appointments', 'cancel', { appointmentId: soon.appointment.appointmentId }),
  ).toMatchObject({ ok: false, error: { code: 'APPOINTMENT_NOT_FOUND' } });
});

test('S14 rescheduling frees the old slot, takes the new one and keeps the history', async () => {
  seedMembers(emu, ['o_move', 'o_fill']);
  const me = as(emu, 'o_move');
  const from = sh('2026-12-07', '11:00');
  const to = sh('2026-12-07', '13:00');
  const first = await me.ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_fit', start: from });
  const moved = await me.ok('appointments', 'reschedule', {
    appointmentId: first.appointment.appointmentId,
    start: to,
  });
  expect(moved.appointment).toMatchObject({ start: to, status: 'requested', startLocal: '13:00' });
  expect(moved.appointment.history.map((h) => h.action)).toEqual(['book', 'reschedule']);
  expect(moved.appointment.history[1]!.previousStart).toBe(from);
  expect(await slotCount('svc_fit', from)).toBe(0);
  expect(await slotCount('svc_fit', to)).toBe(1);
  // the freed time is free in the member's diary too: booking it again works
  await me.ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_hot', start: from });
  // a full slot cannot be moved into
  await as(emu, 'o_fill').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-07', '15:00'),
  });
  seedMembers(emu, ['o_fill2']);
  await as(emu, 'o_fill2').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-07', '15:00'),
  });
  const full = await me.call('appointments', 'reschedule', {
    appointmentId: first.appointment.appointmentId,
    start: sh('2026-12-07', '15:00'),
  });
  expect(full).toMatchObject({ ok: false, error: { code: 'SLOT_FULL' } });
  expect(await slotCount('svc_fit', to)).toBe(1);
  const events = (await db.collection('events').where({ memberId: 'm_o_move', type: 'appointment.rescheduled' }).get())
    .data;
  expect(events).toHaveLength(1);
});

test('S14 slots follow the brand time zone around midnight, and a holiday has none', async () => {
  seedMembers(emu, ['o_tz']);
  const me = as(emu, 'o_tz');
  // the night store opens 20:00–02:00 Shanghai: the business day of 2 December runs into the morning of the 3rd
  const night = await me.ok('appointments', 'availability', {
    storeId: NIGHT_STORE,
    serviceId: 'svc_late',
    from: '2026-12-02',
  });
  expect(night.timeZone).toBe('Asia/Shanghai');
  expect(night.days[0]!.slots.map((s) => s.startLocal)).toEqual(['20:00', '21:00', '22:00', '23:00', '00:00', '01:00']);
  expect(night.days[0]!.slots[4]!.start).toBe('2026-12-02T16:00:00.000Z'); // 00:00 on the 3rd in Shanghai, still the 2nd in UTC
  const after = await me.ok('appointments', 'book', {
    storeId: NIGHT_STORE,
    serviceId: 'svc_late',
    start: '2026-12-02T16:00:00.000Z',
  });
  expect(after.appointment).toMatchObject({ date: '2026-12-02', startLocal: '00:00' });

  const month = await me.ok('appointments', 'availability', {
    storeId: STORE,
    serviceId: 'svc_fit',
    from: '2026-12-20',
    days: 10,
  });
  const holiday = month.days.find((d) => d.date === HOLIDAY)!;
  expect(holiday).toEqual({ date: HOLIDAY, open: false, slots: [] });
  expect(month.days.find((d) => d.date === '2026-12-24')!.slots[0]!.startLocal).toBe('10:00');
  const closed = await me.call('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh(HOLIDAY, '10:00'),
  });
  expect(closed).toMatchObject({ ok: false, error: { code: 'STORE_CLOSED' } });
});

test('S14 a month of availability costs at most 2 database calls', async () => {
  seedMembers(emu, ['o_month']);
  const month = await as(emu, 'o_month').ok('appointments', 'availability', {
    storeId: STORE,
    serviceId: 'svc_hot',
    from: '2026-12-01',
    days: 31,
  });
  expect(month.days).toHaveLength(31);
  const inv = emu.runtime.invocations(1, 'appointments')[0]!;
  expect(inv.dbCalls).toBeLessThanOrEqual(2);
  // the clock started at 10:00 and has moved on a little: today's 10:00 slot is no longer offered
  expect(month.days[0]!.slots[0]!.startLocal).toBe('10:30');
  expect(month.days[1]!.slots[0]!.startLocal).toBe('10:00');
});

test('S14 bad input gets a clear error and writes nothing', async () => {
  seedMembers(emu, ['o_bad']);
  const me = as(emu, 'o_bad');
  const before = await Promise.all(['appointments', 'slot_counts', 'events', 'member_slots'].map((c) => count(db, c)));
  const cases: [Record<string, unknown>, string][] = [
    [{ serviceId: 'svc_fit', start: sh('2026-11-30', '10:00') }, 'SLOT_IN_PAST'],
    [{ serviceId: 'svc_nope', start: sh('2026-12-10', '10:00') }, 'SERVICE_NOT_FOUND'],
    [{ serviceId: 'svc_retired', start: sh('2026-12-10', '10:00') }, 'SERVICE_NOT_FOUND'],
    [{ serviceId: 'svc_fit', start: sh('2026-12-10', '10:20') }, 'SLOT_NOT_ALIGNED'],
    [{ serviceId: 'svc_fit', start: sh('2026-12-10', '21:30') }, 'SLOT_NOT_ALIGNED'],
    [{ serviceId: 'svc_fit', start: sh('2027-03-10', '10:00') }, 'SLOT_OUTSIDE_WINDOW'],
    [{ serviceId: 'svc_late', start: sh('2026-12-10', '20:00') }, 'SERVICE_NOT_AT_STORE'],
    [{ serviceId: 'svc_fit', start: '2026-12-10 10:00' }, 'INVALID_INPUT'],
    [{ serviceId: 'svc_fit', start: sh('2026-12-10', '10:00'), memberId: 'm_other' }, 'INVALID_INPUT'],
  ];
  for (const [input, code] of cases) {
    const r = await me.raw('appointments', { action: 'book', storeId: STORE, ...input });
    expect({ input, result: r.result }).toMatchObject({ input, result: { ok: false, error: { code } } });
    expect((r.result as { error: { message: string } }).error.message.length).toBeGreaterThan(3);
  }
  const after = await Promise.all(['appointments', 'slot_counts', 'events', 'member_slots'].map((c) => count(db, c)));
  expect(after).toEqual(before);
});

test('S14 a retried booking with the same request id is booked once', async () => {
  seedMembers(emu, ['o_retry']);
  const input = { storeId: STORE, serviceId: 'svc_fit', start: sh('2026-12-09', '10:00'), requestId: 'req_retry_0001' };
  const [a, b] = await Promise.all([
    as(emu, 'o_retry').ok('appointments', 'book', input),
    as(emu, 'o_retry').ok('appointments', 'book', input),
  ]);
  expect(a.appointment.appointmentId).toBe(b.appointment.appointmentId);
  expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
  expect(await slotCount('svc_fit', input.start)).toBe(1);
});

test('S14 my appointments: upcoming soonest first, past ones (cancelled) separately', async () => {
  const upcoming = await as(emu, 'o_cxl').ok('appointments', 'mine', { scope: 'upcoming' });
  expect(upcoming.items.map((a) => a.start)).toEqual([sh('2026-12-01', '16:00')]);
  const past = await as(emu, 'o_cxl').ok('appointments', 'mine', { scope: 'past' });
  expect(past.items.map((a) => a.status)).toEqual(['cancelled']);
  const cat = await as(emu, 'o_cxl').ok('appointments', 'catalogue', { storeId: STORE });
  expect(cat.services.map((s) => s.serviceId).sort()).toEqual(['svc_fit', 'svc_hot']);
  expect(cat.reminderTemplateId).toBe('demo-tmpl-appointment-reminder');
});

test("S14 a brand raises a service's capacity: bookings follow within 15 seconds, the full slot opens", async () => {
  seedDocuments(emu, {
    services: [
      {
        _id: 'svc_grow',
        storeIds: [STORE],
        name: { zh: '加位测试' },
        durationMinutes: 60,
        capacityPerSlot: 1,
        bookingWindowDays: 60,
      },
    ],
  });
  seedMembers(emu, ['o_grow_1', 'o_grow_2']);
  const slot = { storeId: STORE, serviceId: 'svc_grow', start: sh('2026-12-09', '11:00') };
  await as(emu, 'o_grow_1').ok('appointments', 'book', slot);
  expect(await as(emu, 'o_grow_2').call('appointments', 'book', slot)).toMatchObject({
    ok: false,
    error: { code: 'SLOT_FULL' },
  });

  await db
    .collection('services')
    .doc('svc_grow')
    .update({ data: { capacityPerSlot: 2 } });
  emu.clock.set(new Date(emu.clock.now().getTime() + 16_000));
  await as(emu, 'o_grow_2').ok('appointments', 'book', slot);
  expect(await slotCount('svc_grow', slot.start)).toBe(2);
  expect(await count(db, 'appointments', { serviceId: 'svc_grow' })).toBe(2);
});

test('S14 a member who deleted the account is refused on every warm instance; a new login books again', async () => {
  seedMembers(emu, ['o_gone']);
  const days = ['10', '12', '14', '16', '18', '20', '22', '24'];
  const slot = (day: string, time = '10:00') => ({
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh(`2026-12-${day}`, time),
  });
  // side by side, so that every instance has served (and remembers) this caller
  const first = await Promise.all(days.map((d) => as(emu, 'o_gone').ok('appointments', 'book', slot(d))));
  await as(emu, 'o_gone').ok('member', 'deleteAccount', { confirm: true });
  const refused = await Promise.all(days.map((d) => as(emu, 'o_gone').call('appointments', 'book', slot(d, '14:00'))));
  expect(refused.map((r) => (r.ok ? 'booked' : r.error.code))).toEqual(days.map(() => 'MEMBER_NOT_FOUND'));
  await as(emu, 'o_gone').ok('member', 'login', {});
  const again = await as(emu, 'o_gone').ok('appointments', 'book', slot('10', '16:00'));
  expect(again.appointment.memberId).not.toBe(first[0]!.appointment.memberId);
});
