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

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Parses durations such as `47h`, `30m`, `1d2h`, `90s` or a number of milliseconds. */
export function parseDuration(input: string | number): number {
  if (typeof input === 'number' && Number.isFinite(input) && input >= 0) return input;
  const text = String(input).trim();
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text.replace(/\s+/g, '')) {
    throw new Error(`invalid duration "${text}": use forms like 30m, 47h, 1d2h`);
  }
  return parts.reduce((sum, p) => sum + Number(p[1]) * (UNITS[p[2] as string] as number), 0);
}
