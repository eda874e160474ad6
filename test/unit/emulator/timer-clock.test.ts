import { EmulatorClock } from '../../../emulator/clock';
import { moveClock } from '../../../emulator/functions/timers';
import type { FunctionRuntime, Invocation } from '../../../emulator/functions/runtime';

/**
 * Moving the clock fires due timers in order. A firing that runs longer than the gap to the next
 * one must not pull the clock back to that next instant: the emulator's clock never goes backwards.
 */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function runtimeWith(
  runMs: number,
  seen: { start: number; end: number; time: string }[],
  clock: EmulatorClock,
): FunctionRuntime {
  const def = {
    name: 'slow',
    dir: '',
    entry: '',
    config: {
      timeout: 60,
      envVariables: {},
      triggers: [{ name: 'tick', type: 'timer' as const, config: '* * * * * * *' }],
    },
  };
  const invoke = async (fn: string, event: { Time: string }): Promise<Invocation> => {
    const start = clock.now().getTime();
    await sleep(runMs);
    seen.push({ start, end: clock.now().getTime(), time: event.Time });
    return {
      id: 'x',
      fn,
      source: 'timer',
      at: '',
      durationMs: runMs,
      input: event,
      ok: true,
      logs: [],
      dbCalls: 0,
      dbReads: 0,
      dbWrites: 0,
    };
  };
  return { functions: new Map([['slow', def]]), invoke } as unknown as FunctionRuntime;
}

test('a firing that runs past the next trigger leaves the clock where it is: it never steps back', async () => {
  const clock = new EmulatorClock();
  clock.set(new Date('2026-07-01T00:00:00.000Z'));
  const seen: { start: number; end: number; time: string }[] = [];
  const samples: number[] = [];
  const watch = setInterval(() => samples.push(clock.now().getTime()), 20);
  try {
    // every second, each run 1.4 s long: the second firing is due while the first still runs
    await moveClock(runtimeWith(1_400, seen, clock), clock, new Date('2026-07-01T00:00:03.000Z'));
  } finally {
    clearInterval(watch);
  }
  expect(seen.map((s) => s.time)).toEqual([
    '2026-07-01T00:00:01.000Z',
    '2026-07-01T00:00:02.000Z',
    '2026-07-01T00:00:03.000Z',
  ]);
  for (let i = 1; i < samples.length; i++) expect(samples[i]).toBeGreaterThanOrEqual(samples[i - 1]!);
  for (let i = 1; i < seen.length; i++) expect(seen[i]!.start).toBeGreaterThanOrEqual(seen[i - 1]!.end);
  expect(clock.now().getTime()).toBeGreaterThanOrEqual(seen[seen.length - 1]!.end);
});

test('with `overlap` the next firing starts while the previous one still runs, and the clock still only moves on', async () => {
  const clock = new EmulatorClock();
  clock.set(new Date('2026-07-01T00:00:00.000Z'));
  const seen: { start: number; end: number; time: string }[] = [];
  await moveClock(runtimeWith(600, seen, clock), clock, new Date('2026-07-01T00:00:02.000Z'), { overlap: true });
  expect(seen).toHaveLength(2);
  const [a, b] = [...seen].sort((x, y) => x.start - y.start);
  expect(b!.start).toBeLessThan(a!.end);
  expect(b!.start).toBeGreaterThan(a!.start);
});
