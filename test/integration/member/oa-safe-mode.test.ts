import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Emulator } from '../../../emulator/emulator';
import { EMULATOR_OA_APP_ID } from '../../../emulator/openapi';
import { oaSignature } from '../../../core/identity/oa';
import { devSecret, OA_ENCODING_AES_KEY, OA_TOKEN } from '../../../server/http/secrets';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { counts, oaEventXml, seedDemo } from './helpers';

/**
 * Official Account callbacks in safe mode (encrypt_type=aes) and compatible mode. The callbacks
 * are built here from WeChat's documented algorithm with node's crypto, not with the product's code.
 */
const TOKEN = devSecret(OA_TOKEN);
const ENCODING_AES_KEY = randomBytes(32).toString('base64').slice(0, 43);
const AES_KEY = Buffer.from(`${ENCODING_AES_KEY}=`, 'base64');

function encrypt(xml: string, appId = EMULATOR_OA_APP_ID, key = AES_KEY): string {
  const msg = Buffer.from(xml, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([randomBytes(16), len, msg, Buffer.from(appId)]);
  const pad = 32 - (plain.length % 32);
  const c = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([c.update(Buffer.concat([plain, Buffer.alloc(pad, pad)])), c.final()]).toString('base64');
}
const sha1 = (parts: string[]) =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

let emu: Emulator;
let db: ReturnType<typeof connectSdk>['db'];

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [] });
  // the brand's operator sets the oa function's EncodingAESKey, as in the console's environment variables
  emu.runtime.functions.get('oa')!.config.envVariables[OA_ENCODING_AES_KEY] = ENCODING_AES_KEY;
  seedDemo(emu);
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
});
afterAll(() => emu?.close());

let at = 1777800000;
interface Sent {
  status: number;
  body: string;
}
async function post(query: Record<string, string>, body: string): Promise<Sent> {
  const url = `${emu.url}/http/oa/callback?${new URLSearchParams(query)}`;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });
  return { status: res.status, body: await res.text() };
}
/** A safe-mode callback: token signature and msg_signature over the Encrypt of `inner`. */
interface SafeOptions {
  appId?: string;
  encrypted?: string;
  signWith?: string;
  plainAlongside?: string;
}
function safeCallback(inner: string, opts: SafeOptions = {}) {
  const timestamp = String(at);
  const nonce = randomBytes(4).toString('hex');
  const enc = opts.encrypted ?? encrypt(inner, opts.appId);
  const msgSignature = sha1([opts.signWith ?? TOKEN, timestamp, nonce, enc]);
  const signature = oaSignature(TOKEN, timestamp, nonce);
  const query = { signature, timestamp, nonce, encrypt_type: 'aes', msg_signature: msgSignature, openid: 'oa_x' };
  const head = `<xml><ToUserName><![CDATA[gh_brand]]></ToUserName>${opts.plainAlongside ?? ''}`;
  const body = `${head}<Encrypt><![CDATA[${enc}]]></Encrypt></xml>`;
  return { query, body };
}
const subscribe = (from: string) => oaEventXml({ from, event: 'subscribe', at: (at += 10) });
const follower = (oaOpenid: string, unionid: string) =>
  fetch(`${emu.url}/openapi/oa-users`, {
    method: 'POST',
    body: JSON.stringify({ oaOpenid, unionid, subscribed: true }),
  });

test('S3 safe mode: an encrypted subscribe is kept; the follower then in the Mini Program is that member', async () => {
  await follower('oa_safe', 'u_safe');
  const { query, body } = safeCallback(subscribe('oa_safe'));
  expect(await post(query, body)).toEqual({ status: 200, body: 'success' });
  const me = await as(emu, 'o_safe', { unionid: 'u_safe' }).ok('member', 'login', {});
  expect(me).toMatchObject({ state: 'follower', isNew: false });
});

test('compatible mode: the plaintext beside Encrypt is not trusted, the encrypted message is what counts', async () => {
  await follower('oa_compat_real', 'u_compat_real');
  const forged =
    `<FromUserName><![CDATA[oa_compat_forged]]></FromUserName><CreateTime>${at}</CreateTime>` +
    '<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[subscribe]]></Event>';
  const { query, body } = safeCallback(subscribe('oa_compat_real'), { plainAlongside: forged });
  expect(await post(query, body)).toEqual({ status: 200, body: 'success' });
  const joined = await as(emu, 'o_compat', { unionid: 'u_compat_real' }).ok('member', 'login', {});
  expect(joined).toMatchObject({ state: 'follower', isNew: false });
  expect((await db.collection('identities').doc('oa_openid:oa_compat_forged').get()).data).toBeNull();
});

const OTHER_APPID = 'wx1111111111111111';
const otherKeys = (xml: string) => encrypt(xml, EMULATOR_OA_APP_ID, randomBytes(32));

test.each([
  // a wrong key fails the padding check (400), or on the rare valid-looking padding the AppID check (401)
  ['a wrong msg_signature', [401], () => safeCallback(subscribe('oa_bad_sig'), { signWith: 'not-the-token' })],
  ['another Official Account (AppID)', [401], () => safeCallback(subscribe('oa_appid'), { appId: OTHER_APPID })],
  ['another EncodingAESKey', [400, 401], () => safeCallback('', { encrypted: otherKeys(subscribe('oa_key')) })],
  ['a ciphertext cut short', [400], () => safeCallback('', { encrypted: encrypt(subscribe('oa_cut')).slice(0, 44) })],
  ['no Encrypt element', [400], () => ({ ...safeCallback(subscribe('oa_none')), body: subscribe('oa_none') })],
])('%s: refused (%j), nothing written', async (_label, statuses, build) => {
  const before = await counts(db);
  const { query, body } = build();
  expect(statuses).toContain((await post(query, body)).status);
  expect(await counts(db)).toEqual(before);
});

test('a plaintext callback is refused once the EncodingAESKey is set: its signature covers no body', async () => {
  const before = await counts(db);
  const timestamp = String(at);
  const nonce = 'plain1';
  const r = await post({ signature: oaSignature(TOKEN, timestamp, nonce), timestamp, nonce }, subscribe('oa_plain'));
  expect(r.status).toBe(401);
  expect(await counts(db)).toEqual(before);
});

test('the URL check (GET echostr) still answers with the token signature', async () => {
  const timestamp = String(at);
  const nonce = 'echo1';
  const signature = oaSignature(TOKEN, timestamp, nonce);
  const query = new URLSearchParams({ signature, timestamp, nonce, echostr: 'e123' });
  const res = await fetch(`${emu.url}/http/oa/callback?${query}`);
  expect([res.status, await res.text()]).toEqual([200, 'e123']);
});

test('without an EncodingAESKey an encrypted callback answers 500 (WeChat retries), not "success"', async () => {
  const plain = await testEmulator({ timerFunctions: [] });
  try {
    const { query, body } = safeCallback(subscribe('oa_no_key'));
    const res = await fetch(`${plain.url}/http/oa/callback?${new URLSearchParams(query)}`, { method: 'POST', body });
    expect(res.status).toBe(500);
    const logs = plain.runtime.invocations(5, 'oa').flatMap((i) => i.logs);
    expect(logs.join('\n')).toContain('OA_ENCODING_AES_KEY is not set');
  } finally {
    await plain.close();
  }
});

test('the decrypting helper here matches the documented layout (self-check of the vectors above)', () => {
  const enc = Buffer.from(encrypt('<xml/>'), 'base64');
  const d = createDecipheriv('aes-256-cbc', AES_KEY, AES_KEY.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(enc), d.final()]);
  expect(plain.readUInt32BE(16)).toBe(6);
  expect(plain.subarray(26, 26 + EMULATOR_OA_APP_ID.length).toString()).toBe(EMULATOR_OA_APP_ID);
});
