import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, advance, calls, emit, fault, messagingEmulator, outboxOf, seedJourneys } from './support';
import type { Sdk } from '../../support/sdk';

/** S15 through the emulator: one consent, one send; WeChat errors retried or stopped by class. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator());
  await seedJourneys(db, ['unpaid-order-reminder']);
  await addStaff(db);
});
afterAll(() => emu.close());

async function buyer(accepts = 1) {
  const m = await addMember(db);
  for (let i = 0; i < accepts; i++)
    await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { order_unpaid_reminder: 'accept' } });
  return m;
}

test('S15 consent counting: 1 consent, 2 sends → 1 sent, 1 skipped (no_consent)', async () => {
  const m = await buyer(1);
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'a-1' });
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'a-2' });
  await advance(emu, '40m');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(1);
  const rows = await outboxOf(db, { memberId: m.memberId });
  expect(rows.map((r) => r['state']).sort()).toEqual(['sent', 'skipped']);
  expect(rows.find((r) => r['state'] === 'skipped')).toMatchObject({ reason: 'no_consent' });
  const consent = (await db.collection('consents').doc(m.memberId).get()).data;
  expect(consent.templates.order_unpaid_reminder).toMatchObject({ remaining: 0, blocked: null });

  const metrics = await as(emu, 'o_demo_admin').ok('messaging', 'metrics', { journeyId: 'unpaid-order-reminder' });
  expect(metrics.entered).toBeGreaterThanOrEqual(2);
  expect(metrics.skipped['no_consent']).toBeGreaterThanOrEqual(1);
  expect(metrics.sent).toBeGreaterThanOrEqual(1);
});

test('S15 consent: each accept adds one send; a later reject takes the unused ones back', async () => {
  const m = await addMember(db);
  const client = as(emu, m.openid);
  await client.ok('messaging', 'recordConsent', { results: { order_unpaid_reminder: 'accept', tpl_other: 'accept' } });
  const twice = await client.ok('messaging', 'recordConsent', {
    results: { order_unpaid_reminder: 'accept', tpl_other: 'filter' },
  });
  expect(twice.templates['order_unpaid_reminder']).toEqual({ remaining: 2, longTerm: false, blocked: null });
  expect(twice.templates['tpl_other']).toEqual({ remaining: 1, longTerm: false, blocked: null });
  const rejected = await client.ok('messaging', 'recordConsent', { results: { order_unpaid_reminder: 'reject' } });
  expect(rejected.templates['order_unpaid_reminder']).toEqual({ remaining: 0, longTerm: false, blocked: 'reject' });
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'b-1' });
  await advance(emu, '40m');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(0);
  expect((await outboxOf(db, { memberId: m.memberId }))[0]).toMatchObject({ state: 'skipped', reason: 'no_consent' });
  const bad = await client.call('messaging', 'recordConsent', { results: { x: 'maybe' } } as never);
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('transient errors (45009, -1) retry with backoff and send once; the consent is used once', async () => {
  const m = await buyer(1);
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'c-1' });
  await advance(emu, '29m');
  await fault(emu, { apiName: 'subscribeMessage.send', errcode: 45009, times: 1 });
  await fault(emu, { apiName: 'subscribeMessage.send', errcode: -1, times: 1 });
  await advance(emu, '10m');
  const tries = await calls(emu, 'subscribeMessage.send', m.openid);
  expect(tries.map((c) => c.outcome.errcode)).toEqual([45009, -1, 0]);
  const [row] = await outboxOf(db, { memberId: m.memberId });
  expect(row).toMatchObject({ state: 'sent', attempts: 3 });
  expect(Date.parse(tries[1]!.at)).toBeGreaterThan(Date.parse(tries[0]!.at));
  expect((await db.collection('consents').doc(m.memberId).get()).data.templates.order_unpaid_reminder.remaining).toBe(
    0,
  );
});

test('permanent errors (43101 refused) stop with the reason recorded, never retried', async () => {
  const m = await buyer(1);
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'd-1' });
  await advance(emu, '29m');
  await fault(emu, { apiName: 'subscribeMessage.send', errcode: 43101, times: 1 });
  await advance(emu, '20m');
  expect(await calls(emu, 'subscribeMessage.send', m.openid)).toHaveLength(1);
  expect((await outboxOf(db, { memberId: m.memberId }))[0]).toMatchObject({
    state: 'failed',
    reason: 'no_consent',
    attempts: 1,
  });
});

test('a member can read and change preferences; identity comes from the platform only', async () => {
  const m = await addMember(db, { language: 'en' });
  const client = as(emu, m.openid);
  expect(await client.ok('messaging', 'prefs', {})).toMatchObject({
    marketingOptOut: false,
    channelOptOut: [],
    language: 'en',
    capPerDay: 2,
    quietHours: { start: '22:00', end: '08:00' },
  });
  const changed = await client.ok('messaging', 'updatePrefs', { channelOptOut: ['email', 'email'], language: 'zh' });
  expect(changed).toMatchObject({ channelOptOut: ['email'], language: 'zh', marketingOptOut: false });
  const sneaky = await client.raw('messaging', {
    action: 'updatePrefs',
    memberId: 'someone-else',
    marketingOptOut: true,
  });
  expect(sneaky.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const stranger = await as(emu, 'o_nobody').call('messaging', 'prefs', {});
  expect(stranger).toMatchObject({ ok: false, error: { code: 'MEMBER_NOT_FOUND' } });
});
