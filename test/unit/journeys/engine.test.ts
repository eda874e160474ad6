import {
  advanceRun,
  journeySchema,
  mayEnter,
  onEvent,
  parseDuration,
  startRun,
  nextLocalTime,
  type JourneyInput,
} from '../../../core/journeys';
import { instantOf } from '../../../core/time';
import { drive, event, H, MIN, plus } from './drive';

const TZ = 'Asia/Shanghai';
const t0 = instantOf('2025-03-01', '14:00', TZ);
const doc = (over: Partial<JourneyInput> = {}): JourneyInput => ({
  id: 'j1',
  name: '测试旅程',
  enabled: true,
  trigger: { event: 'order.created' },
  steps: [
    { id: 'w', type: 'wait', duration: '30m' },
    { id: 's', type: 'send', channel: 'email', template: 'x' },
  ],
  ...over,
});
const parse = (d: JourneyInput) => journeySchema.parse(d);

describe('journey schema', () => {
  it('parses durations like 30m, 47h, 3d, 1d12h', () => {
    expect(['30m', '47h', '3d', '1d12h'].map(parseDuration)).toEqual([30 * MIN, 47 * H, 72 * H, 36 * H]);
    expect(() => parseDuration('')).toThrow();
    expect(journeySchema.safeParse(doc({ steps: [{ id: 'w', type: 'wait', duration: '3 days' }] })).success).toBe(
      false,
    );
  });

  it('rejects unknown targets, duplicate ids, unknown triggers and loops without a wait', () => {
    const bad = (steps: JourneyInput['steps']) => journeySchema.safeParse(doc({ steps })).success;
    expect(
      bad([{ id: 'b', type: 'branch', condition: { type: 'language', is: 'en' }, then: 'nowhere', else: '$end' }]),
    ).toBe(false);
    expect(
      bad([
        { id: 'a', type: 'tag', op: 'add', tag: 't' },
        { id: 'a', type: 'tag', op: 'add', tag: 'u' },
      ]),
    ).toBe(false);
    expect(bad([{ id: 'a', type: 'tag', op: 'add', tag: 't', next: 'a' }])).toBe(false);
    expect(
      bad([
        { id: 'w', type: 'wait', duration: '1d' },
        { id: 'a', type: 'tag', op: 'add', tag: 't', next: 'w' },
      ]),
    ).toBe(true);
    expect(journeySchema.safeParse({ ...doc(), trigger: { event: 'order.exploded' } }).success).toBe(false);
  });
});

describe('journey engine', () => {
  const j = parse(doc());
  const created = event('order.created', t0, { subjectId: 'o1' });

  it('startRun: null when disabled or not the trigger; the run id comes from the event', () => {
    expect(startRun(parse(doc({ enabled: false })), created, t0)).toBeNull();
    expect(startRun(j, event('order.paid', t0), t0)).toBeNull();
    const a = startRun(j, created, t0);
    expect(a).toMatchObject({ runId: `j1:${created.id}`, status: 'active', cursor: 'w', nextDueAt: t0 });
    expect(startRun(j, created, plus(t0, MIN))?.runId).toBe(a?.runId);
  });

  it('exposes nextDueAt for the timer and does nothing before it', () => {
    const run = startRun(j, created, t0)!;
    const waiting = advanceRun(j, run, {}, t0);
    expect(waiting.effects).toEqual([]);
    expect(waiting.run.nextDueAt).toEqual(plus(t0, 30 * MIN));
    expect(advanceRun(j, waiting.run, {}, plus(t0, 29 * MIN)).effects).toEqual([]);
    const done = advanceRun(j, waiting.run, {}, plus(t0, 3 * H));
    expect(done.effects).toHaveLength(1);
    expect(done.run).toMatchObject({ status: 'completed', nextDueAt: null, cursor: null });
    expect(done.run.history.map((h) => [h.stepId, h.outcome, h.at])).toEqual([
      ['w', 'waited', plus(t0, 30 * MIN)], // journey time, although the timer ran late
      ['s', 'effect', plus(t0, 30 * MIN)],
    ]);
    expect(advanceRun(j, done.run, {}, plus(t0, 4 * H)).effects).toEqual([]);
  });

  it('a step reached again in a loop gets a new effect key', () => {
    const loop = parse(
      doc({
        entry: 'always',
        steps: [
          { id: 'w', type: 'wait', duration: '1h' },
          { id: 'ping', type: 'webhook', url: 'https://brand.example/hook', next: 'w' },
        ],
      }),
    );
    const d = drive(loop, event('order.created', t0), { until: plus(t0, 3 * H) });
    expect(d.effects.map((e) => e.key.split(':').slice(2).join(':'))).toEqual(['ping', 'ping:2', 'ping:3']);
    expect(d.effects[0]).toMatchObject({
      kind: 'webhook',
      payload: { journeyId: 'j1', stepId: 'ping', triggerType: 'order.created' },
    });
  });

  it('exit events end the run; events of other members or before entry do not', () => {
    const exitJ = parse(doc({ exitOn: [{ event: 'order.paid', sameSubject: true }] }));
    const run = startRun(exitJ, created, t0)!;
    expect(
      onEvent(exitJ, run, event('order.paid', plus(t0, MIN), { subjectId: 'o1', memberId: 'someone-else' }), t0),
    ).toBe(run);
    expect(onEvent(exitJ, run, event('order.paid', plus(t0, -MIN), { subjectId: 'o1' }), t0)).toBe(run);
    const exited = onEvent(exitJ, run, event('order.paid', plus(t0, MIN), { subjectId: 'o1' }), plus(t0, MIN));
    expect(exited).toMatchObject({ status: 'exited', nextDueAt: null });
    expect(advanceRun(exitJ, exited, {}, plus(t0, H)).effects).toEqual([]);
  });

  it('only events a branch asks about are kept as evidence, once', () => {
    const run = startRun(j, created, t0)!;
    expect(onEvent(j, run, event('order.created', plus(t0, MIN)), t0).evidence).toEqual([]);
    const branching = parse(
      doc({
        steps: [
          {
            id: 'b',
            type: 'branch',
            condition: { type: 'not', of: { type: 'eventWithin', event: 'survey.completed', within: '1h' } },
            then: '$end',
            else: '$end',
          },
        ],
      }),
    );
    const r = startRun(branching, created, t0)!;
    const e = event('survey.completed', plus(t0, MIN));
    expect(onEvent(branching, onEvent(branching, r, e, t0), e, t0).evidence).toEqual([e]);
  });

  it('disabling a journey or removing the current step ends its runs without effects', () => {
    const run = advanceRun(j, startRun(j, created, t0)!, {}, t0).run;
    expect(advanceRun({ ...j, enabled: false }, run, {}, plus(t0, H))).toMatchObject({
      effects: [],
      run: { status: 'exited', exitReason: 'journey_disabled' },
    });
    const edited = parse(doc({ steps: [{ id: 'other', type: 'send', channel: 'email', template: 'x' }] }));
    expect(advanceRun(edited, run, {}, plus(t0, H))).toMatchObject({
      effects: [],
      run: { status: 'exited', exitReason: 'step_missing:w' },
    });
  });

  it('entry policies: once, notWhileActive, always', () => {
    const runs = [{ journeyId: 'j1', status: 'completed' as const }];
    expect(mayEnter(parse(doc({ entry: 'once' })), runs)).toBe(false);
    expect(mayEnter(parse(doc({ entry: 'notWhileActive' })), runs)).toBe(true);
    expect(mayEnter(parse(doc({ entry: 'notWhileActive' })), [{ journeyId: 'j1', status: 'active' }])).toBe(false);
    expect(mayEnter(parse(doc({ entry: 'always' })), [{ journeyId: 'j1', status: 'active' }])).toBe(true);
  });

  it('waitUntil finds the next brand-local time of day', () => {
    expect(nextLocalTime(instantOf('2025-03-01', '09:00', TZ), '10:00', TZ)).toEqual(
      instantOf('2025-03-01', '10:00', TZ),
    );
    expect(nextLocalTime(instantOf('2025-03-01', '10:00', TZ), '10:00', TZ)).toEqual(
      instantOf('2025-03-01', '10:00', TZ),
    );
    expect(nextLocalTime(instantOf('2025-03-01', '10:01', TZ), '10:00', TZ)).toEqual(
      instantOf('2025-03-02', '10:00', TZ),
    );
  });
});
