/**
 * The Official Account access token is shared by every function instance through one document
 * (`oa_tokens/<appId>`): WeChat allows ~2,000 token fetches a day, and each fetch starts
 * retiring the previous token, so instances must not fetch one each.
 */
export interface CachedToken {
  _id: string;
  accessToken: string | null;
  expiresAt: Date | null;
  fetchedAt?: Date | null;
  /** the instance refreshing it, until `leaseUntil` (a crashed holder frees it then) */
  leaseHolder: string | null;
  leaseUntil: Date | null;
}

/** Refresh this long before the expiry WeChat gave, so no call starts with a token about to die. */
export const REFRESH_EARLY_MS = 5 * 60_000;
/** Longer than one token fetch may take. */
export const LEASE_MS = 10_000;

export type TokenDecision = { kind: 'use'; token: string } | { kind: 'refresh' } | { kind: 'wait' };

/**
 * What to do with the cached token at `now`. `rejected` is a token WeChat just refused (40001/42001):
 * never use it again, but a different one another instance stored meanwhile is fine.
 * While another instance holds the lease, a token that still works is used (even inside the
 * early-refresh window); without one, wait for the holder.
 */
export function decideToken(doc: CachedToken | null, now: Date, rejected?: string): TokenDecision {
  const token = doc?.accessToken && doc.accessToken !== rejected ? doc.accessToken : null;
  const expiresAt = doc?.expiresAt ? new Date(doc.expiresAt).getTime() : 0;
  const t = now.getTime();
  if (token && expiresAt - REFRESH_EARLY_MS > t) return { kind: 'use', token };
  const leased = !!doc?.leaseUntil && new Date(doc.leaseUntil).getTime() > t;
  if (!leased) return { kind: 'refresh' };
  return token && expiresAt > t ? { kind: 'use', token } : { kind: 'wait' };
}
