import {
  capWindows,
  consumeConsent,
  decideSend,
  DEFAULT_MESSAGING_PREFS,
  recordSubscribeResult,
  type OutgoingMessage,
  type Reach,
} from '../../../core/messaging';
import { instantOf, localTime } from '../../../core/time';

const TZ = 'Asia/Shanghai';
const noon = instantOf('2025-03-12', '12:00', TZ); // a Wednesday
const promo: OutgoingMessage = { channel: 'subscribe', templateId: 'promo', purpose: 'marketing' };
const receipt: OutgoingMessage = { channel: 'subscribe', templateId: 'receipt', purpose: 'transactional' };
const reach = (over: Partial<Reach> = {}): Reach => ({
  consent: recordSubscribeResult(recordSubscribeResult({}, 'promo', 'accept', noon), 'receipt', 'accept', noon),
  isFollower: true,
  lastOaInteractionAt: null,
  hasEmail: true,
  ...over,
});
const none = { today: 0, thisWeek: 0 };
const prefs = DEFAULT_MESSAGING_PREFS;

describe('S15/S20 decideSend: consent, opt-out, caps, quiet hours', () => {
  it('sends and names the consent to consume', () => {
    expect(decideSend(promo, prefs, reach(), none, noon, TZ)).toEqual({ kind: 'send', consumeConsentOf: 'promo' });
  });

  it('no consent left → skipped no_consent (transactional too: the platform needs it)', () => {
    const used = reach({ consent: consumeConsent(reach().consent, 'receipt', noon) });
    expect(decideSend(receipt, prefs, used, none, noon, TZ)).toEqual({ kind: 'skip', reason: 'no_consent' });
  });

  it('opt-out of all marketing or of the channel is honoured; transactional still goes', () => {
    expect(decideSend(promo, { ...prefs, marketingOptOut: true }, reach(), none, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'opted_out',
    });
    expect(decideSend(promo, { ...prefs, channelOptOut: ['subscribe'] }, reach(), none, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'opted_out',
    });
    expect(decideSend(receipt, { ...prefs, marketingOptOut: true }, reach(), none, noon, TZ).kind).toBe('send');
  });

  it('caps per day and per week apply to marketing only', () => {
    const p = { ...prefs, capPerDay: 2, capPerWeek: 5 };
    expect(decideSend(promo, p, reach(), { today: 2, thisWeek: 2 }, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'capped_day',
    });
    expect(decideSend(promo, p, reach(), { today: 1, thisWeek: 5 }, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'capped_week',
    });
    expect(decideSend(promo, p, reach(), { today: 1, thisWeek: 4 }, noon, TZ).kind).toBe('send');
    expect(decideSend(receipt, p, reach(), { today: 9, thisWeek: 99 }, noon, TZ).kind).toBe('send');
  });

  it('quiet hours 22:00–08:00 brand time defer marketing to 08:00; transactional ignores them', () => {
    const late = instantOf('2025-03-12', '23:15', TZ);
    const d = decideSend(promo, prefs, reach(), none, late, TZ);
    expect(d).toEqual({ kind: 'defer', reason: 'quiet_hours', until: instantOf('2025-03-13', '08:00', TZ) });
    const early = instantOf('2025-03-13', '07:59', TZ);
    expect(decideSend(promo, prefs, reach(), none, early, TZ)).toMatchObject({
      kind: 'defer',
      until: instantOf('2025-03-13', '08:00', TZ),
    });
    expect(decideSend(promo, prefs, reach(), none, instantOf('2025-03-13', '08:00', TZ), TZ).kind).toBe('send');
    expect(decideSend(promo, prefs, reach(), none, instantOf('2025-03-12', '21:59', TZ), TZ).kind).toBe('send');
    expect(decideSend(receipt, prefs, reach(), none, late, TZ).kind).toBe('send');
    if (d.kind === 'defer') expect(localTime(d.until, TZ)).toEqual({ hour: 8, minute: 0 });
  });

  it('OA customer-service messages only within 48 h of the last interaction (seed 002: hour 47)', () => {
    const cs: OutgoingMessage = { channel: 'oa_custom', templateId: 'article', purpose: 'marketing' };
    const clicked = new Date(noon.getTime() - 47 * 3_600_000);
    expect(decideSend(cs, prefs, reach({ lastOaInteractionAt: clicked }), none, noon, TZ).kind).toBe('send');
    const tooOld = new Date(noon.getTime() - 48 * 3_600_000);
    expect(decideSend(cs, prefs, reach({ lastOaInteractionAt: tooOld }), none, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'outside_service_window',
    });
    expect(decideSend(cs, prefs, reach({ isFollower: false, lastOaInteractionAt: clicked }), none, noon, TZ)).toEqual({
      kind: 'skip',
      reason: 'no_consent',
    });
  });

  it('long-term templates consume nothing', () => {
    const r = reach({ consent: recordSubscribeResult({}, 'promo', 'accept', noon, { longTerm: true }) });
    expect(decideSend(promo, prefs, r, none, noon, TZ)).toEqual({ kind: 'send', consumeConsentOf: null });
  });

  it('cap windows start at brand-local midnight and on Monday', () => {
    expect(capWindows(noon, TZ)).toEqual({
      dayStart: instantOf('2025-03-12', '00:00', TZ),
      weekStart: instantOf('2025-03-10', '00:00', TZ),
    });
    const sunday = instantOf('2025-03-16', '23:00', TZ);
    expect(capWindows(sunday, TZ).weekStart).toEqual(instantOf('2025-03-10', '00:00', TZ));
  });
});
