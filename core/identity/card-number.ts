/**
 * Member card numbers: a brand prefix digit, random body digits, and a Luhn check digit so a
 * mistyped number is caught before any lookup.
 */
export const CARD_PREFIX = '8';
export const CARD_BODY_DIGITS = 10;

/** The Luhn check digit for `digits` (the digit that makes digits+check pass the Luhn test). */
export function luhnCheckDigit(digits: string): string {
  if (!/^\d+$/.test(digits)) throw new Error('luhnCheckDigit: digits only');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // from the right, the digit next to the check digit is doubled first
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function isValidLuhn(number: string): boolean {
  if (!/^\d{2,}$/.test(number)) return false;
  return luhnCheckDigit(number.slice(0, -1)) === number.slice(-1);
}

/** A card number from random body digits (the caller supplies the randomness). */
export function cardNumber(body: string): string {
  if (!new RegExp(`^\\d{${CARD_BODY_DIGITS}}$`).test(body))
    throw new Error(`cardNumber: expected ${CARD_BODY_DIGITS} digits`);
  const base = CARD_PREFIX + body;
  return base + luhnCheckDigit(base);
}

export const isCardNumber = (s: string): boolean =>
  s.length === CARD_BODY_DIGITS + 2 && s.startsWith(CARD_PREFIX) && isValidLuhn(s);
