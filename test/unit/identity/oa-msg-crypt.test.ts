import { createDecipheriv, createHash } from 'node:crypto';
import {
  aesKeyOf,
  decryptMessage,
  encryptMessage,
  msgSignature,
  sealedReplyXml,
  verifyMsgSignature,
} from '../../../server/oa/msg-crypt';
import { parseFlatXml } from '../../../server/oa/xml';

/**
 * The Official Account's safe-mode algorithm against the vector published with WeChat's own
 * sample (WXBizMsgCrypt: token "spamtest", EncodingAESKey "abc…ABCDEFG", appid wx2c2769f8efd9abc2).
 */
const TOKEN = 'spamtest';
const ENCODING_AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APPID = 'wx2c2769f8efd9abc2';
const SAMPLE = {
  timestamp: '1409735669',
  nonce: '1320562132',
  msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
  encrypt: [
    'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFm',
    'OD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8d',
    'KOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5',
    'RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNP',
    'fUM669WuMyVWQLCzpu9GhglF2PE=',
  ].join(''),
};
const key = aesKeyOf(ENCODING_AES_KEY)!;

test('the published sample: msg_signature verifies and the message decrypts for its appid', () => {
  expect(msgSignature(TOKEN, SAMPLE.timestamp, SAMPLE.nonce, SAMPLE.encrypt)).toBe(SAMPLE.msgSignature);
  const { timestamp, nonce, encrypt } = SAMPLE;
  expect(verifyMsgSignature(TOKEN, timestamp, nonce, encrypt, SAMPLE.msgSignature.toUpperCase())).toBe(true);
  expect(verifyMsgSignature(TOKEN, timestamp, '1320562133', encrypt, SAMPLE.msgSignature)).toBe(false);
  const r = decryptMessage(key, SAMPLE.encrypt, APPID);
  const sample = { FromUserName: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', MsgType: 'text', Content: 'abcdteT' };
  expect(r.ok && parseFlatXml(r.message)).toMatchObject(sample);
  expect(decryptMessage(key, SAMPLE.encrypt, 'wx0000000000000000')).toEqual({ ok: false, reason: 'appid' });
});

test('the EncodingAESKey is 43 base64 characters decoding to 32 bytes', () => {
  expect(key).toHaveLength(32);
  const bad = [undefined, '', ENCODING_AES_KEY.slice(1), `${ENCODING_AES_KEY}=`, 'local-dev-only:OA_ENCODING_AES_KEY'];
  for (const k of bad) expect(aesKeyOf(k)).toBeNull();
});

test('encryption lays out random(16) + length (network order) + message + appid, PKCS#7-padded to 32', () => {
  const random = Buffer.alloc(16, 7);
  const message = '<xml><Content><![CDATA[你好]]></Content></xml>';
  const encrypt = encryptMessage(key, message, APPID, random);
  const raw = Buffer.from(encrypt, 'base64');
  expect(raw.length % 32).toBe(0);
  const d = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([d.update(raw), d.final()]);
  const body = Buffer.from(message, 'utf8');
  const unpadded = 16 + 4 + body.length + APPID.length;
  const pad = 32 - (unpadded % 32);
  expect(plain.subarray(0, 16)).toEqual(random);
  expect(plain.readUInt32BE(16)).toBe(body.length);
  expect(plain.subarray(20, 20 + body.length).toString('utf8')).toBe(message);
  expect(plain.subarray(20 + body.length, unpadded).toString()).toBe(APPID);
  expect([...plain.subarray(unpadded)]).toEqual(Array(pad).fill(pad));
  expect(decryptMessage(key, encrypt, APPID)).toEqual({ ok: true, message });
});

test('tampered, truncated or non-base64 ciphertext is refused, never thrown', () => {
  const encrypt = encryptMessage(key, '<xml/>', APPID);
  const raw = Buffer.from(encrypt, 'base64');
  const flipped = Buffer.from(raw);
  flipped[raw.length - 1]! ^= 0xff;
  const truncated = raw.subarray(0, 16).toString('base64');
  for (const bad of [flipped.toString('base64'), truncated, '!!!!', '', `${encrypt}AAAA`]) {
    expect(decryptMessage(key, bad, APPID)).toMatchObject({ ok: false });
  }
});

test('a sealed reply carries Encrypt, its msg_signature, TimeStamp and Nonce', () => {
  const at = { timestamp: '1777600000', nonce: 'n0nce' };
  const xml = sealedReplyXml(TOKEN, key, APPID, '<xml><Content>ok</Content></xml>', at);
  const f = parseFlatXml(xml)!;
  const expected = createHash('sha1').update([TOKEN, '1777600000', 'n0nce', f.Encrypt!].sort().join('')).digest('hex');
  expect(f.MsgSignature).toBe(expected);
  expect(f).toMatchObject({ TimeStamp: '1777600000', Nonce: 'n0nce' });
  expect(decryptMessage(key, f.Encrypt!, APPID)).toEqual({ ok: true, message: '<xml><Content>ok</Content></xml>' });
});
