import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, advance, emit, journeyInput, messagingEmulator, outboxOf, runsOf } from './support';

/**
 * The simulator's timeline for a described profile is what the engine then does for a real member
 * with that profile: same branches at the same journey times, same sends (within the timer's
 * five-minute period), same skips, same tags. Quiet hours, consent and caps decide in both.
 */
let emu: Emulator;
let db: Sdk['db'];
let ADMIN: string;
/** 21:30 in Shanghai: the offer 48.5 hours later falls at 22:00, inside the default quiet hours. */
const JOIN_AT = new Date('2026-05-04T13:30:00Z');
const TIMER_MS = 5 * 60_000;

const journey = journeyInput('join-nurture-sim', '入会培育（模拟）', 'member.joined', [
  { id: 'tier', type: 'branch', condition: { type: 'tier', in: ['gold'] }, then: 'vip-welcome', else: 'welcome' },
  { id: 'vip-welcome', type: 'send', channel: 'subscribe', template: 'nurture_welcome', next: 'wait-order' },
  { id: 'welcome', type: 'send', channel: 'subscribe', template: 'nurture_story', next: 'wait-order' },
  {
    id: 'wait-order',
    type: 'waitForEvent',
    event: 'order.paid',
    timeout: '48h30m',
    onEvent: '$end',
    onTimeout: 'offer',
  },
  { id: 'offer', type: 'send', channel: 'subscribe', template: 'nurture_first_purchase_offer' },
  { id: 'tag', type: 'tag', op: 'add', tag: 'nudged' },
  { id: 'story-again', type: 'send', channel: 'subscribe', template: 'nurture_story' },
]);
const TEMPLATES = ['nurture_story', 'nurture_first_purchase_offer'];

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({
    startAt: new Date(JOIN_AT.getTime() - 60_000),
    config: { triggers: ['journeys'] },
  }));
  ADMIN = await addStaff(db);
  await as(emu, ADMIN).ok('messaging', 'journeys.create', { journey: { ...journey } });
  await as(emu, ADMIN).ok('messaging', 'journeys.publish', { journeyId: journey.id });
});
afterAll(() => emu.close());

test('S17 simulator: the timeline for a profile is what the engine does for a member with that profile', async () => {
  // a real member with the profile joins; the simulator plays the same instant before the engine runs
  await advance(emu, '1m');
  const m = await addMember(db, { tier: 'silver' });
  for (const t of TEMPLATES) await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { [t]: 'accept' } });
  const eventId = await emit(emu, db, 'member.joined', m.memberId);
  const joinedAt = new Date(((await db.collection('events').doc(eventId).get()).data as { at: Date }).at);
  const sim = await as(emu, ADMIN).ok('messaging', 'journeys.simulate', {
    journeyId: journey.id,
    source: 'live',
    profile: { tier: 'silver', consents: TEMPLATES },
    start: joinedAt.toISOString(),
    days: 4,
  });
  expect(sim).toMatchObject({ entered: true, status: 'completed' });
  const of = (kinds: string[]) => sim.timeline.filter((t) => kinds.includes(t.kind));
  // what the simulator says, in words a brand admin reads
  expect(of(['then', 'else', 'timeout', 'send', 'defer', 'skip', 'tag']).map((t) => [t.stepId, t.kind])).toEqual([
    ['tier', 'else'],
    ['welcome', 'send'],
    ['wait-order', 'timeout'],
    ['offer', 'defer'],
    ['tag', 'tag'],
    ['story-again', 'skip'],
    ['offer', 'send'],
  ]);
  // nothing was written or sent by the simulation
  expect(await outboxOf(db, {})).toHaveLength(0);
  expect((await db.collection('journey_runs').where({}).get()).data).toHaveLength(0);

  // now the engine runs four days of the clock
  for (let i = 0; i < 6; i++) await advance(emu, '16h');

  const [run] = await runsOf(db, m.memberId);
  expect(run).toMatchObject({ status: 'completed', version: 1 });
  const history = (run!['history'] as { stepId: string; outcome: string; at: Date }[]).filter(
    (h) => h.outcome !== 'effect',
  );
  const steps = of(['then', 'else', 'event', 'timeout', 'waited', 'exit']);
  expect(history.map((h) => [h.stepId, h.outcome, new Date(h.at).toISOString()])).toEqual(
    steps.map((t) => [t.stepId, t.kind, t.at]),
  );

  const rows = await outboxOf(db, { memberId: m.memberId });
  const sent = rows
    .filter((r) => r['state'] === 'sent')
    .sort((a, b) => +new Date(a['sentAt'] as Date) - +new Date(b['sentAt'] as Date));
  const simSent = of(['send']);
  expect(sent.map((r) => r['stepId'])).toEqual(simSent.map((t) => t.stepId));
  sent.forEach((r, i) => {
    const lag = new Date(r['sentAt'] as Date).getTime() - new Date(simSent[i]!.at).getTime();
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(TIMER_MS);
  });
  expect(rows.filter((r) => r['state'] === 'skipped').map((r) => [r['stepId'], r['reason']])).toEqual(
    of(['skip']).map((t) => [t.stepId, t.why]),
  );
  const member = (await db.collection('members').doc(m.memberId).get()).data as { tags: { tagId: string }[] };
  expect(member.tags.map((t) => t.tagId)).toEqual(of(['tag']).map((t) => t.detail.slice(1)));
});
