import type { EmulatorClock } from '../clock';
import { occurrences } from './cron';
import type { FunctionRuntime, Invocation } from './runtime';

export interface TimerFiring {
  fn: string;
  trigger: string;
  at: string;
  ok: boolean;
  error?: string;
}

/** Real time between overlapping firings' starts, so each starts in order and finds the previous one running. */
const OVERLAP_GAP_MS = 150;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A trigger due more than `catchUp` times in one move (a per-minute dispatcher over two days) fires
 * `catchUp` times, evenly spread and always at the last due instant: the product's timer handlers
 * process everything due up to their own "now", so this keeps long moves fast without skipping work.
 * Tests that care about exact timing move the clock in steps.
 */
function thin(list: Date[], catchUp: number): Date[] {
  if (list.length <= catchUp) return list;
  const step = list.length / catchUp;
  return Array.from(
    { length: catchUp },
    (_v, i) => list[Math.min(list.length - 1, Math.round((i + 1) * step) - 1)] as Date,
  );
}

/**
 * Moves the emulator clock, firing every timer trigger due in between in time order; the clock
 * stands at each firing's instant while that function runs, or later when an earlier firing ran
 * past it (the event's `Time` is still the trigger's own instant). `from` defaults to the clock's
 * now; with `realTime` the clock is left to run on its own (the emulator's background ticker).
 * `overlap` starts each firing on schedule without waiting for the previous one to end, as the
 * platform does when a run lasts longer than its timer's period.
 */
export async function moveClock(
  runtime: FunctionRuntime,
  clock: EmulatorClock,
  to: Date,
  opts: {
    only?: string[];
    maxFirings?: number;
    catchUp?: number;
    from?: Date;
    realTime?: boolean;
    overlap?: boolean;
  } = {},
): Promise<TimerFiring[]> {
  const maxFirings = opts.maxFirings ?? 100_000;
  const catchUp = opts.catchUp ?? 200;
  const from = opts.from ?? clock.now();
  if (to.getTime() < from.getTime()) {
    clock.set(to);
    return [];
  }
  const due: { at: Date; fn: string; trigger: string }[] = [];
  // `only` names functions (all their timers) or single timers as `function:trigger`
  const wanted = (fn: string, trigger: string) =>
    !opts.only || opts.only.includes(fn) || opts.only.includes(`${fn}:${trigger}`);
  for (const def of runtime.functions.values()) {
    for (const t of def.config.triggers) {
      if (!wanted(def.name, t.name)) continue;
      for (const at of thin(occurrences(t.config, from, to, maxFirings), catchUp))
        due.push({ at, fn: def.name, trigger: t.name });
    }
  }
  due.sort((a, b) => a.at.getTime() - b.at.getTime() || a.fn.localeCompare(b.fn));
  const fired: TimerFiring[] = [];
  // a firing that ran past the next one's instant leaves the clock where it is: a clock never steps back
  const forward = (at: Date) => {
    if (at.getTime() > clock.now().getTime()) clock.set(at);
  };
  const running: Promise<void>[] = [];
  for (const d of due) {
    if (!opts.realTime) forward(d.at);
    const run = runtime
      .invoke(
        d.fn,
        { Type: 'Timer', TriggerName: d.trigger, Time: d.at.toISOString(), Message: '' },
        { source: 'timer', trigger: 'timer' },
      )
      .then(
        (inv: Invocation) =>
          void fired.push({
            fn: d.fn,
            trigger: d.trigger,
            at: d.at.toISOString(),
            ok: inv.ok,
            error: inv.error?.message,
          }),
      );
    if (!opts.overlap) await run;
    else {
      // the platform fires on schedule whether or not the previous run ended: the next one starts while it runs
      running.push(run);
      await sleep(OVERLAP_GAP_MS);
    }
  }
  await Promise.all(running);
  if (!opts.realTime) forward(to);
  return fired;
}
