import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { buildFixtureFunctions } from '../../support/fixtures';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { seedDemo } from '../member/helpers';
import { STAFF } from '../admin/support';

/**
 * Hostile payloads as a client can send them: prototype keys in the JSON, rules nested past any
 * need, bodies past the platform's size. Each is refused with a stable code and changes nothing.
 */
let emu: Emulator;
let db: ReturnType<typeof connectSdk>['db'];

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [], limits: { maxRequestBytes: 256 * 1024 } });
  seedDemo(emu); // the demo brand's staff and stores
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
});
afterAll(() => emu?.close());

/** What `wx.cloud.callFunction` sends, as text: `JSON.stringify` of an object literal would lose `__proto__`. */
const invokeText = (fn: string, openid: string, dataJson: string) => {
  const body = `{"openid":${JSON.stringify(openid)},"data":${dataJson}}`;
  return fetch(`${emu.url}/invoke/${fn}`, { method: 'POST', body });
};
type Envelope = { ok: boolean; error?: { code: string; message: string } };
const resultOf = async (res: Response) => ((await res.json()) as { result: Envelope }).result;

describe('prototype keys reach the router and are refused', () => {
  test('a delete request carrying an own __proto__ key is refused (INVALID_INPUT); the member stays', async () => {
    const joined = await as(emu, 'o_proto').ok('member', 'login', {});
    const data = '{"action":"deleteAccount","confirm":true,"__proto__":{"admin":true}}';
    const res = await invokeText('member', 'o_proto', data);
    expect(res.status).toBe(200);
    const refused = { code: 'INVALID_INPUT', message: expect.stringContaining('__proto__') };
    expect(await resultOf(res)).toMatchObject({ ok: false, error: refused });
    expect((await db.collection('members').doc(joined.memberId).get()).data).toMatchObject({ state: 'visitor' });
    const profile = await as(emu, 'o_proto').call('member', 'getProfile', {});
    expect(profile).toMatchObject({ ok: true, data: { memberId: joined.memberId } });
  });

  test.each([
    ['constructor', '{"action":"updateProfile","name":"林","constructor":{"prototype":{"x":1}}}'],
    ['prototype', '{"action":"updateProfile","name":"林","prototype":{}}'],
    ['a nested __proto__', '{"action":"login","query":{"store":"store_sh_xintiandi","__proto__":{"x":"1"}}}'],
  ])('%s anywhere in the input is refused with INVALID_INPUT', async (_label, data) => {
    await as(emu, 'o_proto_keys').ok('member', 'login', {});
    const before = (await db.collection('members').where({ openid: 'o_proto_keys' }).get()).data;
    const result = await resultOf(await invokeText('member', 'o_proto_keys', data));
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await db.collection('members').where({ openid: 'o_proto_keys' }).get()).data).toEqual(before);
  });
});

describe('recursive input is bounded', () => {
  const leaf = { field: 'isMember', op: 'is', value: true };
  const nested = (depth: number): string => `${'{"not":'.repeat(depth)}${JSON.stringify(leaf)}${'}'.repeat(depth)}`;

  // a rule of `n` nots holds n + 1 levels; 8 levels is the bound
  test.each([7, 8, 1000, 20_000])('a segment rule of %i nested nots: counted, or INVALID_INPUT', async (depth) => {
    const data = `{"action":"segments.preview","rule":${nested(depth)}}`;
    const result = await resultOf(await invokeText('messaging', STAFF.brand_admin, data));
    if (depth < 8) expect(result).toMatchObject({ ok: true, data: { count: expect.any(Number) } });
    else expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  test('a rule within the depth but with too many parts is refused, naming the bound', async () => {
    const wide = { or: Array.from({ length: 150 }, () => ({ and: [leaf, leaf] })) };
    const r = await as(emu, STAFF.brand_admin).call('messaging', 'segments.preview', { rule: wide as never });
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringContaining('200') } });
  });

  test('a segment saved with a too-deep rule is not saved', async () => {
    const rule = JSON.parse(nested(20)) as never;
    const input = { id: 'seg-deep', name: '过深', rule };
    const r = await as(emu, STAFF.brand_admin).call('messaging', 'segments.save', input);
    expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect((await db.collection('segments').doc('seg-deep').get()).data).toBeNull();
  });

  test('deep nesting in any action is refused before its contract is read', async () => {
    const data = `{"action":"login","query":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`;
    const refused = { code: 'INVALID_INPUT', message: expect.stringContaining('too deep') };
    expect(await resultOf(await invokeText('member', 'o_deep', data))).toMatchObject({ ok: false, error: refused });
  });
});

describe('HTTP answers carry their status', () => {
  test('an oversize invoke body is refused with 413 naming the limit', async () => {
    const body = JSON.stringify({ openid: 'o_big', data: { action: 'login', path: 'x'.repeat(300 * 1024) } });
    const res = await fetch(`${emu.url}/invoke/member`, { method: 'POST', body });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ errCode: -501007, errMsg: expect.stringContaining('262144 bytes') });
    expect((await db.collection('members').where({ openid: 'o_big' }).count()).total).toBe(0);
  });

  test('a malformed invoke body is 400, an unknown function 404', async () => {
    expect((await fetch(`${emu.url}/invoke/member`, { method: 'POST', body: '{"openid":' })).status).toBe(400);
    expect((await fetch(`${emu.url}/invoke/member`, { method: 'POST', body: '{"data":{}}' })).status).toBe(400);
    const unknown = await fetch(`${emu.url}/invoke/nope`, { method: 'POST', body: '{"openid":"o_x","data":{}}' });
    expect(unknown.status).toBe(404);
  });

  test('an oversize body to an HTTP access route is refused with 413 and never reaches the function', async () => {
    const before = emu.runtime.invocations(500, 'orders').length;
    const res = await fetch(`${emu.url}/http/orders/sync`, { method: 'POST', body: 'x'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(emu.runtime.invocations(500, 'orders')).toHaveLength(before);
  });
});

test('the emulator hands a function the JSON it was sent: own __proto__ and constructor keys arrive', async () => {
  const dir = buildFixtureFunctions();
  const bare = await startEmulator({ functionsDir: dir });
  try {
    const body = '{"openid":"o_x","data":{"probe":"context","__proto__":{"a":1},"constructor":2}}';
    const res = await fetch(`${bare.url}/invoke/probe`, { method: 'POST', body });
    const event = ((await res.json()) as { result: { event: Record<string, unknown> } }).result.event;
    expect(Object.prototype.hasOwnProperty.call(event, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(event, '__proto__')?.value).toEqual({ a: 1 });
    expect(event.constructor).toBe(2);
  } finally {
    await bare.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
