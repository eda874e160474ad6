import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import {
  addMember,
  addStaff,
  advance,
  calls,
  emit,
  fault,
  keyOf,
  messagingEmulator,
  campaignToTag,
  now,
  outboxOf,
} from '../messaging/support';

/**
 * WeChat down for a while (every send answered −1, system busy). Retries back off across the
 * message's deadline (1, 2, 4 … minutes, then hours), so an outage of 8 minutes only delays a
 * message; a message that cannot go out before its deadline (a booking reminder after the
 * booking began) is dropped with the reason, never sent late.
 */
let emu: Emulator;
let db: Awaited<ReturnType<typeof messagingEmulator>>['db'];
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['dispatch', 'journeys'] } }));
  admin = as(emu, await addStaff(db));
});
afterAll(() => emu.close());

test('S15 outage: eight minutes of "system busy" delay a message, they do not make it give up', async () => {
  const m = await addMember(db, { tags: ['outage'] });
  await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { outage_notice: 'accept' } });
  await fault(emu, { apiName: 'subscribeMessage.send', errcode: -1, forMs: 8 * 60_000 });
  await campaignToTag(admin, 'outage', {
    channel: 'subscribe',
    template: 'outage_notice',
    purpose: 'transactional',
    data: { title: '通知', body: '门店调整' },
  });
  for (let i = 0; i < 20; i++) await advance(emu, '1m');

  const tries = (await calls(emu, 'subscribeMessage.send', m.openid)).map((c) => c.outcome.errcode);
  expect(tries.filter((e) => e === -1).length).toBeGreaterThanOrEqual(3);
  expect(tries.filter((e) => e === 0)).toHaveLength(1);
  expect(tries[tries.length - 1]).toBe(0);
  expect((await outboxOf(db, { campaignId: 'outage' })).map((r) => r['state'])).toEqual(['sent']);
});

test('S15 deadline: a booking reminder that cannot go out before the booking is dropped with a reason, not sent late', async () => {
  const m = await addMember(db);
  await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { appt_reminder: 'accept' } });
  const start = new Date((await now(emu)).getTime() + 40 * 60_000);
  await fault(emu, { apiName: 'subscribeMessage.send', errcode: -1, forMs: 45 * 60_000 });
  // the appointments timer's event, as it writes it: a reminder due 40 minutes before the booking
  await emit(emu, db, 'appointment.reminder_due', m.memberId, {
    kind: '2h',
    appointmentId: 'appt_outage',
    key: `appt_outage:2h:${start.toISOString()}`,
    start: start.toISOString(),
    storeName: '静安店',
    serviceName: '量体',
    templateId: 'appt_reminder',
    reminderConsent: null,
  });
  for (let i = 0; i < 60; i++) await advance(emu, '1m');

  const tries = await calls(emu, 'subscribeMessage.send', m.openid);
  expect(tries.length).toBeGreaterThanOrEqual(3);
  expect(tries.every((c) => c.outcome.errcode === -1)).toBe(true);
  expect(tries.every((c) => new Date(c.at).getTime() < start.getTime())).toBe(true);
  expect(tries.map(keyOf).every((k) => k === `appointment:appt_outage:2h:${start.toISOString()}`)).toBe(true);
  const [row] = await outboxOf(db, { subjectId: 'appt_outage' });
  expect(row).toMatchObject({ state: 'failed', reason: 'expired:system_busy' });
  expect(new Date(row!['deadlineAt'] as string).toISOString()).toBe(start.toISOString());
});
