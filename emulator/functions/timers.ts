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

/**
 * Moves the emulator clock, firing every timer trigger due in between in time order;
 * the clock stands at each firing's instant while that function runs.
 */
export async function moveClock(runtime: FunctionRuntime, clock: EmulatorClock, to: Date, opts: { only?: string[]; maxFirings?: number } = {}): Promise<TimerFiring[]> {
  const maxFirings = opts.maxFirings ?? 10_000;
  const from = clock.now();
  if (to.getTime() < from.getTime()) {
    clock.set(to);
    return [];
  }
  const due: { at: Date; fn: string; trigger: string }[] = [];
  for (const def of runtime.functions.values()) {
    if (opts.only && !opts.only.includes(def.name)) continue;
    for (const t of def.config.triggers) {
      for (const at of occurrences(t.config, from, to, maxFirings)) due.push({ at, fn: def.name, trigger: t.name });
    }
  }
  if (due.length > maxFirings) throw new Error(`moving the clock would fire ${due.length} timers (limit ${maxFirings}); move it in smaller steps`);
  due.sort((a, b) => a.at.getTime() - b.at.getTime() || a.fn.localeCompare(b.fn));
  const fired: TimerFiring[] = [];
  for (const d of due) {
    clock.set(d.at);
    const inv: Invocation = await runtime.invoke(d.fn, { Type: 'Timer', TriggerName: d.trigger, Time: d.at.toISOString(), Message: '' }, { source: 'timer', trigger: 'timer' });
    fired.push({ fn: d.fn, trigger: d.trigger, at: d.at.toISOString(), ok: inv.ok, error: inv.error?.message });
  }
  clock.set(to);
  return fired;
}
