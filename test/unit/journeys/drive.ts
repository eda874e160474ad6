import { advanceRun, onEvent, startRun } from '../../../core/journeys';
import type { Effect, Journey, JourneyEvent, JourneyFacts, JourneyRun } from '../../../core/journeys';

export const MIN = 60_000;
export const H = 60 * MIN;

export interface Drive {
  run: JourneyRun | null;
  effects: Array<Effect & { firedAt: Date }>;
}

/**
 * Moves a clock from the trigger to `until` in `stepMs` ticks, delivering events when their time
 * comes and advancing the run whenever it is due — like the server's timer. At every advance it
 * also replays the call (same run again, and the new run again) and checks nothing is produced twice.
 */
export function drive(
  journey: Journey,
  trigger: JourneyEvent,
  opts: {
    until: Date;
    stepMs?: number;
    events?: JourneyEvent[];
    facts?: JourneyFacts | ((now: Date) => JourneyFacts);
    tz?: string;
  },
): Drive {
  const step = opts.stepMs ?? MIN;
  let run = startRun(journey, trigger, trigger.at);
  const effects: Drive['effects'] = [];
  if (!run) return { run, effects };
  const pending = [...(opts.events ?? [])].sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let t = trigger.at.getTime(); t <= opts.until.getTime(); t += step) {
    const now = new Date(t);
    while (pending[0] && pending[0].at.getTime() <= t) run = onEvent(journey, run, pending.shift()!, now);
    if (run.nextDueAt && run.nextDueAt.getTime() <= t) {
      const facts = typeof opts.facts === 'function' ? opts.facts(now) : (opts.facts ?? {});
      const out = advanceRun(journey, run, facts, now, opts.tz);
      const replayOld = advanceRun(journey, run, facts, now, opts.tz);
      expect(replayOld.effects.map((e) => e.key)).toEqual(out.effects.map((e) => e.key));
      expect(advanceRun(journey, out.run, facts, now, opts.tz).effects).toEqual([]);
      for (const e of out.effects) {
        expect(effects.some((x) => x.key === e.key)).toBe(false);
        effects.push({ ...e, firedAt: now });
      }
      run = out.run;
    }
  }
  return { run, effects };
}

let seq = 0;
export const event = (type: string, at: Date, over: Partial<JourneyEvent> = {}): JourneyEvent => ({
  id: `evt-${++seq}`,
  type,
  memberId: 'm-1',
  at,
  ...over,
});

export const plus = (d: Date, ms: number): Date => new Date(d.getTime() + ms);
