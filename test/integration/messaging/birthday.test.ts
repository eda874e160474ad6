import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, advanceTo, calls, messagingEmulator, outboxOf, seedJourneys } from './support';
import { scanBirthdays } from '../../../server/journeys/birthday';
import { createLogger } from '../../../server/kit/logger';
import type { Sdk } from '../../support/sdk';

/**
 * Seed 000 / S19: birthday greetings to a chosen segment on the birthday in the brand's time zone.
 * Rule: a 29 February birthday is celebrated on 28 February in a non-leap year (2027 here).
 * Only the journeys and birthdays timers run in this copy of config.json (the journeys timer dispatches).
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  // 23:50 on 27 February 2027 in Shanghai
  ({ emu, db } = await messagingEmulator({
    startAt: new Date('2027-02-27T15:50:00Z'),
    config: { triggers: ['journeys', 'birthdays'] },
  }));
  await seedJourneys(db, ['birthday-greeting']);
  await as(emu, await addStaff(db)).ok('messaging', 'segments.save', {
    id: 'birthday-club',
    name: '生日会员',
    rule: { field: 'tags', op: 'hasAny', values: ['birthday-club'] },
  });
});
afterAll(() => emu.close());

test('S19 birthday: 29 February is celebrated on 28 February in a non-leap year, at 10:00 brand time, for the chosen segment only', async () => {
  const leap = await addMember(db, { birthday: '2000-02-29', tags: ['birthday-club'] });
  const outside = await addMember(db, { birthday: '1990-02-28', tags: [] });
  const march = await addMember(db, { birthday: '2001-03-01', tags: ['birthday-club'] });
  for (const m of [leap, outside, march])
    await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { birthday_greeting: 'accept' } });

  await advanceTo(emu, new Date('2027-02-28T01:50:00Z')); // 09:50 in Shanghai
  expect(await calls(emu, 'subscribeMessage.send')).toHaveLength(0);
  await advanceTo(emu, new Date('2027-02-28T02:10:00Z')); // 10:10
  const greeted = await calls(emu, 'subscribeMessage.send');
  expect(greeted.map((c) => c.openid)).toEqual([leap.openid]);
  expect(greeted[0]!.params['template_id']).toBe('birthday_greeting');
  expect(Date.parse(greeted[0]!.at)).toBeGreaterThanOrEqual(Date.parse('2027-02-28T02:00:00Z'));
  expect((await outboxOf(db, { memberId: leap.memberId, kind: 'grantCoupon' }))[0]).toMatchObject({
    state: 'handoff',
    data: { templateId: 'birthday-gift' },
  });
  // the 28 February member not in the segment entered and left at the branch
  expect((await db.collection('journey_runs').where({ memberId: outside.memberId }).get()).data[0]).toMatchObject({
    status: 'completed',
  });
  expect((await db.collection('journey_runs').where({ memberId: march.memberId }).get()).data).toHaveLength(0);

  await advanceTo(emu, new Date('2027-03-01T02:10:00Z'));
  const next = await calls(emu, 'subscribeMessage.send');
  expect(next.map((c) => c.openid)).toEqual([leap.openid, march.openid]);
  expect((await db.collection('events').where({ type: 'birthday', memberId: leap.memberId }).count()).total).toBe(1);
});

test("S19 birthday scan in slices: a run with no time left does one page of 500, the next goes on from it, the day's later runs are idle", async () => {
  const members = Array.from({ length: 600 }, (_v, i) => ({
    _id: `m_bd_${String(i).padStart(4, '0')}`,
    state: 'member',
    birthday: '1991-03-02',
    createdAt: new Date('2027-01-01T00:00:00Z'),
  }));
  await db.collection('members').add({ data: members });
  // 09:00 on 2 March 2027 in Shanghai, the scan as the timer runs it
  const ctx = {
    db,
    now: () => new Date('2027-03-02T01:00:00Z'),
    log: createLogger({ test: 'birthdays' }),
    requestId: 'bd',
  };
  expect(await scanBirthdays(ctx, 'Asia/Shanghai', Date.now() + 1)).toEqual({ emitted: 500, done: false });
  expect(await scanBirthdays(ctx, 'Asia/Shanghai', Date.now() + 60_000)).toEqual({ emitted: 100, done: true });
  expect(await scanBirthdays(ctx, 'Asia/Shanghai', Date.now() + 60_000)).toEqual({ emitted: 0, done: true });
  expect((await db.collection('events').where({ type: 'birthday', 'data.date': '2027-03-02' }).count()).total).toBe(
    600,
  );
});
