import qrcode from 'qrcode-generator';
import { CODE128 } from 'jsbarcode/bin/barcodes/CODE128';

/**
 * The modules of a code, from the well-kept encoders (qrcode-generator, jsbarcode's Code 128), and
 * where they go on a canvas: every module a whole number of device pixels, so the picture stays
 * sharp at the phone's pixel ratio, with the quiet zone the symbologies ask for.
 */
export type SymbolKind = 'qr' | 'code128';

export const QR_QUIET = 4;
export const BAR_QUIET = 10;

/** Dark modules of a QR code (error correction M), row by row. */
export function qrModules(text: string): boolean[][] {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  return Array.from({ length: n }, (_, r) => Array.from({ length: n }, (_, c) => qr.isDark(r, c)));
}

/** Code 128 modules, '1' dark (start, data in the shortest sets, check symbol and stop included). */
export function code128Modules(text: string): string {
  const symbol = new CODE128(text, {});
  if (!symbol.valid()) throw new Error('Code 128 takes ASCII only');
  return symbol.encode().data;
}

export interface Placement {
  /** Device pixels per module (at least 1). */
  module: number;
  /** Device pixels from the canvas's left (and, for QR, top) edge to the first module. */
  left: number;
  top: number;
}

/** `count` modules plus quiet zones across `size` device pixels, centred. */
export function place(count: number, quiet: number, width: number, height = width): Placement {
  const module = Math.max(1, Math.floor(width / (count + 2 * quiet)));
  return { module, left: Math.floor((width - count * module) / 2), top: Math.floor((height - count * module) / 2) };
}
