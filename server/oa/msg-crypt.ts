import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The Official Account's message encryption (安全模式), as WeChat documents it:
 * - AESKey = base64decode(EncodingAESKey + "="), 32 bytes; the IV is its first 16 bytes;
 * - plaintext = random(16) + msg_len (4 bytes, network order) + msg + appid, PKCS#7-padded to a
 *   multiple of 32, encrypted with AES-256-CBC and sent base64 in `Encrypt`;
 * - msg_signature = sha1 of token, timestamp, nonce and Encrypt, sorted and concatenated.
 */
const BLOCK = 32;
const ENCODING_AES_KEY = /^[A-Za-z0-9+/]{43}$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})+$|^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)$/;

/** The 32-byte key of a 43-character EncodingAESKey; null when it is not one. */
export function aesKeyOf(encodingAesKey: string | undefined): Buffer | null {
  if (!encodingAesKey || !ENCODING_AES_KEY.test(encodingAesKey)) return null;
  const key = Buffer.from(`${encodingAesKey}=`, 'base64');
  return key.length === 32 ? key : null;
}

export function msgSignature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  return createHash('sha1').update([token, timestamp, nonce, encrypt].sort().join('')).digest('hex');
}

export function verifyMsgSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  given: string,
): boolean {
  const expected = Buffer.from(msgSignature(token, timestamp, nonce, encrypt));
  const actual = Buffer.from(given.toLowerCase());
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** `Encrypt` of `message` for `appId`; `random` is the 16 leading bytes (fresh unless a test fixes them). */
export function encryptMessage(key: Buffer, message: string, appId: string, random: Buffer = randomBytes(16)): string {
  const body = Buffer.from(message, 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length, 0);
  const plain = Buffer.concat([random, length, body, Buffer.from(appId, 'utf8')]);
  const pad = BLOCK - (plain.length % BLOCK);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

export type Decrypted = { ok: true; message: string } | { ok: false; reason: 'malformed' | 'appid' };

/** The message inside `Encrypt`, when it decrypts, is well padded and names `appId`. */
export function decryptMessage(key: Buffer, encrypt: string, appId: string): Decrypted {
  if (!BASE64.test(encrypt)) return { ok: false, reason: 'malformed' };
  const data = Buffer.from(encrypt, 'base64');
  if (data.length === 0 || data.length % BLOCK !== 0) return { ok: false, reason: 'malformed' };
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(data), decipher.final()]);
  const pad = plain[plain.length - 1]!;
  const padOk = pad >= 1 && pad <= BLOCK && plain.subarray(plain.length - pad).every((b) => b === pad);
  if (!padOk) return { ok: false, reason: 'malformed' };
  const content = plain.subarray(16, plain.length - pad);
  if (content.length < 4) return { ok: false, reason: 'malformed' };
  const length = content.readUInt32BE(0);
  if (length > content.length - 4) return { ok: false, reason: 'malformed' };
  const from = content.subarray(4 + length).toString('utf8');
  if (from !== appId) return { ok: false, reason: 'appid' };
  return { ok: true, message: content.subarray(4, 4 + length).toString('utf8') };
}

const cdata = (s: string) => `<![CDATA[${s.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/** A passive reply in safe mode: the reply XML encrypted, signed with the token. */
export function sealedReplyXml(
  token: string,
  key: Buffer,
  appId: string,
  reply: string,
  at: { timestamp: string; nonce: string },
): string {
  const encrypt = encryptMessage(key, reply, appId);
  const signature = msgSignature(token, at.timestamp, at.nonce, encrypt);
  return (
    `<xml><Encrypt>${cdata(encrypt)}</Encrypt><MsgSignature>${cdata(signature)}</MsgSignature>` +
    `<TimeStamp>${at.timestamp}</TimeStamp><Nonce>${cdata(at.nonce)}</Nonce></xml>`
  );
}
