import { parseDuration as parseOne } from '../core/duration';

/**
 * The emulator's clock: real time plus an offset that tests move forward (`POST /clock`).
 * `db.serverDate()`, timer triggers and each function's injected clock all read it.
 */
export class EmulatorClock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  get offset(): number {
    return this.offsetMs;
  }

  set(at: Date): void {
    this.offsetMs = at.getTime() - Date.now();
  }
}

/** A duration in the product's format (`47h`, `30m`, `1d2h`, `90s`: core/duration.ts) or milliseconds. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number' && Number.isFinite(input) && input >= 0) return input;
  return parseOne(String(input).trim());
}
