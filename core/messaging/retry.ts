import type { Channel } from './prefs';

/** How a send failed: a WeChat errcode from the OpenAPI, or no answer in time (the outcome is unknown). */
export type SendFailure = { errcode: number; errmsg?: string } | { timeout: true };

export type FailureClass =
  | { transient: true; reason: string }
  | { transient: false; reason: string }
  | { unknown: true; reason: 'outcome_unknown' };

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

/**
 * A timeout is not a failure: WeChat may have delivered the message. Unknown errcodes count as
 * transient: WeChat answered, so it refused, and retrying a refused send cannot deliver twice.
 */
export function classifySendFailure(f: SendFailure): FailureClass {
  if ('timeout' in f) return { unknown: true, reason: 'outcome_unknown' };
  const permanent = PERMANENT[f.errcode];
  if (permanent) return { transient: false, reason: permanent };
  return { transient: true, reason: TRANSIENT[f.errcode] ?? `errcode_${f.errcode}` };
}

/** What an unknown outcome allows on each channel (and for webhooks). */
export type UnknownOutcomeRule =
  /** no de-duplication by WeChat (or the one-time consent is spent by the first send): record it as unknown, never resend */
  | { resend: false }
  /** the receiver de-duplicates by the outbox key for `withinMs` after the first try: resend with the same id inside it */
  | { resend: true; withinMs: number };

export const UNKNOWN_OUTCOME: Record<Channel | 'webhook', UnknownOutcomeRule> = {
  subscribe: { resend: false },
  oa_custom: { resend: false },
  email: { resend: false },
  // template/send's client_msg_id: one message per openid and id for 10 minutes
  oa_template: { resend: true, withinMs: 9 * 60_000 },
  // the receiver de-duplicates by X-Outbox-Key
  webhook: { resend: true, withinMs: Number.POSITIVE_INFINITY },
};

export interface RetryPolicy {
  /** the first retry's delay: the dispatcher runs once a minute */
  baseMs: number;
  /** the longest gap between two tries */
  maxMs: number;
  /** 0 = exact exponential delays; 1 = "full jitter" (anywhere between 0 and the delay). */
  jitter: number;
}

/** 1, 2, 4 … 64 minutes, then every 2 hours, until the message's deadline. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 60_000, maxMs: 2 * 3_600_000, jitter: 0.2 };

/** Delay before retry number `attempt` (1 = first retry): base·2^(attempt−1), capped, minus up to `jitter` of it. `random` ∈ [0, 1). */
export function backoffMs(attempt: number, policy: RetryPolicy, random: number): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(raw * (1 - policy.jitter * random));
}

export type RetryDecision =
  { retry: true; at: Date; reason: string } | { retry: false; state: 'failed' | 'unknown'; reason: string };

export interface Attempt {
  channel: Channel | 'webhook';
  /** tries so far, this one included (≥ 1) */
  attempts: number;
  /** after it, nothing is sent */
  deadlineAt: Date;
  /** first try whose outcome was unknown, if any (the de-duplication window counts from it) */
  unknownSince: Date | null;
}

/** After a failed or unanswered try: when to try again, or the state and reason to record. */
export function nextRetry(f: SendFailure, a: Attempt, policy: RetryPolicy, random: number, now: Date): RetryDecision {
  const c = classifySendFailure(f);
  if ('unknown' in c) {
    const rule = UNKNOWN_OUTCOME[a.channel];
    const since = a.unknownSince ?? now;
    if (!rule.resend || now.getTime() - since.getTime() >= rule.withinMs)
      return { retry: false, state: 'unknown', reason: c.reason };
  } else if (!c.transient) return { retry: false, state: 'failed', reason: c.reason };
  const at = new Date(now.getTime() + backoffMs(a.attempts, policy, random));
  if (at.getTime() > a.deadlineAt.getTime()) {
    return 'unknown' in c
      ? { retry: false, state: 'unknown', reason: c.reason }
      : { retry: false, state: 'failed', reason: `expired:${c.reason}` };
  }
  return { retry: true, at, reason: c.reason };
}

/** The schedule of tries a message gets when every try fails: offsets from the first, up to its deadline (for the docs' table and tests). */
export function retrySchedule(deadlineMs: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number[] {
  const out = [0];
  for (let attempt = 1; ; attempt++) {
    const next = out[out.length - 1]! + backoffMs(attempt, policy, 0);
    if (next > deadlineMs) return out;
    out.push(next);
  }
}
