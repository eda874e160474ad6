import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A network between functions and the service, for benchmarks: each database call and each
 * invocation waits before it is served. Off unless given. `spreadMs` draws each delay uniformly
 * from [ms − spread, ms + spread] (never below 0); without it the delay is fixed.
 */
export interface LatencyModel {
  /** per database call (server and Mini Program) */
  databaseMs: number;
  /** per function invocation, before the instance runs it */
  invocationMs?: number;
  spreadMs?: number;
}

export function delayOf(ms: number, spreadMs = 0, random: () => number = Math.random): number {
  if (ms <= 0 && spreadMs <= 0) return 0;
  return Math.max(0, ms + (random() * 2 - 1) * spreadMs);
}

/** Waits out one call's delay under `model`; resolves at once when there is no model or no delay. */
export async function waitLatency(model: LatencyModel | undefined, kind: 'database' | 'invocation'): Promise<void> {
  if (!model) return;
  const ms = delayOf(kind === 'database' ? model.databaseMs : (model.invocationMs ?? 0), model.spreadMs);
  if (ms > 0) await sleep(ms);
}
