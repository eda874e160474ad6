import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The token of an email confirmation link: who asked, for which address, until when, signed with
 * the `member` function's email secret. Anyone holding the mail can confirm (that is the point of
 * it); nobody can make a token for another address or member.
 */
export interface EmailClaim {
  memberId: string;
  address: string;
  expiresAt: Date;
}

export type EmailTokenCheck =
  { ok: true; claim: EmailClaim } | { ok: false; code: 'EMAIL_LINK_INVALID' | 'EMAIL_LINK_EXPIRED' };

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
const mac = (secret: string, payload: string) =>
  createHmac('sha256', secret).update(`email-confirm\n${payload}`).digest('base64url');
const INVALID = { ok: false, code: 'EMAIL_LINK_INVALID' } as const;

export function emailToken(secret: string, c: EmailClaim): string {
  const payload = b64(JSON.stringify({ m: c.memberId, a: c.address, x: Math.floor(c.expiresAt.getTime() / 1000) }));
  return `${payload}.${mac(secret, payload)}`;
}

export function verifyEmailToken(secret: string, token: string, now: Date): EmailTokenCheck {
  const [payload, given, extra] = token.split('.');
  if (!payload || !given || extra !== undefined) return INVALID;
  const expected = Buffer.from(mac(secret, payload));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return INVALID;
  let body: { m?: unknown; a?: unknown; x?: unknown };
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return INVALID;
  }
  if (typeof body.m !== 'string' || typeof body.a !== 'string' || typeof body.x !== 'number') {
    return INVALID;
  }
  const expiresAt = new Date(body.x * 1000);
  if (expiresAt.getTime() < now.getTime()) return { ok: false, code: 'EMAIL_LINK_EXPIRED' };
  return { ok: true, claim: { memberId: body.m, address: body.a, expiresAt } };
}
