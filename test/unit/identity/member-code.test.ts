import fc from 'fast-check';
import { MEMBER_CODE_ROTATE_SECONDS, issueMemberCode, verifyMemberCode } from '../../../core/identity/member-code';

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
  expect(verifyMemberCode(code, new Date(at.getTime() + 2 * MEMBER_CODE_ROTATE_SECONDS * 1000), SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_EXPIRED' });
});

test('S2 member code: any changed character, or another secret, makes it invalid', () => {
  const { code } = issueMemberCode('812345678903', at, SECRET);
  fc.assert(fc.property(fc.nat(code.length - 1), fc.constantFrom(...'0123456789abcXYZ_-.'), (pos, ch) => {
    if (code[pos] === ch) return;
    const forged = code.slice(0, pos) + ch + code.slice(pos + 1);
    expect(verifyMemberCode(forged, at, SECRET).ok).toBe(false);
  }));
  expect(verifyMemberCode(code, at, 'other')).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
  expect(verifyMemberCode('hello', at, SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
});

test('a code from the future beyond one window is invalid', () => {
  const { code } = issueMemberCode('812345678903', new Date(at.getTime() + 5 * 60_000), SECRET);
  expect(verifyMemberCode(code, at, SECRET)).toEqual({ ok: false, code: 'MEMBER_CODE_INVALID' });
});
