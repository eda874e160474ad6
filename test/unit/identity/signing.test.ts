import fc from 'fast-check';
import {
  SIGNATURE_WINDOW_SECONDS,
  canonicalString,
  signRequest,
  signedHeaders,
  verifyRequest,
} from '../../../core/signing/hmac';

const now = new Date('2026-05-01T10:00:00Z');
const ts = String(Math.floor(now.getTime() / 1000));
const parts = { method: 'POST', path: '/http/member/link', timestamp: ts, nonce: 'nonce-0001', body: '{"a":1}' };

test('signing: canonical string holds method, path, timestamp, nonce and the body hash', () => {
  const c = canonicalString(parts).split('\n');
  expect(c.slice(0, 4)).toEqual(['POST', '/http/member/link', ts, 'nonce-0001']);
  expect(c[4]).toMatch(/^[0-9a-f]{64}$/);
});

test('signing: a good signature verifies; within ±5 minutes only', () => {
  const sig = signRequest('s3cret', parts);
  expect(verifyRequest('s3cret', parts, sig, now)).toEqual({ ok: true });
  expect(verifyRequest('s3cret', parts, sig, new Date(now.getTime() + SIGNATURE_WINDOW_SECONDS * 1000))).toEqual({
    ok: true,
  });
  expect(verifyRequest('s3cret', parts, sig, new Date(now.getTime() + (SIGNATURE_WINDOW_SECONDS + 1) * 1000))).toEqual({
    ok: false,
    code: 'SIGNATURE_EXPIRED',
  });
  expect(verifyRequest('s3cret', parts, sig, new Date(now.getTime() - (SIGNATURE_WINDOW_SECONDS + 1) * 1000))).toEqual({
    ok: false,
    code: 'SIGNATURE_EXPIRED',
  });
});

test('signing: changing any signed part, or the secret, breaks it', () => {
  const sig = signRequest('s3cret', parts);
  fc.assert(
    fc.property(
      fc.constantFrom('method', 'path', 'nonce', 'body') as fc.Arbitrary<'method' | 'path' | 'nonce' | 'body'>,
      fc.string({ minLength: 1, maxLength: 8 }).map((s) => s.replace(/[^A-Za-z0-9]/g, 'x')),
      (k, extra) => {
        const changed = { ...parts, [k]: `${parts[k]}${extra}` };
        expect(verifyRequest('s3cret', changed, sig, now).ok).toBe(false);
      },
    ),
  );
  expect(verifyRequest('other', parts, sig, now)).toEqual({ ok: false, code: 'SIGNATURE_INVALID' });
  expect(verifyRequest('s3cret', parts, undefined, now)).toEqual({ ok: false, code: 'SIGNATURE_MISSING' });
});

test('signedHeaders makes what verifyRequest accepts', () => {
  const h = signedHeaders('k', 'pos', { method: 'POST', path: '/p', nonce: 'abcdefgh1', body: 'x', at: now });
  expect(
    verifyRequest(
      'k',
      { method: 'POST', path: '/p', timestamp: h['x-mc-timestamp']!, nonce: 'abcdefgh1', body: 'x' },
      h['x-mc-signature'],
      now,
    ),
  ).toEqual({ ok: true });
  expect(h['x-mc-source']).toBe('pos');
});
