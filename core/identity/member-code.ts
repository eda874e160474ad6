import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dynamic member code the card shows: `M1.<cardNo>.<window base36>.<sig>`, where the window
 * is the 60-second slot it was issued in. A code is accepted in its own window and the next one
 * (a scan just after rotation still works), so a screenshot is useless after at most two minutes.
 */
export const MEMBER_CODE_ROTATE_SECONDS = 60;
const SIG_LEN = 12;
const VERSION = 'M1';

export type MemberCodeCheck = { ok: true; cardNo: string; window: number } | { ok: false; code: 'MEMBER_CODE_EXPIRED' | 'MEMBER_CODE_INVALID' };

export const codeWindow = (at: Date): number => Math.floor(at.getTime() / 1000 / MEMBER_CODE_ROTATE_SECONDS);

function sign(cardNo: string, w36: string, secret: string): string {
  if (!secret) throw new Error('member code secret missing');
  return createHmac('sha256', secret).update(`${VERSION}|${cardNo}|${w36}`).digest('base64url').slice(0, SIG_LEN);
}

export function issueMemberCode(cardNo: string, at: Date, secret: string): { code: string; expiresAt: Date } {
  const w = codeWindow(at);
  const w36 = w.toString(36);
  return { code: `${VERSION}.${cardNo}.${w36}.${sign(cardNo, w36, secret)}`, expiresAt: new Date((w + 1) * MEMBER_CODE_ROTATE_SECONDS * 1000) };
}

/** Tampered or malformed → INVALID; genuine but older than the previous window → EXPIRED. */
export function verifyMemberCode(code: string, now: Date, secret: string): MemberCodeCheck {
  const parts = code.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const [, cardNo = '', w36 = '', sig = ''] = parts;
  if (!/^\d{6,20}$/.test(cardNo) || !/^[0-9a-z]{1,10}$/.test(w36) || sig.length !== SIG_LEN) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const expected = Buffer.from(sign(cardNo, w36, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const w = parseInt(w36, 36);
  const current = codeWindow(now);
  if (w > current + 1) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  if (w < current - 1) return { ok: false, code: 'MEMBER_CODE_EXPIRED' };
  return { ok: true, cardNo, window: w };
}
