import fc from 'fast-check';
import {
  MEMBER_CODE_ROTATE_SECONDS,
  issueMemberCode,
  issueShortMemberCode,
  verifyMemberCode,
} from '../../../core/identity/member-code';

const SECRET = 'unit-secret';
const at = new Date('2026-05-01T10:00:10Z');

test('S2 member code: verified in its window and the next, with the card number', () => {
  const { code, expiresAt } = issueMemberCode('812345678903', at, SECRET);
  expect(expiresAt.getTime() - at.getTime()).toBe(50_000);
  expect(verifyMemberCode(code, at, SECRET)).toMatchObject({ ok: true, cardNo: '812345678903' });
  expect(verifyMemberCode(code, new Date(at.getTime() + 100_000), SECRET)).toMatchObject({ ok: true });
});

test('S2 member code: a screenshot older than the rotation window is expired', () => {
  const { code } = issueMemberCode('812345678903', at, SECRET);
  expect(verifyMemberCode(code, new Date(at.getTime() + 2 * MEMBER_CODE_ROTATE_SECONDS * 1000), SECRET)).toEqual({
    ok: false,
    code: 'MEMBER_CODE_EXPIRED',
  });
});

test('S2 member code: any changed character, or another secret, makes it invalid', () => {
  const { code } = issueMemberCode('812345678903', at, SECRET);
  fc.assert(
    fc.property(fc.nat(code.length - 1), fc.constantFrom(...'0123456789abcXYZ_-.'), (pos, ch) => {
      if (code[pos] === ch) return;
      const forged = code.slice(0, pos) + ch + code.slice(pos + 1);
      expect(verifyMemberCode(forged, at, SECRET).ok).toBe(false);
    }),
  );
  expect(verifyMemberCode(code, at, 'other')).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
  expect(verifyMemberCode('hello', at, SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
});

test('a code from the future beyond one window is invalid', () => {
  const { code } = issueMemberCode('812345678903', new Date(at.getTime() + 5 * 60_000), SECRET);
  expect(verifyMemberCode(code, at, SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
});

test('S2 member code, number form: the card number, window and 6-digit signature, checked like the long form', () => {
  const short = issueShortMemberCode('812345678903', at, SECRET);
  expect(short).toMatch(/^812345678903\d{8}$/);
  const grouped = short.replace(/(\d{4})(?=\d)/g, '$1 ');
  expect(verifyMemberCode(grouped, at, SECRET)).toMatchObject({ ok: true, cardNo: '812345678903' });
  expect(verifyMemberCode(short, new Date(at.getTime() + 100_000), SECRET)).toMatchObject({ ok: true });
  expect(verifyMemberCode(short, new Date(at.getTime() + 2 * MEMBER_CODE_ROTATE_SECONDS * 1000), SECRET)).toEqual({
    ok: false,
    code: 'MEMBER_CODE_EXPIRED',
  });
  // a window 100 minutes on shares the last two digits; its signature differs
  expect(verifyMemberCode(short, new Date(at.getTime() + 100 * 60_000), SECRET)).toEqual({
    ok: false,
    code: 'MEMBER_CODE_INVALID',
  });
  expect(verifyMemberCode(short, at, 'other')).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
  const ahead = issueShortMemberCode('812345678903', new Date(at.getTime() + 5 * 60_000), SECRET);
  expect(verifyMemberCode(ahead, at, SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
});

test('S2 member code, number form: any changed digit makes it invalid', () => {
  const short = issueShortMemberCode('812345678903', at, SECRET);
  fc.assert(
    fc.property(fc.nat(short.length - 1), fc.constantFrom(...'0123456789'), (pos, ch) => {
      if (short[pos] === ch) return;
      const forged = short.slice(0, pos) + ch + short.slice(pos + 1);
      expect(verifyMemberCode(forged, at, SECRET).ok).toBe(false);
    }),
  );
});
