import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Server-to-server request signing (member link, POS, order sync):
 *   canonical = METHOD \n path \n timestamp \n nonce \n hex(sha256(body))
 *   signature = hex(HMAC-SHA256(secret, canonical))
 * Headers: x-mc-source, x-mc-timestamp (unix seconds), x-mc-nonce, x-mc-signature.
 * The nonce must be unique per source (the server remembers it); the timestamp within the source's
 * window (±5 minutes unless configured).
 */
export const SIGNATURE_WINDOW_SECONDS = 300;
export const SIGNING_HEADERS = {
  source: 'x-mc-source',
  timestamp: 'x-mc-timestamp',
  nonce: 'x-mc-nonce',
  signature: 'x-mc-signature',
} as const;

export interface SignedParts {
  method: string;
  path: string;
  timestamp: string;
  nonce: string;
  body: Buffer | string;
}

export function canonicalString(p: SignedParts): string {
  const bodyHash = createHash('sha256').update(p.body).digest('hex');
  return [p.method.toUpperCase(), p.path, p.timestamp, p.nonce, bodyHash].join('\n');
}

export function signRequest(secret: string, p: SignedParts): string {
  return createHmac('sha256', secret).update(canonicalString(p)).digest('hex');
}

export type SignatureCheck =
  { ok: true } | { ok: false; code: 'SIGNATURE_MISSING' | 'SIGNATURE_EXPIRED' | 'SIGNATURE_INVALID' };

/** `windowSeconds`: the source's allowed clock skew (brand config `maxClockSkewSeconds`). */
export function verifyRequest(
  secret: string,
  p: SignedParts,
  signature: string | undefined,
  now: Date,
  windowSeconds = SIGNATURE_WINDOW_SECONDS,
): SignatureCheck {
  if (!signature || !/^\d{9,11}$/.test(p.timestamp) || !/^[A-Za-z0-9_-]{8,64}$/.test(p.nonce))
    return { ok: false, code: 'SIGNATURE_MISSING' };
  const expected = Buffer.from(signRequest(secret, p));
  const given = Buffer.from(signature.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'SIGNATURE_INVALID' };
  const skew = Math.abs(now.getTime() / 1000 - Number(p.timestamp));
  if (skew > windowSeconds) return { ok: false, code: 'SIGNATURE_EXPIRED' };
  return { ok: true };
}

/** The headers a client sends for a signed request. */
export function signedHeaders(
  secret: string,
  source: string,
  p: Omit<SignedParts, 'timestamp'> & { at: Date },
): Record<string, string> {
  const timestamp = String(Math.floor(p.at.getTime() / 1000));
  return {
    [SIGNING_HEADERS.source]: source,
    [SIGNING_HEADERS.timestamp]: timestamp,
    [SIGNING_HEADERS.nonce]: p.nonce,
    [SIGNING_HEADERS.signature]: signRequest(secret, { ...p, timestamp }),
  };
}
