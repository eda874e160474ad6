import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { calls } from '../messaging/support';
import { STORE, seedBrand, seedMembers, setClock, sh, type Db } from './fixtures';

/**
 * S14 + S15: the reminders the appointments timer announces reach the member as subscription
 * messages through messaging's outbox, each spending one consent: the booking page's one accept
 * pays for the 24-hour reminder, and the 2-hour one is skipped for want of a second consent.
 */
let emu: Emulator;
let db: Db;
const TEMPLATE = 'demo-tmpl-appointment-reminder';

beforeAll(async () => {
  // Tuesday 1 December 2026, 09:40 in Shanghai; the appointments reminder timer and the journeys
  // timer (which consumes events and dispatches) only: the per-minute dispatch timer stays off
  emu = await testEmulator({
    startAt: new Date('2026-12-01T01:40:00Z'),
    timerFunctions: ['appointments:reminders', 'messaging:journeys'],
  });
  ({ db } = connectSdk(emu));
  seedBrand(emu);
  seedMembers(emu, ['o_remind_ok', 'o_remind_no']);
});
afterAll(() => emu.close());

const reminderSends = async (openid: string) =>
  (await calls(emu, 'subscribeMessage.send', openid)).filter((c) => c.params['template_id'] === TEMPLATE);
const outbox = async (memberId: string) =>
  (await db.collection('outbox').where({ memberId, template: TEMPLATE }).orderBy('createdAt', 'asc').get()).data as {
    _id: string;
    state: string;
    reason: string | null;
  }[];

test('S14 S15 reminders: one accept pays for one reminder; the next is skipped for want of consent; no consent, no message', async () => {
  const start = sh('2026-12-02', '10:00');
  const ok = await as(emu, 'o_remind_ok').ok('appointments', 'book', { storeId: STORE, serviceId: 'svc_fit', start });
  await as(emu, 'o_remind_ok').ok('appointments', 'recordConsent', {
    appointmentId: ok.appointment.appointmentId,
    templateId: TEMPLATE,
    result: 'accept',
  });
  const no = await as(emu, 'o_remind_no').ok('appointments', 'book', {
    storeId: STORE,
    serviceId: 'svc_fit',
    start: sh('2026-12-02', '11:00'),
  });
  await as(emu, 'o_remind_no').ok('appointments', 'recordConsent', {
    appointmentId: no.appointment.appointmentId,
    templateId: TEMPLATE,
    result: 'reject',
  });

  // past Tuesday 10:00 and 11:00: both 24 h reminders are due and consumed by messaging
  await setClock(emu, { set: '2026-12-01T03:20:00Z' });
  const sent = await reminderSends('o_remind_ok');
  expect(sent).toHaveLength(1);
  expect(JSON.stringify(sent[0]!.params)).toContain('12/02 10:00');
  expect(await reminderSends('o_remind_no')).toEqual([]);
  expect((await outbox('m_o_remind_no')).map((r) => [r.state, r.reason])).toEqual([['skipped', 'no_consent']]);

  // Wednesday 08:10: the 2 h reminder finds no consent left
  await setClock(emu, { set: '2026-12-02T00:10:00Z' });
  expect(await reminderSends('o_remind_ok')).toHaveLength(1);
  const rows = await outbox('m_o_remind_ok');
  expect(rows.map((r) => [r.state, r.reason])).toEqual([
    ['sent', null],
    ['skipped', 'no_consent'],
  ]);
  expect(rows[0]!._id).toBe(`appointment:${ok.appointment.appointmentId}:${start}:24h`); // the reminder's own key: sent at most once

  // the consent was spent once: the ledger holds none, and remembers the event it folded in
  const consent = (await db.collection('consents').doc('m_o_remind_ok').get()).data;
  expect(consent.templates[TEMPLATE]).toMatchObject({ remaining: 0 });
  expect(consent.appliedEvents).toHaveLength(1);
}, 120_000);
