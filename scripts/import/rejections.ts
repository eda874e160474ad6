import { closeSync, existsSync, ftruncateSync, fstatSync, openSync, writeSync } from 'node:fs';

export interface Rejected {
  line: number;
  reason: string;
}

/** Rejected rows the summary prints; the rest are only in the file. */
const SHOWN = 20;

/**
 * The rejected rows of one run, a JSON line each (`{"line":…,"reason":…}`) in file order, written
 * as they are settled rather than kept in memory. A resumed run keeps the first `keepBytes` (what
 * the stopped run had written when it saved its progress) and appends; any other run starts the file anew.
 */
export class RejectedRows {
  private readonly fd: number;
  private written: number;
  count = 0;
  readonly first: Rejected[] = [];

  constructor(
    readonly path: string,
    keepBytes: number | null,
  ) {
    const resume = keepBytes !== null && existsSync(path);
    this.fd = openSync(path, resume ? 'r+' : 'w');
    const size = fstatSync(this.fd).size;
    this.written = resume ? Math.min(size, keepBytes) : 0;
    if (this.written < size) ftruncateSync(this.fd, this.written);
  }

  /** Bytes in the file so far: saved with the progress, so a resumed run drops what came after. */
  get bytes(): number {
    return this.written;
  }

  write(rows: Rejected[]): void {
    if (rows.length === 0) return;
    const text = rows.map((r) => `${JSON.stringify({ line: r.line, reason: r.reason })}\n`).join('');
    this.written += writeSync(this.fd, text, this.written);
    this.count += rows.length;
    for (const r of rows) if (this.first.length < SHOWN) this.first.push(r);
  }

  close(): void {
    closeSync(this.fd);
  }
}
