import fc from 'fast-check';
import { issueReferralToken, verifyReferralToken } from '../../../core/referral';
import { instantOf } from '../../../core/time';

const TZ = 'Asia/Shanghai';
const SECRET = 'brand-secret';
const issued = instantOf('2025-03-01', '15:00', TZ);
const opts = { ttlDays: 30, tz: TZ };

describe('S11 referral tokens', () => {
  it('round-trips the referrer and the brand-local issue day, and fits a Mini Program code scene', () => {
    const t = issueReferralToken('NANCY0001', issued, SECRET, TZ);
    expect(verifyReferralToken(t, SECRET, issued, opts)).toEqual({ referrerId: 'NANCY0001', issuedDay: '2025-03-01' });
    expect(issueReferralToken('M12345678901234567', issued, SECRET, TZ).length).toBeLessThanOrEqual(32);
  });

  it('a tampered token is null: other referrer, other day, other signature, other secret', () => {
    const t = issueReferralToken('NANCY0001', issued, SECRET, TZ);
    const [id, day, sig] = t.split('.') as [string, string, string];
    expect(verifyReferralToken(`LIZZY0002.${day}.${sig}`, SECRET, issued, opts)).toBeNull();
    expect(
      verifyReferralToken(`${id}.${(parseInt(day, 36) + 1).toString(36)}.${sig}`, SECRET, issued, opts),
    ).toBeNull();
    expect(
      verifyReferralToken(`${id}.${day}.${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`, SECRET, issued, opts),
    ).toBeNull();
    expect(verifyReferralToken(t, 'another-secret', issued, opts)).toBeNull();
    for (const junk of ['', 'a.b', 'x.y.z.w', `${id}..${sig}`])
      expect(verifyReferralToken(junk, SECRET, issued, opts)).toBeNull();
  });

  it('any single-character change is rejected (property)', () => {
    const t = issueReferralToken('NANCY0001', issued, SECRET, TZ);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: t.length - 1 }), fc.constantFrom(...'abcXYZ019-_.'), (i, ch) => {
        fc.pre(t[i] !== ch);
        expect(verifyReferralToken(t.slice(0, i) + ch + t.slice(i + 1), SECRET, issued, opts)).toBeNull();
      }),
    );
  });

  it('expires after ttlDays brand-local days and is not valid before its issue day', () => {
    const t = issueReferralToken('NANCY0001', issued, SECRET, TZ);
    expect(verifyReferralToken(t, SECRET, instantOf('2025-03-31', '23:59', TZ), opts)).not.toBeNull();
    expect(verifyReferralToken(t, SECRET, instantOf('2025-04-01', '00:00', TZ), opts)).toBeNull();
    expect(verifyReferralToken(t, SECRET, instantOf('2025-02-28', '23:59', TZ), opts)).toBeNull();
  });

  it('refuses ids that would break the format', () => {
    expect(() => issueReferralToken('a.b', issued, SECRET, TZ)).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});
