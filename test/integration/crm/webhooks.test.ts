import { CARD_CLAIM } from '../../support/card-claim';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { seedDemo } from '../member/helpers';
import { advance, clockOf, crmEmulator, Receiver, SECRET_ENV } from './support';

/**
 * CRM events out: a brand admin subscribes a brand system; members and staff act in the Mini
 * Program; the admin function's minute timer turns the events into signed deliveries.
 */
const ADMIN = 'o_demo_admin';
const ADVISOR = 'o_demo_advisor';
let emu: Emulator;
let db: Sdk['db'];
let receiver: Receiver;

beforeAll(async () => {
  emu = await crmEmulator(new Date('2026-05-04T02:00:00Z'));
  seedDemo(emu); // fixture: the demo brand (staff, stores, configuration)
  ({ db } = connectSdk(emu));
  receiver = new Receiver(() => clockOf(emu));
  await receiver.start();
});
afterAll(async () => {
  await receiver?.stop();
  await emu?.close();
});

async function join(openid: string): Promise<string> {
  const v = await as(emu, openid).ok('member', 'login', { query: { store: 'store_sh_xintiandi' } });
  await as(emu, openid).ok('member', 'claimCard', CARD_CLAIM);
  return v.memberId;
}

const rowsOf = async (where: Record<string, unknown>) =>
  (
    await db
      .collection('outbox')
      .where({ kind: 'crmEvent', ...where })
      .limit(1000)
      .get()
  ).data;

/** An advisor adjusts a member's points (the CRM hears of it as points.adjusted). */
const adjust = (memberId: string, delta: number, requestId: string, reason = '活动补偿') =>
  as(emu, ADVISOR).ok('points', 'adjust', { memberId, delta, reason, requestId });

test('webhooks: only a brand admin manages subscriptions; bad input is refused and changes nothing; saves are audited', async () => {
  const advisor = await as(emu, ADVISOR).call('admin', 'webhooks.save', {
    id: 'erp',
    url: `${receiver.url}/erp`,
    events: ['member.joined'],
    secretEnv: SECRET_ENV,
  });
  expect(advisor).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const trail = (await db.collection('audit_log').where({ action: 'refused:admin.webhooks.save' }).limit(10).get())
    .data;
  expect(trail).toEqual([expect.objectContaining({ who: 'staff_advisor_sh', refused: { code: 'FORBIDDEN' } })]);
  const badUrl = await as(emu, ADMIN).call('admin', 'webhooks.save', {
    id: 'erp',
    url: 'ftp://x',
    events: ['member.joined'],
    secretEnv: SECRET_ENV,
  });
  expect(badUrl).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const badEvent = await as(emu, ADMIN).raw('admin', {
    action: 'webhooks.save',
    id: 'erp',
    url: `${receiver.url}/erp`,
    events: ['oa.message'],
    secretEnv: SECRET_ENV,
  });
  expect(badEvent.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect((await db.collection('webhook_subscriptions').count()).total).toBe(0);

  const saved = await as(emu, ADMIN).ok('admin', 'webhooks.save', {
    id: 'erp',
    url: `${receiver.url}/erp`,
    events: ['member.joined', 'points.earned', 'points.adjusted'],
    secretEnv: SECRET_ENV,
  });
  expect(saved).toMatchObject({ id: 'erp', active: true, secretEnv: SECRET_ENV });
  await as(emu, ADMIN).ok('admin', 'webhooks.save', {
    id: 'loyalty',
    url: `${receiver.url}/loyalty`,
    events: ['points.adjusted'],
    secretEnv: SECRET_ENV,
  });
  expect((await as(emu, ADMIN).ok('admin', 'webhooks.list', {})).subscriptions.map((s) => s.id).sort()).toEqual([
    'erp',
    'loyalty',
  ]);
  const audit = (await db.collection('audit_log').where({ action: 'webhooks.save' }).limit(10).get()).data;
  expect(audit).toHaveLength(2);
  expect(audit[0]).toMatchObject({
    who: 'staff_admin',
    role: 'brand_admin',
    target: 'webhook_subscriptions/erp',
    before: null,
  });
  expect(JSON.stringify(audit)).not.toContain('crm-test-secret');
});

test('webhooks: events are delivered signed, once per event and subscription, in order per member', async () => {
  const zhou = await join('o_crm_zhou');
  const lin = await join('o_crm_lin');
  await adjust(zhou, 50, 'crm-adj-1');
  await adjust(zhou, -20, 'crm-adj-2', '更正');
  await adjust(lin, 30, 'crm-adj-3');
  await advance(emu, '2m');

  const erp = receiver.accepted.filter((r) => r.path === '/erp');
  const loyalty = receiver.accepted.filter((r) => r.path === '/loyalty');
  expect(receiver.refused).toEqual([]);
  expect(erp.every((r) => r.signatureOk && r.headers['x-mc-source'] === 'member-centre')).toBe(true);
  // the card claim writes member.joined and the sign-up points.earned at one instant: between those two no order holds
  const typesOf = (m: string) => erp.filter((r) => r.memberId === m).map((r) => r.type);
  expect(typesOf(zhou).slice(0, 2).sort()).toEqual(['member.joined', 'points.earned']);
  expect(typesOf(zhou).slice(2)).toEqual(['points.adjusted', 'points.adjusted']);
  expect(erp.filter((r) => r.memberId === zhou && r.type === 'points.adjusted').map((r) => r.data['delta'])).toEqual([
    50, -20,
  ]);
  expect(typesOf(lin).sort()).toEqual(['member.joined', 'points.adjusted', 'points.earned']);
  expect(loyalty.map((r) => r.data['delta'])).toEqual(expect.arrayContaining([50, -20, 30]));
  expect(loyalty).toHaveLength(3);
  expect(loyalty.every((r) => r.type === 'points.adjusted')).toBe(true);
  expect(receiver.inOrderPerMember()).toBe(true);
  expect(erp[0]?.headers['x-outbox-key']).toBe(erp[0]?.deliveryId);

  // the timer keeps running: nothing is sent twice
  const before = receiver.accepted.length;
  await advance(emu, '3m');
  expect(receiver.accepted.length).toBe(before);
  expect(new Set(receiver.accepted.map((r) => r.deliveryId)).size).toBe(before);
  expect(await rowsOf({ state: 'delivered' })).toHaveLength(before);
});

test('webhooks: an outage is retried with backoff, later events wait behind it, a 4xx gives up, staff replay', async () => {
  const zhou = await join('o_crm_outage');
  let down = true;
  receiver.status = (r) => (r.memberId === zhou && r.path === '/erp' && down ? 503 : 200);
  await adjust(zhou, 10, 'crm-out-1');
  await advance(emu, '2m');
  const waiting = await rowsOf({ memberId: zhou, subscriptionId: 'erp' });
  expect(waiting.map((r: { state: string }) => r.state)).toEqual(['handoff', 'handoff', 'handoff']);
  const tried = waiting.filter((r: { attempts: number }) => r.attempts > 0);
  // only the member's first event was tried: the others wait behind it
  expect(tried).toEqual([expect.objectContaining({ reason: expect.any(String), lastError: 'HTTP 503' })]);
  expect(['member.joined', 'points.earned']).toContain(tried[0].data.type);
  const refusedSoFar = receiver.refused.filter((r) => r.memberId === zhou).length;
  expect(refusedSoFar).toBeGreaterThanOrEqual(1);

  down = false;
  await advance(emu, '10m');
  const got = receiver.accepted.filter((r) => r.memberId === zhou && r.path === '/erp').map((r) => r.type);
  expect(got.slice(0, 2).sort()).toEqual(['member.joined', 'points.earned']);
  expect(got[2]).toBe('points.adjusted');
  expect(receiver.inOrderPerMember()).toBe(true);

  // a permanent refusal is not retried; staff replay it once the receiver is fixed
  receiver.status = (r) => (r.memberId === zhou && r.path === '/loyalty' ? 410 : 200);
  await adjust(zhou, 5, 'crm-out-2');
  await advance(emu, '2m');
  const [gone] = await rowsOf({ memberId: zhou, subscriptionId: 'loyalty', state: 'failed' });
  expect(gone).toMatchObject({ attempts: 1, lastError: 'HTTP 410' });
  receiver.status = () => 200;
  const refused = await as(emu, ADVISOR).call('admin', 'webhooks.replay', { key: gone._id });
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  expect(await as(emu, ADMIN).ok('admin', 'webhooks.replay', { key: gone._id })).toEqual({ replayed: 1 });
  await advance(emu, '1m');
  expect(receiver.accepted.filter((r) => r.deliveryId === gone._id)).toHaveLength(1);
  const from = new Date((await clockOf(emu)).getTime() - 86_400_000).toISOString();
  const all = await as(emu, ADMIN).ok('admin', 'webhooks.replay', {
    subscriptionId: 'loyalty',
    from,
    to: (await clockOf(emu)).toISOString(),
  });
  expect(all.replayed).toBe(await (await rowsOf({ subscriptionId: 'loyalty' })).length);
  expect((await db.collection('audit_log').where({ action: 'webhooks.replay' }).count()).total).toBe(2);
});
