import fc from 'fast-check';
import { COUPON_CODE_LENGTH, formatCouponCode, generateCouponCode, parseCouponCode } from '../../../core/coupons';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const bytes = fc.uint8Array({ minLength: 7, maxLength: 7 });
const rejects = (s: string) => {
  try {
    parseCouponCode(s);
    return false;
  } catch (e) {
    return (e as { code?: string }).code === 'COUPON_CODE_INVALID';
  }
};

describe('S10 coupons: codes', () => {
  test('12 Crockford characters from 7 random bytes, deterministic', () => {
    const code = generateCouponCode(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]));
    expect(code).toMatch(new RegExp(`^[${ALPHABET}]{${COUPON_CODE_LENGTH}}$`));
    expect(generateCouponCode(Uint8Array.from([1, 2, 3, 4, 5, 6, 7]))).toBe(code);
    expect(generateCouponCode(new Uint8Array(7))).toBe('000000000000');
    expect(() => generateCouponCode(new Uint8Array(6))).toThrow(RangeError);
  });

  test('different random bytes give different payloads (55 of the 56 bits are used)', () => {
    const a = generateCouponCode(Uint8Array.from([0, 0, 0, 0, 0, 0, 2]));
    const b = generateCouponCode(Uint8Array.from([0, 0, 0, 0, 0, 0, 4]));
    expect(a.slice(0, 11)).not.toBe(b.slice(0, 11));
  });

  test('every generated code parses back, also typed in lower case with spaces, dashes and O/I/L', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const code = generateCouponCode(b);
        expect(parseCouponCode(code)).toBe(code);
        const typed = formatCouponCode(code).toLowerCase().replace(/ /, '-').replace(/0/g, 'o').replace(/1/g, 'l');
        expect(parseCouponCode(typed)).toBe(code);
      }),
    );
  });

  test('S10 coupons: any single mistyped character is rejected', () => {
    fc.assert(
      fc.property(bytes, fc.nat(COUPON_CODE_LENGTH - 1), fc.integer({ min: 1, max: 31 }), (b, pos, shift) => {
        const code = generateCouponCode(b);
        const wrong = ALPHABET[(ALPHABET.indexOf(code[pos]!) + shift) % 32]!;
        expect(rejects(code.slice(0, pos) + wrong + code.slice(pos + 1))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('swapping two neighbours is rejected unless they are the pair 0/Z (the one Luhn mod 32 blind spot)', () => {
    fc.assert(
      fc.property(bytes, fc.nat(COUPON_CODE_LENGTH - 2), (b, i) => {
        const code = generateCouponCode(b);
        const [x, y] = [code[i]!, code[i + 1]!];
        if (x === y) return;
        const swapped = code.slice(0, i) + y + x + code.slice(i + 2);
        expect(rejects(swapped)).toBe(!(new Set([x, y]).has('0') && new Set([x, y]).has('Z')));
      }),
      { numRuns: 500 },
    );
  });

  test('wrong length or a letter outside the alphabet is rejected', () => {
    const code = generateCouponCode(Uint8Array.from([9, 8, 7, 6, 5, 4, 3]));
    expect(rejects(code.slice(1))).toBe(true);
    expect(rejects(code + '0')).toBe(true);
    expect(rejects(code.slice(0, 5) + 'U' + code.slice(6))).toBe(true);
    expect(rejects('')).toBe(true);
  });

  test('formatted in groups of four for reading aloud', () => {
    expect(formatCouponCode('ABCDEFGHJKMN')).toBe('ABCD EFGH JKMN');
  });
});
