import type { Emulator } from '../../../emulator/emulator';
import { addMember, addStaff, calls, fault, messagingEmulator, now, outboxOf } from './support';
import { as } from '../../support/client';
import { DISPATCH_CHUNK } from '../../../server/messaging/dispatch';
import type { Sdk } from '../../support/sdk';

const TOTAL = DISPATCH_CHUNK + 20;

/**
 * At most once: the dispatcher's instance is killed mid-batch (this copy of config.json gives the
 * function a 10 s timeout and one WeChat call hangs for 30 s), then the timer runs it again.
 * Rule: a row left `sending` after its lease ran out has an unknown outcome and is never resent
 * (`unknown`); rows never claimed are sent by the next run. Each outbox key reaches WeChat at most once.
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { timeout: 10 } }));
});
afterAll(() => emu.close());

test('dispatcher killed mid-batch → restart sends the rest and nothing twice', async () => {
  const admin = as(emu, await addStaff(db));
  const members = [];
  for (let i = 0; i < TOTAL; i++) members.push(await addMember(db, { tags: ['crash'] }));
  for (const m of members)
    await db
      .collection('consents')
      .doc(m.memberId)
      .set({
        data: {
          templates: { crash_notice: { remaining: 1, longTerm: false, blocked: null, updatedAt: new Date() } },
          sent: { dayStart: new Date(0), today: 0, weekStart: new Date(0), thisWeek: 0 },
          updatedAt: new Date(),
        },
      });
  await admin.ok('messaging', 'segments.save', {
    id: 'crash',
    name: 'crash',
    rule: { field: 'tags', op: 'hasAll', values: ['crash'] },
  });
  const sendAt = new Date((await now(emu)).getTime() + 30_000);
  await admin.ok('messaging', 'campaigns.send', {
    id: 'crash',
    name: 'crash',
    segmentId: 'crash',
    message: {
      channel: 'subscribe',
      template: 'crash_notice',
      purpose: 'transactional',
      data: { title: '通知', body: '服务变更' },
    },
    sendAt: sendAt.toISOString(),
  });

  // the timer enqueues the campaign, then the first WeChat call of its first batch (DISPATCH_CHUNK rows) hangs past
  // the function's timeout: the instance dies with sends done but not all marked, and 20 rows unclaimed
  await fault(emu, { apiName: 'subscribeMessage.send', delayMs: 30_000, times: 1 });
  const first = (await (
    await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '1m' }) })
  ).json()) as { fired: { ok: boolean; error?: string }[] };
  expect(first.fired.map((f) => f.ok)).toEqual([false]);
  expect(first.fired[0]!.error).toMatch(/time/i);
  const afterCrash = await calls(emu, 'subscribeMessage.send');
  expect(afterCrash.length).toBeGreaterThan(0);
  expect(afterCrash.length).toBeLessThan(TOTAL);
  const stuck = await outboxOf(db, { campaignId: 'crash', state: 'sending' });
  expect(stuck.length).toBeGreaterThan(0);

  // the next runs: the expired lease turns `sending` rows into `unknown`, the rest is sent
  const later = (await (
    await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '4m' }) })
  ).json()) as { fired: { ok: boolean }[] };
  expect(later.fired.every((f) => f.ok)).toBe(true);
  const all = await calls(emu, 'subscribeMessage.send');
  const keys = all.map((c) => decodeURIComponent(/mk=([^&]+)/.exec(String(c.params['page']))![1]!));
  expect(new Set(keys).size).toBe(keys.length); // nothing twice
  const rows = await outboxOf(db, { campaignId: 'crash' });
  expect(rows).toHaveLength(TOTAL);
  const states = rows.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [String(r['state'])]: (acc[String(r['state'])] ?? 0) + 1 }),
    {},
  );
  expect((states['sent'] ?? 0) + (states['unknown'] ?? 0)).toBe(TOTAL);
  expect(states['unknown']).toBe(stuck.length);
  for (const r of rows.filter((x) => x['state'] === 'sent')) expect(keys.filter((k) => k === r['key'])).toHaveLength(1);
  for (const r of rows.filter((x) => x['state'] === 'unknown')) expect(r['reason']).toBe('outcome_unknown');
  const metrics = await admin.ok('messaging', 'metrics', { campaignId: 'crash' });
  expect(metrics).toMatchObject({ entered: TOTAL, sent: states['sent'], unknown: stuck.length });
});
