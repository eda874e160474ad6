/** How a send failed: a WeChat errcode from the OpenAPI, or no answer in time. */
export type SendFailure = { errcode: number; errmsg?: string } | { timeout: true };

export type FailureClass = { transient: true; reason: string } | { transient: false; reason: string };

const TRANSIENT: Record<number, string> = {
  [-1]: 'system_busy',
  45009: 'rate_limited',
  40001: 'access_token_invalid', // refresh the token, then retry
  42001: 'access_token_expired',
};

const PERMANENT: Record<number, string> = {
  43101: 'no_consent', // user refused / no subscription left
  47003: 'invalid_template_data',
  40003: 'invalid_openid',
  40037: 'invalid_template_id',
  43004: 'not_following',
  48001: 'api_unauthorized', // also: no Official Account configured for this brand
  45015: 'outside_service_window',
};

/** Unknown errcodes count as transient: retrying a refused send cannot deliver twice, and attempts are capped. */
export function classifySendFailure(f: SendFailure): FailureClass {
  if ('timeout' in f) return { transient: true, reason: 'timeout' };
  const permanent = PERMANENT[f.errcode];
  if (permanent) return { transient: false, reason: permanent };
  return { transient: true, reason: TRANSIENT[f.errcode] ?? `errcode_${f.errcode}` };
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
  /** 0 = exact exponential delays; 1 = "full jitter" (anywhere between 0 and the delay). */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 1_000, maxMs: 10 * 60_000, maxAttempts: 8, jitter: 0.5 };

/** Delay before retry number `attempt` (1 = first retry): base·2^(attempt−1), capped, minus up to `jitter` of it. `random` ∈ [0, 1). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - policy.jitter * random));
}

export type RetryDecision = { retry: true; at: Date; reason: string } | { retry: false; reason: string };

/** After `attempts` failed tries (≥ 1): when to try again, or stop with the reason to record. */
export function nextRetry(f: SendFailure, attempts: number, policy: RetryPolicy, random: number, now: Date): RetryDecision {
  const c = classifySendFailure(f);
  if (!c.transient) return { retry: false, reason: c.reason };
  if (attempts >= policy.maxAttempts) return { retry: false, reason: `gave_up:${c.reason}` };
  return { retry: true, at: new Date(now.getTime() + backoffMs(attempts, policy, random)), reason: c.reason };
}
