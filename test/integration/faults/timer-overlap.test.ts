import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, calls, fault, keyOf, messagingEmulator, outboxOf } from '../messaging/support';

/**
 * The platform fires a timer on schedule even while its previous run goes on (Mautic's recurring
 * duplicate send). Two runs of one timer never overlap: a firing that finds the timer's lease held
 * is skipped, and the next one after the run ended carries on.
 */
let emu: Emulator;
let db: Awaited<ReturnType<typeof messagingEmulator>>['db'];

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['dispatch'] } }));
});
afterAll(() => emu.close());

test('S15 overlapping timer firings: the dispatcher runs once at a time, each key is sent once', async () => {
  const admin = as(emu, await addStaff(db));
  for (let i = 0; i < 3; i++) {
    const m = await addMember(db, { tags: ['overlap'] });
    await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { overlap_notice: 'accept' } });
  }
  await admin.ok('messaging', 'segments.save', {
    id: 'overlap',
    name: 'overlap',
    rule: { field: 'tags', op: 'hasAny', values: ['overlap'] },
  });
  const sendAt = new Date(emu.clock.now().getTime() + 30_000).toISOString();
  await admin.ok('messaging', 'campaigns.send', {
    id: 'overlap',
    name: 'overlap',
    segmentId: 'overlap',
    message: {
      channel: 'subscribe',
      template: 'overlap_notice',
      purpose: 'transactional',
      data: { title: '通知', body: '调整' },
    },
    sendAt,
  });
  // WeChat takes 2 s per answer: the first run is still sending when the next minute's firing comes
  await fault(emu, { apiName: 'subscribeMessage.send', delayMs: 2_000, times: 3 });
  const r = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '2m', overlap: true }) });
  expect(((await r.json()) as { fired: { ok: boolean }[] }).fired.map((f) => f.ok)).toEqual([true, true]);

  const results = emu.runtime
    .invocations(10, 'messaging')
    .filter((i) => i.source === 'timer')
    .map((i) => i.result as Record<string, unknown>);
  expect(results).toHaveLength(2);
  expect(results.filter((x) => x['skipped'] === 'previous_run_active')).toHaveLength(1);
  expect(results.filter((x) => x['sent'] === 3)).toHaveLength(1);
  const keys = (await calls(emu, 'subscribeMessage.send')).map(keyOf);
  expect(keys).toHaveLength(3);
  expect(new Set(keys).size).toBe(3);
  expect((await outboxOf(db, { campaignId: 'overlap' })).map((x) => x['state'])).toEqual(['sent', 'sent', 'sent']);

  // the lease was given back: the next firing runs
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '1m' }) });
  expect((emu.runtime.invocations(1, 'messaging')[0]!.result as Record<string, unknown>)['skipped']).toBeUndefined();
});
