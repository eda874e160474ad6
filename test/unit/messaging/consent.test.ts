import { consumeConsent, hasConsent, recordSubscribeResult, type ConsentLedger } from '../../../core/messaging';
import { isDomainError } from '../../../core/errors';

const at = new Date('2025-03-01T02:00:00Z');
const T = 'tpl-order-paid';

function sendAll(ledger: ConsentLedger, n: number): { sent: number; skipped: number; ledger: ConsentLedger } {
  let sent = 0;
  let skipped = 0;
  for (let i = 0; i < n; i++) {
    if (hasConsent(ledger, T)) {
      ledger = consumeConsent(ledger, T, at);
      sent++;
    } else skipped++;
  }
  return { sent, skipped, ledger };
}

describe('S15 subscription consent is counted per template', () => {
  it('one consent, two sends → one sent, one skipped', () => {
    const r = sendAll(recordSubscribeResult({}, T, 'accept', at), 2);
    expect(r).toMatchObject({ sent: 1, skipped: 1 });
  });

  it('each accept adds one send; other templates are untouched', () => {
    let l = recordSubscribeResult({}, T, 'accept', at);
    l = recordSubscribeResult(l, T, 'accept', at);
    l = recordSubscribeResult(l, 'other', 'accept', at);
    expect(sendAll(l, 5)).toMatchObject({ sent: 2, skipped: 3 });
    expect(hasConsent(l, 'other')).toBe(true);
  });

  it('reject and ban stop sends, also unused consents; a later accept starts again', () => {
    const two = recordSubscribeResult(recordSubscribeResult({}, T, 'accept', at), T, 'accept', at);
    for (const no of ['reject', 'ban'] as const) {
      const stopped = recordSubscribeResult(two, T, no, at);
      expect(hasConsent(stopped, T)).toBe(false);
      expect(stopped[T]?.blocked).toBe(no);
      expect(sendAll(recordSubscribeResult(stopped, T, 'accept', at), 3).sent).toBe(1);
    }
  });

  it("'filter' changes nothing", () => {
    const l = recordSubscribeResult({}, T, 'accept', at);
    expect(recordSubscribeResult(l, T, 'filter', at)).toBe(l);
  });

  it('long-term templates are unlimited until rejected', () => {
    const l = recordSubscribeResult({}, T, 'accept', at, { longTerm: true });
    expect(sendAll(l, 50).sent).toBe(50);
    expect(hasConsent(recordSubscribeResult(l, T, 'reject', at), T)).toBe(false);
  });

  it('consuming without consent throws NO_CONSENT', () => {
    expect(() => consumeConsent({}, T, at)).toThrow(expect.objectContaining({ code: 'NO_CONSENT' }));
    try {
      consumeConsent({}, T, at);
    } catch (e) {
      expect(isDomainError(e)).toBe(true);
    }
  });
});
