import { parseJourney, type JourneyEvent } from '../../../core/journeys';
import { instantOf } from '../../../core/time';
import { simProfile } from '../../../core/contracts/journeys';
import { profileSubject } from '../../../server/journeys/simulate-action';
import { simulateRun } from '../../../server/journeys/simulate';

/** The simulator applies the production send rules: caps, opt-out, quiet hours with their end. */
const TZ = 'Asia/Shanghai';
const brand = { timeZone: TZ, templateIds: {}, mailFrom: 'no-reply@member-centre.local' };
const journey = parseJourney({
  id: 'three-offers',
  name: '三条优惠',
  enabled: true,
  trigger: { event: 'member.joined' },
  steps: [
    { id: 'a', type: 'send', channel: 'subscribe', template: 'offer_a' },
    { id: 'b', type: 'send', channel: 'subscribe', template: 'offer_b' },
    { id: 'c', type: 'send', channel: 'subscribe', template: 'offer_c' },
  ],
});
const play = (at: Date, profile: Record<string, unknown>) => {
  const subject = profileSubject(simProfile.parse(profile), brand, at);
  const trigger: JourneyEvent = { id: 'simulated', type: 'member.joined', memberId: subject.memberId, at };
  const sim = simulateRun(journey, subject, brand, { trigger, until: new Date(at.getTime() + 86_400_000), events: [] });
  return sim.timeline.filter((t) => ['send', 'skip', 'defer'].includes(t.kind)).map((t) => [t.stepId, t.kind, t.why]);
};
const consents = ['offer_a', 'offer_b', 'offer_c'];

test('the third marketing message of a day is skipped by the daily cap', () => {
  const noon = instantOf('2026-05-04', '12:00', TZ);
  const rows = play(noon, { consents });
  expect(rows.map(([id, kind]) => [id, kind])).toEqual([
    ['a', 'send'],
    ['b', 'send'],
    ['c', 'skip'],
  ]);
  expect(rows[2]).toEqual(['c', 'skip', 'capped_day']);
});

test('an opted-out member gets nothing; one without consent is skipped for it', () => {
  const noon = instantOf('2026-05-04', '12:00', TZ);
  expect(play(noon, { consents, marketingOptOut: true }).map((x) => x[2])).toEqual([
    'opted_out',
    'opted_out',
    'opted_out',
  ]);
  expect(
    play(noon, { consents: ['offer_a'] })
      .map((x) => x[2])
      .slice(1),
  ).toEqual(['no_consent', 'no_consent']);
});

test('at 23:00 messages wait for the end of quiet hours, then the cap applies', () => {
  const late = instantOf('2026-05-04', '23:00', TZ);
  const rows = play(late, { consents });
  expect(rows.slice(0, 3).map((x) => x[1])).toEqual(['defer', 'defer', 'defer']);
  expect(rows.slice(0, 3).every((x) => String(x[2]).endsWith(instantOf('2026-05-05', '08:00', TZ).toISOString()))).toBe(
    true,
  );
  expect(rows.slice(3)).toEqual([
    ['a', 'send', expect.any(String)],
    ['b', 'send', expect.any(String)],
    ['c', 'skip', 'capped_day'],
  ]);
});
