import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { seedJourney, type JourneyInput } from '../../../core/journeys';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';
import {
  addMember,
  advance,
  emit,
  journeyInput,
  messagingEmulator,
  MORNING,
  outboxOf,
  runsOf,
  seedJourneys,
} from './support';

/** Staff author journeys: drafts, versions, re-entry, goals; all through the actions and the emulator's clock. */
let emu: Emulator;
let db: Sdk['db'];
const ADMIN = 'o_demo_admin';
const MANAGER = 'o_demo_manager';
const admin = () => as(emu, ADMIN);

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['journeys'] } }));
  await seedJourneys(db, ['unpaid-order-reminder']);
  await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
});
afterAll(() => emu.close());

const auditOf = async (action: string) =>
  (await db.collection('audit_log').where({ action }).limit(100).get()).data as Record<string, unknown>[];

async function buyer(templates: string[]) {
  const m = await addMember(db);
  for (const t of templates) await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { [t]: 'accept' } });
  return m;
}

const historyOf = (run: Record<string, unknown>) =>
  (run['history'] as { stepId: string; outcome: string; at: Date }[]).map((h) => [
    h.stepId,
    h.outcome,
    new Date(h.at).toISOString(),
  ]);

test('S16 authoring: a journey written through the actions like the seed it copies behaves the same', async () => {
  const seed = seedJourney('unpaid-order-reminder')!;
  const { version, ...body } = seed;
  expect(version).toBeUndefined();
  const copy: JourneyInput = { ...body, id: 'unpaid-reminder-copy', name: '未付款订单提醒（复制）' };
  const created = await admin().ok('messaging', 'journeys.create', { journey: { ...copy } });
  expect(created).toMatchObject({ id: 'unpaid-reminder-copy', status: 'draft', version: 0, unpublished: true });
  const live = await admin().ok('messaging', 'journeys.publish', { journeyId: 'unpaid-reminder-copy' });
  expect(live).toMatchObject({
    status: 'live',
    version: 1,
    unpublished: false,
    versions: [{ version: 1, publishedBy: 'staff_admin' }],
  });
  // the live copy is the seed, but for its id and name
  const seeded = await admin().ok('messaging', 'journeys.get', { journeyId: 'unpaid-order-reminder' });
  expect({ ...live.draft, id: 'x', name: 'x' }).toEqual({ ...seeded.draft, id: 'x', name: 'x' });

  const m = await buyer(['order_unpaid_reminder', 'order_unpaid_reminder']);
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-copy' });
  await advance(emu, '45m');
  const runs = await runsOf(db, m.memberId);
  const byJourney = new Map(runs.map((r) => [r['journeyId'] as string, r]));
  expect([...byJourney.keys()].sort()).toEqual(['unpaid-order-reminder', 'unpaid-reminder-copy']);
  expect(historyOf(byJourney.get('unpaid-reminder-copy')!)).toEqual(historyOf(byJourney.get('unpaid-order-reminder')!));
  expect(byJourney.get('unpaid-reminder-copy')).toMatchObject({ status: 'completed', version: 1 });
  const rows = await outboxOf(db, { memberId: m.memberId });
  expect(rows.map((r) => [r['journeyId'], r['template'], r['state']]).sort()).toEqual([
    ['unpaid-order-reminder', 'order_unpaid_reminder', 'sent'],
    ['unpaid-reminder-copy', 'order_unpaid_reminder', 'sent'],
  ]);
});

test('S21 versions: editing and publishing a running journey leaves runs in flight on their version', async () => {
  const v1 = journeyInput(
    'paid-thanks',
    '付款后致谢',
    'order.created',
    [
      { id: 'wait-1h', type: 'wait', duration: '1h' },
      { id: 'thanks', type: 'send', channel: 'subscribe', template: 'thanks_v1', purpose: 'transactional' },
    ],
    { entry: 'always' },
  );
  await admin().ok('messaging', 'journeys.create', { journey: { ...v1 } });
  await admin().ok('messaging', 'journeys.publish', { journeyId: 'paid-thanks' });
  const early = await buyer(['thanks_v1', 'thanks_v2', 'order_unpaid_reminder', 'order_unpaid_reminder']);
  await emit(emu, db, 'order.created', early.memberId, { orderId: 'o-early' });
  await advance(emu, '10m');

  const v2 = {
    ...v1,
    steps: [
      v1.steps[0]!,
      { id: 'thanks', type: 'send', channel: 'subscribe', template: 'thanks_v2', purpose: 'transactional' },
    ],
  };
  const draft = await admin().ok('messaging', 'journeys.saveDraft', { journeyId: 'paid-thanks', journey: v2 });
  expect(draft).toMatchObject({ status: 'live', version: 1, unpublished: true });
  expect(await admin().ok('messaging', 'journeys.publish', { journeyId: 'paid-thanks' })).toMatchObject({
    version: 2,
    unpublished: false,
  });
  const late = await buyer(['thanks_v1', 'thanks_v2', 'order_unpaid_reminder', 'order_unpaid_reminder']);
  await emit(emu, db, 'order.created', late.memberId, { orderId: 'o-late' });
  await advance(emu, '80m');

  const sentOf = async (memberId: string) =>
    (await outboxOf(db, { memberId, journeyId: 'paid-thanks' })).map((r) => [r['template'], r['state']]);
  expect(await sentOf(early.memberId)).toEqual([['thanks_v1', 'sent']]);
  expect(await sentOf(late.memberId)).toEqual([['thanks_v2', 'sent']]);
  const versionOf = async (memberId: string) =>
    (await runsOf(db, memberId)).find((r) => r['journeyId'] === 'paid-thanks')?.['version'];
  expect([await versionOf(early.memberId), await versionOf(late.memberId)]).toEqual([1, 2]);
  const v = (await db.collection('journey_versions').where({ journeyId: 'paid-thanks' }).get()).data as {
    version: number;
    journey: { steps: { template?: string }[] };
  }[];
  expect(v.map((x) => [x.version, x.journey.steps[1]!.template]).sort()).toEqual([
    [1, 'thanks_v1'],
    [2, 'thanks_v2'],
  ]);
});

test('S21 re-entry: once per N days, and a goal that ends the run', async () => {
  const j: JourneyInput = {
    id: 'weekly-nudge',
    name: '每周一次提醒',
    enabled: true,
    trigger: { event: 'order.created' },
    entry: { oncePerDays: 7 },
    goal: { event: 'order.paid', sameSubject: true },
    steps: [
      {
        id: 'no-pay',
        type: 'waitForEvent',
        event: 'order.paid',
        sameSubject: true,
        timeout: '2h',
        onEvent: '$end',
        onTimeout: 'nudge',
      },
      { id: 'nudge', type: 'tag', op: 'add', tag: 'slow-payer' },
    ],
  };
  await admin().ok('messaging', 'journeys.create', { journey: { ...j } });
  await admin().ok('messaging', 'journeys.publish', { journeyId: 'weekly-nudge' });
  const m = await buyer(['order_unpaid_reminder', 'order_unpaid_reminder', 'thanks_v2', 'thanks_v2']);
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-1' });
  await advance(emu, '10m');
  await emit(emu, db, 'order.paid', m.memberId, { orderId: 'o-1' });
  await emit(emu, db, 'order.created', m.memberId, { orderId: 'o-2' }); // inside the 7 days: no second run
  await advance(emu, '10m');
  const mine = (await runsOf(db, m.memberId)).filter((r) => r['journeyId'] === 'weekly-nudge');
  expect(mine).toHaveLength(1);
  expect(mine[0]).toMatchObject({ status: 'exited', exitReason: 'goal:order.paid' });
});

test('S21 simulator: a chosen member is read as they are; described events reach goals and waits', async () => {
  // a member who holds the message's consent gets it; one who does not is skipped, as the outbox would
  const m = await buyer(['thanks_v2']);
  const sim = await admin().ok('messaging', 'journeys.simulate', {
    journeyId: 'paid-thanks',
    source: 'live',
    memberId: m.memberId,
    days: 1,
  });
  const decided = sim.timeline.filter((t) => ['send', 'skip'].includes(t.kind));
  expect(decided.map((t) => [t.stepId, t.kind, t.detail])).toEqual([['thanks', 'send', 'subscribe:thanks_v2']]);
  const none = await admin().ok('messaging', 'journeys.simulate', {
    journeyId: 'paid-thanks',
    source: 'live',
    memberId: (await addMember(db)).memberId,
    days: 1,
  });
  expect(none.timeline.find((t) => t.stepId === 'thanks')).toMatchObject({ kind: 'skip', why: 'no_consent' });

  const paidInTime = await admin().ok('messaging', 'journeys.simulate', {
    journeyId: 'weekly-nudge',
    source: 'live',
    profile: {},
    trigger: { subjectId: 'o-9' },
    events: [{ after: '1h', type: 'order.paid', subjectId: 'o-9' }],
  });
  expect(paidInTime).toMatchObject({ status: 'exited', exitReason: 'goal:order.paid' });
  const unpaid = await admin().ok('messaging', 'journeys.simulate', {
    journeyId: 'weekly-nudge',
    source: 'live',
    profile: {},
    trigger: { subjectId: 'o-9' },
  });
  expect(unpaid.timeline.map((t) => t.kind)).toEqual(['enter', 'timeout', 'tag', 'end']);
  // the member's data is as it was: the simulations wrote nothing
  expect(await outboxOf(db, { memberId: m.memberId })).toHaveLength(0);
  expect(await runsOf(db, m.memberId)).toHaveLength(0);
});

test('S21 authoring: every action role-checked and audited; bad drafts name the step, change nothing', async () => {
  const body = {
    id: 'mgr-try',
    name: '店长试试',
    enabled: true,
    trigger: { event: 'member.joined' },
    steps: [{ id: 'w', type: 'wait', duration: '1h' }],
  };
  const tries = [
    ['journeys.create', { journey: body }],
    ['journeys.saveDraft', { journeyId: 'paid-thanks', journey: body }],
    ['journeys.duplicate', { journeyId: 'paid-thanks', newId: 'mgr-copy' }],
    ['journeys.archive', { journeyId: 'paid-thanks' }],
    ['journeys.publish', { journeyId: 'paid-thanks' }],
    ['journeys.get', { journeyId: 'paid-thanks' }],
    ['journeys.simulate', { journeyId: 'paid-thanks', profile: {} }],
  ] as const;
  for (const [action, input] of tries) {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action of the table has its own input type
    const r = await as(emu, MANAGER).call('messaging', action, input as any);
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await auditOf(`refused:messaging.${action}`)).toHaveLength(1);
  }
  expect((await db.collection('journeys').doc('paid-thanks').get()).data).toMatchObject({ status: 'live', version: 2 });

  const bad = {
    ...body,
    id: 'bad-one',
    steps: [
      { id: 'w', type: 'wait', duration: '1h' },
      { id: 'w2', type: 'wait', duration: 'soon' },
    ],
  };
  const refused = await admin().call('messaging', 'journeys.create', { journey: bad });
  expect(refused).toMatchObject({
    ok: false,
    error: {
      code: 'JOURNEY_INVALID',
      details: { problems: ['steps[1] (wait): duration: duration like 30m, 47h, 3d'] },
    },
  });
  expect((await db.collection('journeys').where({ _id: 'bad-one' }).get()).data).toHaveLength(0);

  const dup = await admin().ok('messaging', 'journeys.duplicate', { journeyId: 'paid-thanks', newId: 'paid-thanks-b' });
  expect(dup).toMatchObject({ status: 'draft', version: 0, draft: { id: 'paid-thanks-b', name: '付款后致谢 副本' } });
  expect(await admin().ok('messaging', 'journeys.archive', { journeyId: 'paid-thanks-b' })).toMatchObject({
    status: 'archived',
  });
  expect(await admin().call('messaging', 'journeys.publish', { journeyId: 'paid-thanks-b' })).toMatchObject({
    ok: false,
    error: { code: 'JOURNEY_ARCHIVED' },
  });
  await admin().ok('messaging', 'journeys.simulate', { journeyId: 'paid-thanks', profile: {} });

  for (const action of ['create', 'saveDraft', 'publish', 'duplicate', 'archive', 'simulate']) {
    const rows = await auditOf(`journeys.${action}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows[0]).toMatchObject({ who: 'staff_admin', role: 'brand_admin' });
  }
  const [publish] = (await auditOf('journeys.publish')).filter(
    (r) => r['target'] === 'journeys/paid-thanks' && (r['after'] as { version: number }).version === 2,
  );
  expect(publish).toMatchObject({ before: { version: 1 }, after: { version: 2, status: 'live' } });
  void MORNING;
});
