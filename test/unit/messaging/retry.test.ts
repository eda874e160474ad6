import fc from 'fast-check';
import { backoffMs, classifySendFailure, nextRetry, type RetryPolicy } from '../../../core/messaging';

const now = new Date('2025-03-01T00:00:00Z');
const exact: RetryPolicy = { baseMs: 1000, maxMs: 60_000, maxAttempts: 5, jitter: 0 };

describe('S15 outbox retry classification of WeChat errcodes', () => {
  it('45009, -1 and timeouts are transient; 43101, 47003, 40003 are permanent', () => {
    for (const f of [{ errcode: 45009 }, { errcode: -1 }, { timeout: true as const }]) expect(classifySendFailure(f).transient).toBe(true);
    expect(classifySendFailure({ errcode: 43101 })).toEqual({ transient: false, reason: 'no_consent' });
    expect(classifySendFailure({ errcode: 47003 })).toEqual({ transient: false, reason: 'invalid_template_data' });
    expect(classifySendFailure({ errcode: 40003 })).toEqual({ transient: false, reason: 'invalid_openid' });
  });

  it('backoff doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 7, 20].map((a) => backoffMs(a, exact, 0.9))).toEqual([1000, 2000, 4000, 8000, 60_000, 60_000]);
  });

  it('jitter keeps the delay within [(1−jitter)·d, d]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 0.999, noNaN: true }), (attempt, jitter, r) => {
        const p = { ...exact, jitter };
        const d = backoffMs(attempt, exact, 0);
        const j = backoffMs(attempt, p, r);
        expect(j).toBeLessThanOrEqual(d);
        expect(j).toBeGreaterThanOrEqual(Math.floor(d * (1 - jitter)));
      }),
    );
  });

  it('permanent errors stop at once; transient ones retry until maxAttempts', () => {
    expect(nextRetry({ errcode: 43101 }, 1, exact, 0, now)).toEqual({ retry: false, reason: 'no_consent' });
    expect(nextRetry({ errcode: 45009 }, 2, exact, 0, now)).toEqual({ retry: true, at: new Date(now.getTime() + 2000), reason: 'rate_limited' });
    expect(nextRetry({ errcode: -1 }, 5, exact, 0, now)).toEqual({ retry: false, reason: 'gave_up:system_busy' });
  });
});
