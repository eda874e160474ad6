import { DomainError, ErrorCodes } from '../errors';

/** Crockford base32: no I, L, O, U, so codes read aloud or typed are hard to get wrong. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const N = ALPHABET.length;
export const COUPON_CODE_LENGTH = 12;
const PAYLOAD = COUPON_CODE_LENGTH - 1; // 11 symbols = 55 random bits
export const COUPON_CODE_RANDOM_BYTES = Math.ceil((PAYLOAD * 5) / 8); // 7

/**
 * Luhn mod 32 over the alphabet: catches every single mistyped character and nearly every swap
 * of two neighbours.
 */
function luhnSum(values: readonly number[], doubleFirstFromRight: boolean): number {
  let sum = 0;
  let double = doubleFirstFromRight;
  for (let i = values.length - 1; i >= 0; i--) {
    let v = (values[i] as number) * (double ? 2 : 1);
    v = Math.floor(v / N) + (v % N);
    sum += v;
    double = !double;
  }
  return sum % N;
}

/** A 12-character code from caller-supplied random bytes (the server passes crypto.randomBytes(7)). */
export function generateCouponCode(random: Uint8Array): string {
  if (random.length < COUPON_CODE_RANDOM_BYTES) throw new RangeError(`need ${COUPON_CODE_RANDOM_BYTES} random bytes`);
  const values: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of random.subarray(0, COUPON_CODE_RANDOM_BYTES)) {
    acc = (acc << 8) | byte;
    bits += 8;
    while (bits >= 5 && values.length < PAYLOAD) {
      values.push((acc >> (bits - 5)) & 31);
      bits -= 5;
    }
    acc &= (1 << bits) - 1;
  }
  const check = (N - luhnSum(values, true)) % N;
  return [...values, check].map((v) => ALPHABET[v]).join('');
}

/** Reads a typed or scanned code: case, spaces and dashes are ignored, O→0 and I/L→1 as Crockford says. */
export function parseCouponCode(input: string): string {
  const code = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const values = [...code].map((c) => ALPHABET.indexOf(c));
  if (code.length !== COUPON_CODE_LENGTH || values.some((v) => v < 0) || luhnSum(values, false) !== 0) {
    throw new DomainError(ErrorCodes.COUPON_CODE_INVALID, '券码无效，请检查后重新输入');
  }
  return code;
}

/** For display and reading aloud: three groups of four. */
export const formatCouponCode = (code: string): string => code.match(/.{1,4}/g)?.join(' ') ?? code;
