import fc from 'fast-check';
import {
  DEFAULT_RETRY_POLICY,
  MESSAGE_DEADLINES,
  backoffMs,
  classifySendFailure,
  deadlineOf,
  deadlineTypeOf,
  nextRetry,
  retrySchedule,
  type Attempt,
  type RetryPolicy,
} from '../../../core/messaging';

const exact: RetryPolicy = { baseMs: 60_000, maxMs: 2 * 3_600_000, jitter: 0 };
const now = new Date('2026-05-04T02:00:00Z');
const H = 3_600_000;
const attempt = (over: Partial<Attempt> = {}): Attempt => ({
  channel: 'subscribe',
  attempts: 1,
  deadlineAt: new Date(now.getTime() + 24 * H),
  unknownSince: null,
  ...over,
});

describe('S15 outbox retry policy', () => {
  it('classifies WeChat errors: transient, permanent; a timeout is an unknown outcome, not a failure', () => {
    for (const f of [{ errcode: 45009 }, { errcode: -1 }])
      expect(classifySendFailure(f)).toMatchObject({ transient: true });
    expect(classifySendFailure({ timeout: true })).toEqual({ unknown: true, reason: 'outcome_unknown' });
    expect(classifySendFailure({ errcode: 43101 })).toEqual({ transient: false, reason: 'no_consent' });
    expect(classifySendFailure({ errcode: 47003 })).toEqual({ transient: false, reason: 'invalid_template_data' });
  });

  it('backoff doubles from a minute and stops at two hours', () => {
    expect([1, 2, 3, 7, 8, 20].map((a) => backoffMs(a, exact, 0.9))).toEqual([
      60_000,
      120_000,
      240_000,
      64 * 60_000,
      2 * H,
      2 * H,
    ]);
  });

  it('jitter keeps the delay within [(1−jitter)·d, d]', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 0.999, noNaN: true }),
        (n, jitter, r) => {
          const d = backoffMs(n, exact, 0);
          const j = backoffMs(n, { ...exact, jitter }, r);
          expect(j).toBeLessThanOrEqual(d);
          expect(j).toBeGreaterThanOrEqual(Math.floor(d * (1 - jitter)));
        },
      ),
    );
  });

  it('permanent errors stop at once; transient ones retry across the deadline, then expire (never sent late)', () => {
    expect(nextRetry({ errcode: 43101 }, attempt(), exact, 0, now)).toEqual({
      retry: false,
      state: 'failed',
      reason: 'no_consent',
    });
    expect(nextRetry({ errcode: 45009 }, attempt({ attempts: 2 }), exact, 0, now)).toEqual({
      retry: true,
      at: new Date(now.getTime() + 120_000),
      reason: 'rate_limited',
    });
    // the ninth try of a day-long message is still retried (the old policy gave up after 8 tries, minutes in)
    expect(nextRetry({ errcode: -1 }, attempt({ attempts: 9 }), exact, 0, now)).toMatchObject({ retry: true });
    expect(
      nextRetry({ errcode: -1 }, attempt({ deadlineAt: new Date(now.getTime() + 30_000) }), exact, 0, now),
    ).toEqual({ retry: false, state: 'failed', reason: 'expired:system_busy' });
  });

  it('an unknown outcome is never resent where WeChat does not de-duplicate; resent with the same id inside the window where it does', () => {
    for (const channel of ['subscribe', 'oa_custom', 'email'] as const) {
      expect(nextRetry({ timeout: true }, attempt({ channel }), exact, 0, now)).toEqual({
        retry: false,
        state: 'unknown',
        reason: 'outcome_unknown',
      });
    }
    expect(nextRetry({ timeout: true }, attempt({ channel: 'oa_template' }), exact, 0, now)).toMatchObject({
      retry: true,
    });
    const late = attempt({ channel: 'oa_template', attempts: 4, unknownSince: new Date(now.getTime() - 9 * 60_000) });
    expect(nextRetry({ timeout: true }, late, exact, 0, now)).toEqual({
      retry: false,
      state: 'unknown',
      reason: 'outcome_unknown',
    });
  });

  it('a 7–8 minute outage fits in every schedule: tries keep coming past it', () => {
    for (const type of Object.keys(MESSAGE_DEADLINES) as (keyof typeof MESSAGE_DEADLINES)[]) {
      const d = deadlineOf(type, now, new Date(now.getTime() + 2 * H), 'Asia/Shanghai').getTime() - now.getTime();
      const s = retrySchedule(d, exact);
      expect(s[s.length - 1]).toBeGreaterThan(8 * 60_000);
      expect(s[s.length - 1]).toBeLessThanOrEqual(d);
    }
    expect(DEFAULT_RETRY_POLICY.baseMs).toBe(60_000);
  });
});

describe('deadlines', () => {
  it('a thank-you within a day, a booking reminder before the booking, a birthday on the day (brand time)', () => {
    expect(deadlineOf(deadlineTypeOf({ template: 'first_purchase_thanks' }), now)).toEqual(
      new Date(now.getTime() + 24 * H),
    );
    const start = new Date('2026-05-04T06:30:00Z');
    expect(deadlineOf('appointmentReminder', now, start)).toEqual(start);
    // 10:00 in Shanghai → the end of that day is 16:00 UTC
    expect(deadlineOf(deadlineTypeOf({ template: 'birthday_greeting' }), now, null, 'Asia/Shanghai')).toEqual(
      new Date('2026-05-04T16:00:00Z'),
    );
    expect(deadlineTypeOf({ template: 'qipao_story', purpose: 'marketing' })).toBe('marketing');
  });
});
