import fc from 'fast-check';
import { decideToken, REFRESH_EARLY_MS, type CachedToken } from '../../../server/oa/token-cache';

const now = new Date('2026-05-01T10:00:00Z');
const at = (ms: number) => new Date(now.getTime() + ms);
const doc = (over: Partial<CachedToken> = {}): CachedToken => ({
  _id: 'wx_oa',
  accessToken: 'AT1',
  expiresAt: at(2 * 3600_000),
  leaseHolder: null,
  leaseUntil: null,
  ...over,
});

test('no cached document, or one without a token → refresh', () => {
  expect(decideToken(null, now)).toEqual({ kind: 'refresh' });
  expect(decideToken(doc({ accessToken: null, expiresAt: null }), now)).toEqual({ kind: 'refresh' });
});

test('a token with more than five minutes left is used; inside the last five minutes it is refreshed', () => {
  expect(decideToken(doc({ expiresAt: at(REFRESH_EARLY_MS + 1000) }), now)).toEqual({ kind: 'use', token: 'AT1' });
  expect(decideToken(doc({ expiresAt: at(REFRESH_EARLY_MS) }), now)).toEqual({ kind: 'refresh' });
  expect(decideToken(doc({ expiresAt: at(-1000) }), now)).toEqual({ kind: 'refresh' });
});

test('a token WeChat rejected is refreshed even if unexpired, but a newer one another instance stored is used', () => {
  expect(decideToken(doc(), now, 'AT1')).toEqual({ kind: 'refresh' });
  expect(decideToken(doc({ accessToken: 'AT2' }), now, 'AT1')).toEqual({ kind: 'use', token: 'AT2' });
});

test('while another instance holds the lease: a still-working token is used, else wait; an expired lease is taken over', () => {
  const leased = { leaseHolder: 'other', leaseUntil: at(5000) };
  expect(decideToken(doc({ ...leased, expiresAt: at(60_000) }), now)).toEqual({ kind: 'use', token: 'AT1' });
  expect(decideToken(doc({ ...leased, expiresAt: at(-1) }), now)).toEqual({ kind: 'wait' });
  expect(decideToken(doc({ ...leased }), now, 'AT1')).toEqual({ kind: 'wait' });
  expect(decideToken(doc({ ...leased, accessToken: null, expiresAt: null }), now)).toEqual({ kind: 'wait' });
  expect(decideToken(doc({ leaseHolder: 'dead', leaseUntil: at(-1), expiresAt: at(-1) }), now)).toEqual({
    kind: 'refresh',
  });
});

test('property: a token is only ever handed out while it is unexpired and not the rejected one', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: -3 * 3600_000, max: 3 * 3600_000 }),
      fc.option(fc.integer({ min: -60_000, max: 60_000 })),
      fc.boolean(),
      (expiresIn, leaseIn, rejectIt) => {
        const d = doc({
          expiresAt: at(expiresIn),
          leaseUntil: leaseIn === null ? null : at(leaseIn),
          leaseHolder: leaseIn === null ? null : 'x',
        });
        const r = decideToken(d, now, rejectIt ? 'AT1' : undefined);
        if (r.kind === 'use') {
          expect(expiresIn).toBeGreaterThan(0);
          expect(rejectIt).toBe(false);
        }
        // nobody holds a live lease → never wait
        if (leaseIn === null || leaseIn <= 0) expect(r.kind).not.toBe('wait');
      },
    ),
  );
});
