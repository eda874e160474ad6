/** jsbarcode's Code 128 encoders (no types of their own): `encode().data` is the modules, '1' dark. */
declare module 'jsbarcode/bin/barcodes/CODE128' {
  interface Encoded {
    data: string;
    text: string;
  }
  export class CODE128 {
    constructor(data: string, options: Record<string, unknown>);
    valid(): boolean;
    encode(): Encoded;
  }
}
