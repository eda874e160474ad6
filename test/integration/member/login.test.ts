import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';

/** member.login through the emulator: the built function, the real SDK, the caller's OpenID from the context. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [] });
  ({ db } = connectSdk(emu));
});
afterAll(() => emu.close());

test('S1 login: a first visit creates the member and records the first-seen time', async () => {
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ set: '2026-05-01T02:00:00Z' }) });
  const first = await as(emu, 'o_alice').ok('member', 'login', {});
  expect(first).toMatchObject({ state: 'visitor', isNew: true });
  expect(Date.parse(first.firstSeenAt)).toBeGreaterThanOrEqual(Date.parse('2026-05-01T02:00:00Z'));

  const stored = (await db.collection('members').doc(first.memberId).get()).data;
  expect(stored).toMatchObject({ openid: 'o_alice', state: 'visitor' });
  const identity = (await db.collection('identities').doc('mp_openid:o_alice').get()).data;
  expect(identity.memberId).toBe(first.memberId);
  const events = (await db.collection('events').where({ memberId: first.memberId }).get()).data;
  expect(events.map((e: { type: string }) => e.type)).toEqual(['member.first_seen']);
});

test('S1 login: a returning person gets the same member, first-seen kept, last-seen moved', async () => {
  const first = await as(emu, 'o_bob').ok('member', 'login', {});
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '2d' }) });
  const again = await as(emu, 'o_bob').ok('member', 'login', {});
  expect(again.memberId).toBe(first.memberId);
  expect(again.isNew).toBe(false);
  expect(again.firstSeenAt).toBe(first.firstSeenAt);
  expect(Date.parse(again.lastSeenAt) - Date.parse(first.lastSeenAt)).toBeGreaterThanOrEqual(2 * 86_400_000);
});

test('S1 login: ten concurrent first logins of one person make one member', async () => {
  const views = await Promise.all(Array.from({ length: 10 }, () => as(emu, 'o_carol').ok('member', 'login', {})));
  expect(new Set(views.map((v) => v.memberId)).size).toBe(1);
  expect(views.filter((v) => v.isNew)).toHaveLength(1);
  expect((await db.collection('members').where({ openid: 'o_carol' }).count()).total).toBe(1);
});

test('login with a UnionID links it as an identity of the member', async () => {
  const v = await as(emu, 'o_dave', { unionid: 'u_dave' }).ok('member', 'login', {});
  const identity = (await db.collection('identities').doc('unionid:u_dave').get()).data;
  expect(identity.memberId).toBe(v.memberId);
});

test('bad input is refused with a stable code and changes nothing', async () => {
  const before = (await db.collection('members').count()).total;
  const r = await as(emu, 'o_eve').raw('member', { action: 'login', scene: 42 });
  expect(r.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const unknown = await as(emu, 'o_eve').raw('member', { action: 'dropTables' });
  expect(unknown.result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_ACTION' } });
  expect((await db.collection('members').count()).total).toBe(before);
});

test('identity comes from the platform context: an openid field in the input is refused', async () => {
  const r = await as(emu, 'o_frank').raw('member', { action: 'login', openid: 'o_alice' });
  expect(r.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('a Mini Program call shaped as a timer or an HTTP request is refused', async () => {
  const timer = await as(emu, 'o_mallory').raw('member', { Type: 'Timer', TriggerName: 'purgeNonces' });
  expect(timer.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const http = await as(emu, 'o_mallory').raw('member', { httpMethod: 'POST', path: '/http/member/link', body: '' });
  expect(http.result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
});
