import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, advance, calls, emit, keyOf, messagingEmulator, outboxOf, seedJourneys } from './support';
import type { Sdk } from '../../support/sdk';

/** Seed 002 / S16 through the emulator: events in, timers on the emulator clock, subscription messages out. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator());
  await seedJourneys(db, ['unpaid-order-reminder']);
});
afterAll(() => emu.close());

async function buyer() {
  const m = await addMember(db);
  await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { order_unpaid_reminder: 'accept' } });
  return m;
}

test('S16 unpaid order: a payment reminder goes out at 30 minutes, once', async () => {
  const m = await buyer();
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-1001', amountFen: 12900 });
  await advance(emu, '25m');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(0);
  await advance(emu, '15m');
  const sent = await calls(emu, 'subscribeMessage.send', m.openid);
  expect(sent).toHaveLength(1);
  expect(sent[0]!.params['template_id']).toBe('order_unpaid_reminder');
  const sentAt = Date.parse(sent[0]!.at);
  const [row] = await outboxOf(db, { memberId: m.memberId });
  expect(row).toMatchObject({ state: 'sent', journeyId: 'unpaid-order-reminder', subjectId: 'o-1001' });
  expect(keyOf(sent[0]!)).toBe(row!['key']);
  // the reminder is due at 30 minutes; timers run every 5 (journeys) and 1 (dispatch) minutes
  const created = Date.parse(String((await db.collection('events').where({ memberId: m.memberId }).get()).data[0].at));
  expect(sentAt - created).toBeGreaterThanOrEqual(30 * 60_000);
  expect(sentAt - created).toBeLessThan(37 * 60_000);
  await advance(emu, '2h');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(1);
  const [run] = (await db.collection('journey_runs').where({ memberId: m.memberId }).get()).data;
  expect(run).toMatchObject({ status: 'completed' });
});

test('S16 unpaid order: paid at 29 minutes → no reminder, the run exits', async () => {
  const m = await buyer();
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-2002' });
  await advance(emu, '29m');
  await emit(emu, db, 'order.paid', m.memberId, { orderId: 'o-2002', amountFen: 12900 });
  await advance(emu, '1h');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(0);
  const [run] = (await db.collection('journey_runs').where({ memberId: m.memberId }).get()).data;
  expect(run).toMatchObject({ status: 'exited', exitReason: 'event:order.paid' });
  expect(await outboxOf(db, { memberId: m.memberId })).toHaveLength(0);
});

test("S16 unpaid order: paying another order does not cancel this one's reminder", async () => {
  const m = await buyer();
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-3003' });
  await advance(emu, '10m');
  await emit(emu, db, 'order.paid', m.memberId, { orderId: 'o-other' });
  await advance(emu, '30m');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(1);
});
