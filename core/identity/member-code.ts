import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The dynamic member code the card shows: `M1.<cardNo>.<window base36>.<sig>`, where the window
 * is the 60-second slot it was issued in. A code is accepted in its own window and the next one
 * (a scan just after rotation still works), so a screenshot is useless after at most two minutes.
 */
export const MEMBER_CODE_ROTATE_SECONDS = 60;
const SIG_LEN = 12;
const VERSION = 'M1';

export type MemberCodeCheck =
  { ok: true; cardNo: string; window: number } | { ok: false; code: 'MEMBER_CODE_EXPIRED' | 'MEMBER_CODE_INVALID' };

export const codeWindow = (at: Date): number => Math.floor(at.getTime() / 1000 / MEMBER_CODE_ROTATE_SECONDS);

function sign(cardNo: string, w36: string, secret: string): string {
  if (!secret) throw new Error('member code secret missing');
  return createHmac('sha256', secret).update(`${VERSION}|${cardNo}|${w36}`).digest('base64url').slice(0, SIG_LEN);
}

export function issueMemberCode(cardNo: string, at: Date, secret: string): { code: string; expiresAt: Date } {
  const w = codeWindow(at);
  const w36 = w.toString(36);
  return {
    code: `${VERSION}.${cardNo}.${w36}.${sign(cardNo, w36, secret)}`,
    expiresAt: new Date((w + 1) * MEMBER_CODE_ROTATE_SECONDS * 1000),
  };
}

/**
 * The same code as digits, for the bar code (Code 128 packs two digits per symbol) and to read out:
 * `<cardNo><window mod 100, 2 digits><6-digit signature>`. The window is recovered as the latest one
 * with those last two digits, no later than the next window; 6 digits leave one chance in a million
 * to a guess, and only staff can ask.
 */
export function issueShortMemberCode(cardNo: string, at: Date, secret: string): string {
  const w = codeWindow(at);
  return `${cardNo}${String(w % 100).padStart(2, '0')}${shortSign(cardNo, w, secret)}`;
}

const SHORT_SUFFIX = 8;
const SHORT_CODE = /^\d{14,28}$/;

function shortSign(cardNo: string, w: number, secret: string): string {
  if (!secret) throw new Error('member code secret missing');
  const mac = createHmac('sha256', secret).update(`${VERSION}S|${cardNo}|${w}`).digest();
  return String(mac.readUInt32BE(0) % 1_000_000).padStart(6, '0');
}

function verifyShort(digits: string, now: Date, secret: string): MemberCodeCheck {
  const cardNo = digits.slice(0, -SHORT_SUFFIX);
  const mod = Number(digits.slice(-SHORT_SUFFIX, -SHORT_SUFFIX + 2));
  const latest = codeWindow(now) + 1;
  const w = latest - ((((latest - mod) % 100) + 100) % 100);
  const expected = Buffer.from(shortSign(cardNo, w, secret));
  const given = Buffer.from(digits.slice(-6));
  if (!timingSafeEqual(given, expected)) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  if (w < latest - 2) return { ok: false, code: 'MEMBER_CODE_EXPIRED' };
  return { ok: true, cardNo, window: w };
}

/** Tampered or malformed → INVALID; genuine but older than the previous window → EXPIRED. Takes either form. */
export function verifyMemberCode(code: string, now: Date, secret: string): MemberCodeCheck {
  const digits = code.replace(/\s+/g, '');
  if (SHORT_CODE.test(digits)) return verifyShort(digits, now, secret);
  const parts = code.split('.');
  if (parts.length !== 4 || parts[0] !== VERSION) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const [, cardNo = '', w36 = '', sig = ''] = parts;
  if (!/^\d{6,20}$/.test(cardNo) || !/^[0-9a-z]{1,10}$/.test(w36) || sig.length !== SIG_LEN)
    return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const expected = Buffer.from(sign(cardNo, w36, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, code: 'MEMBER_CODE_INVALID' };
  const w = parseInt(w36, 36);
  const current = codeWindow(now);
  if (w > current + 1) return { ok: false, code: 'MEMBER_CODE_INVALID' };
  if (w < current - 1) return { ok: false, code: 'MEMBER_CODE_EXPIRED' };
  return { ok: true, cardNo, window: w };
}
