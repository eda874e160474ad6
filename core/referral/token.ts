import { createHmac, timingSafeEqual } from 'node:crypto';
import { DomainError, ErrorCodes } from '../errors';
import { DEFAULT_TIME_ZONE, addDays, localDate } from '../time';

/**
 * A referral token: `<referrerId>.<issued day, base36 days since 1970-01-01>.<8-char HMAC>`.
 * Short enough for a Mini Program code's `scene` (≤ 32 characters) when the referrer id has at
 * most 18 characters (e.g. a card number); longer ids still work in a share path.
 * 8 base64url characters = 48 bits of HMAC-SHA256: forging one online is not practical.
 */
const SIG_LEN = 8;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const DAY_MS = 86_400_000;

const dayNumber = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);
const dayString = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

function sign(referrerId: string, day36: string, secret: string): string {
  if (!secret) throw new DomainError(ErrorCodes.INTERNAL, '推荐签名密钥未配置');
  return createHmac('sha256', secret).update(`ref1|${referrerId}|${day36}`).digest('base64url').slice(0, SIG_LEN);
}

export function issueReferralToken(
  referrerId: string,
  issuedAt: Date,
  secret: string,
  tz: string = DEFAULT_TIME_ZONE,
): string {
  if (!ID.test(referrerId)) throw new DomainError(ErrorCodes.INVALID_INPUT, '推荐人编号格式不正确', { referrerId });
  const day36 = dayNumber(localDate(issuedAt, tz)).toString(36);
  return `${referrerId}.${day36}.${sign(referrerId, day36, secret)}`;
}

export interface ReferralTokenClaims {
  referrerId: string;
  /** Brand-local date the token was issued (YYYY-MM-DD). */
  issuedDay: string;
}

/**
 * The claims of a valid token, or null when it is malformed, tampered with, issued in the
 * future, or expired (valid through the brand-local day `issuedDay + ttlDays`).
 */
export function verifyReferralToken(
  token: string,
  secret: string,
  now: Date,
  opts: { ttlDays: number; tz?: string },
): ReferralTokenClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [referrerId = '', day36 = '', sig = ''] = parts;
  if (!ID.test(referrerId) || !/^[0-9a-z]{1,6}$/.test(day36) || sig.length !== SIG_LEN) return null;
  const expected = Buffer.from(sign(referrerId, day36, secret));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const issuedDay = dayString(parseInt(day36, 36));
  const today = localDate(now, opts.tz ?? DEFAULT_TIME_ZONE);
  if (issuedDay > today || addDays(issuedDay, opts.ttlDays) < today) return null;
  return { referrerId, issuedDay };
}
