import fc from 'fast-check';
import { cardNumber, isCardNumber, isValidLuhn, luhnCheckDigit } from '../../../core/identity/card-number';

test('Luhn: known numbers (79927398713 is the textbook example)', () => {
  expect(luhnCheckDigit('7992739871')).toBe('3');
  expect(isValidLuhn('79927398713')).toBe(true);
  expect(isValidLuhn('79927398710')).toBe(false);
  expect(isValidLuhn('4111111111111111')).toBe(true);
});

const body = fc.stringMatching(/^\d{10}$/);

test('S2 card number: every issued number is valid and 12 digits', () => {
  fc.assert(
    fc.property(body, (b) => {
      const n = cardNumber(b);
      expect(n).toMatch(/^8\d{11}$/);
      expect(isCardNumber(n)).toBe(true);
    }),
  );
});

test('S2 card number: any single mistyped digit is caught', () => {
  fc.assert(
    fc.property(body, fc.nat(11), fc.integer({ min: 1, max: 9 }), (b, pos, delta) => {
      const n = cardNumber(b);
      const d = (Number(n[pos]) + delta) % 10;
      const typo = n.slice(0, pos) + d + n.slice(pos + 1);
      expect(isValidLuhn(typo)).toBe(false);
    }),
  );
});

test('S2 card number: two adjacent digits swapped are caught (except 0↔9)', () => {
  fc.assert(
    fc.property(body, fc.nat(10), (b, pos) => {
      const n = cardNumber(b);
      const x = n[pos] as string;
      const y = n[pos + 1] as string;
      if (x === y || x + y === '09' || x + y === '90') return;
      const swapped = n.slice(0, pos) + y + x + n.slice(pos + 2);
      expect(isValidLuhn(swapped)).toBe(false);
    }),
  );
});

test('cardNumber refuses a body of the wrong shape', () => {
  expect(() => cardNumber('123')).toThrow();
  expect(() => cardNumber('12345abcde')).toThrow();
});
