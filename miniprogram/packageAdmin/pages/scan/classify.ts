/**
 * What a scanned or typed code is, by its shape (core/contracts): a member's rotating code
 * `M1.<cardNo>.<window>.<sig>` or its number form (14–28 digits, from the bar code or read out), an appointment id `ap_<hex>`, or a 12-character coupon code in
 * Crockford base32 (spaces and dashes ignored; O→0, I/L→1 as the server reads it).
 */
export type Scanned =
  | { kind: 'member'; code: string }
  | { kind: 'appointment'; appointmentId: string }
  | { kind: 'coupon'; code: string; display: string }
  | { kind: 'unknown'; raw: string };

const COUPON_CODE = /^[0-9A-HJKMNP-TV-Z]{12}$/;

export function classify(raw: string): Scanned {
  const s = raw.trim();
  if (/^M1\.[^.]+\.[^.]+\.[^.]+$/.test(s)) return { kind: 'member', code: s };
  const digits = s.replace(/[\s-]/g, '');
  if (/^\d{14,28}$/.test(digits)) return { kind: 'member', code: digits };
  if (/^ap_[A-Za-z0-9]{4,61}$/.test(s)) return { kind: 'appointment', appointmentId: s };
  const code = s.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (COUPON_CODE.test(code)) return { kind: 'coupon', code, display: code.match(/.{4}/g)!.join(' ') };
  return { kind: 'unknown', raw: s };
}

/** '12.5' → 1250 fen; '' → 0; anything else (negative, more than 2 decimals, letters) → null. */
export function fenOf(yuan: string): number | null {
  const s = yuan.trim();
  if (s === '') return 0;
  if (!/^\d{1,8}(\.\d{1,2})?$/.test(s)) return null;
  return Math.round(Number(s) * 100);
}
