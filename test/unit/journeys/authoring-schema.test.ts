import {
  advanceRun,
  conditionDepth,
  mayEnter,
  MAX_CONDITION_DEPTH,
  onEvent,
  parseJourney,
  startRun,
  type Condition,
  type JourneyInput,
} from '../../../core/journeys';
import { DomainError } from '../../../core/errors';
import { instantOf } from '../../../core/time';
import { event, H, plus } from './drive';

const t0 = instantOf('2025-03-01', '14:00', 'Asia/Shanghai');
const doc = (over: Partial<JourneyInput> = {}): JourneyInput => ({
  id: 'j2',
  name: '下单未付跟进',
  enabled: true,
  trigger: { event: 'member.joined' },
  steps: [
    { id: 'no-order', type: 'waitForEvent', event: 'order.paid', timeout: '47h', onEvent: '$end', onTimeout: 'gift' },
    { id: 'gift', type: 'points', amount: 50 },
    { id: 'vip', type: 'branch', condition: { type: 'tier', in: ['gold'] }, then: 'done', else: 'tag' },
    { id: 'tag', type: 'tag', op: 'add', tag: 'nudged' },
    { id: 'done', type: 'exit', reason: 'nudged' },
  ],
  ...over,
});

function problemsOf(input: unknown): string[] {
  try {
    parseJourney(input);
  } catch (e) {
    return ((e as DomainError).details?.['problems'] as string[]) ?? [];
  }
  return [];
}

describe('journey validation names the step', () => {
  it('a bad field inside a step', () => {
    const bad = doc();
    bad.steps[0] = { id: 'w', type: 'wait', duration: '3 days' };
    expect(problemsOf(bad)).toEqual(['steps[0] (wait): duration: duration like 30m, 47h, 3d']);
  });
  it('a step that goes nowhere, and one that loops without waiting', () => {
    expect(
      problemsOf(
        doc({
          steps: [
            { id: 'a', type: 'tag', op: 'add', tag: 't' },
            { id: 'b', type: 'tag', op: 'add', tag: 't', next: 'x' },
          ],
        }),
      ),
    ).toEqual(['steps[1] (tag): goes to unknown step x']);
    expect(problemsOf(doc({ steps: [{ id: 'a', type: 'tag', op: 'add', tag: 't', next: 'a' }] }))).toEqual([
      'steps[0] (tag): a loop without a wait step',
    ]);
  });
  it('a condition nested deeper than the editor offers names the branch', () => {
    const nest = (depth: number): Condition =>
      depth === 0 ? { type: 'tag', has: 'vip' } : { type: depth % 2 ? 'any' : 'all', of: [nest(depth - 1)] };
    const branch = (depth: number) =>
      doc({ steps: [{ id: 'b', type: 'branch', condition: nest(depth), then: '$end', else: '$end' }] });
    expect(problemsOf(branch(MAX_CONDITION_DEPTH))).toEqual([]);
    expect(problemsOf(branch(MAX_CONDITION_DEPTH + 1))).toEqual([
      `steps[0] (branch): condition: conditions nest at most ${MAX_CONDITION_DEPTH} groups deep`,
    ]);
    const negated = { type: 'not', of: nest(MAX_CONDITION_DEPTH) } as const;
    expect(conditionDepth(negated)).toBe(MAX_CONDITION_DEPTH + 1);
  });
  it('an unknown trigger names the field', () => {
    expect(problemsOf({ ...doc(), trigger: { event: 'order.exploded' } })[0]).toMatch(/^trigger\.event: /);
  });
});

describe('event waits, points, exit, tier', () => {
  const j = parseJourney(doc());
  const joined = event('member.joined', t0);

  it('no order within 47 hours: points, tag, then the exit step', () => {
    const waiting = advanceRun(j, startRun(j, joined, t0)!, {}, t0);
    expect(waiting.run.nextDueAt).toEqual(plus(t0, 47 * H));
    const done = advanceRun(j, waiting.run, { tier: 'silver' }, plus(t0, 48 * H));
    expect(done.effects.map((e) => e.kind)).toEqual(['points', 'tag']);
    expect(done.run).toMatchObject({ status: 'exited', exitReason: 'nudged' });
    expect(done.run.history.map((h) => [h.stepId, h.outcome])).toEqual([
      ['no-order', 'timeout'],
      ['gift', 'effect'],
      ['vip', 'else'],
      ['tag', 'effect'],
      ['done', 'exit'],
    ]);
  });

  it('the awaited event wakes the run at its own time and takes the event branch', () => {
    const waiting = advanceRun(j, startRun(j, joined, t0)!, {}, t0).run;
    const paid = event('order.paid', plus(t0, 5 * H));
    const woken = onEvent(j, waiting, paid, plus(t0, 5 * H));
    expect(woken.nextDueAt).toEqual(paid.at);
    const done = advanceRun(j, woken, {}, plus(t0, 5 * H));
    expect(done.effects).toEqual([]);
    expect(done.run.history).toMatchObject([{ stepId: 'no-order', outcome: 'event', at: paid.at }]);
  });

  it('a goal event ends the run as reached', () => {
    const g = parseJourney(doc({ goal: { event: 'order.paid' } }));
    const run = advanceRun(g, startRun(g, joined, t0)!, {}, t0).run;
    expect(onEvent(g, run, event('order.paid', plus(t0, H)), plus(t0, H))).toMatchObject({
      status: 'exited',
      exitReason: 'goal:order.paid',
    });
  });

  it('re-entry once per N days counts from the last entry', () => {
    const weekly = parseJourney(doc({ entry: { oncePerDays: 7 } }));
    const runs = [{ journeyId: 'j2', status: 'completed' as const, enteredAt: t0 }];
    expect(mayEnter(weekly, runs, plus(t0, 6 * 24 * H))).toBe(false);
    expect(mayEnter(weekly, runs, plus(t0, 7 * 24 * H + 1))).toBe(true);
  });
});
