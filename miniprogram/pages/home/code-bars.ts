/**
 * A barcode-like picture of a code for the card and the coupon page: each character's bits become
 * narrow/wide bars between guard bars. It is a visual aid, not a scannable symbology; staff scan
 * or type the code text printed beneath it (a real QR needs a canvas encoder, out of scope here).
 */
export interface Bar {
  /** Width in rpx. */
  w: number;
  dark: boolean;
}

const GUARD: Bar[] = [
  { w: 4, dark: true },
  { w: 2, dark: false },
  { w: 4, dark: true },
  { w: 2, dark: false },
];

export function codeBars(code: string): Bar[] {
  const bars: Bar[] = [...GUARD];
  for (const ch of code) {
    const n = ch.charCodeAt(0);
    for (let bit = 6; bit >= 0; bit--) bars.push({ w: (n >> bit) & 1 ? 4 : 2, dark: bit % 2 === 0 });
    bars.push({ w: 2, dark: false });
  }
  return [...bars, ...GUARD.slice().reverse()];
}

/** 'ABCD1234EF' → 'ABCD 1234 EF': easier to read aloud or type. */
export const groupCode = (code: string, size = 4): string => (code.match(new RegExp(`.{1,${size}}`, 'g')) ?? []).join(' ');
