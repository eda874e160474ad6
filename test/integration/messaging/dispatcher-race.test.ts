import type { Emulator } from '../../../emulator/emulator';
import type { Channel } from '../../../core/messaging';
import { createLogger } from '../../../server/kit/logger';
import type { ChannelAdapter, RenderedMessage } from '../../../server/messaging/channels';
import { dispatchDue, type DispatchDeps } from '../../../server/messaging/dispatch';
import { freshOutboxFields } from '../../../server/messaging/documents';
import { messagingEmulator, now, outboxOf } from './support';
import type { Sdk } from '../../support/sdk';

/**
 * Two dispatchers at once (two instances woken together) claim the same due rows: each row is
 * claimed by one of them, sent once, and marked sent. The adapters here stand for WeChat; the
 * database is the emulator's, through the real SDK.
 */
let emu: Emulator;
let db: Sdk['db'];
const TOTAL = 150;

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator());
});
afterAll(() => emu.close());

function recordingAdapters(sent: string[]): Record<Channel, ChannelAdapter> {
  const adapter: ChannelAdapter = {
    async send(m: RenderedMessage) {
      sent.push(m.key);
      await new Promise((r) => setTimeout(r, 1));
      return { ok: true };
    },
  };
  return { subscribe: adapter, oa_template: adapter, oa_custom: adapter, email: adapter };
}

test('S15 outbox: two dispatchers racing for the same rows send each message once', async () => {
  const at = await now(emu);
  const past = new Date(at.getTime() - 60_000);
  await db.collection('members').add({
    data: Array.from({ length: 10 }, (_v, i) => ({
      _id: `race_m${i}`,
      openid: `o_race_${i}`,
      oaOpenid: `oa_race_${i}`,
      oaFollowing: true,
    })),
  });
  await db.collection('outbox').add({
    data: Array.from({ length: TOTAL }, (_v, i) => ({
      _id: `race:${i}`,
      key: `race:${i}`,
      kind: 'message',
      memberId: `race_m${i % 10}`,
      channel: 'oa_template',
      template: 'race',
      purpose: 'transactional',
      data: {},
      state: 'pending',
      reason: null,
      dueAt: past,
      ...freshOutboxFields(past),
    })),
  });
  const sent: string[] = [];
  const deps: DispatchDeps = {
    db,
    now: () => at,
    log: createLogger({ test: 'race' }),
    brand: { timeZone: 'Asia/Shanghai', templateIds: {}, mailFrom: 'no-reply@member-centre.local' },
    adapters: recordingAdapters(sent),
  };
  const opts = { deadlineMs: Date.now() + 20_000, chunk: 40, concurrency: 4 };

  const [a, b] = await Promise.all([dispatchDue(deps, opts), dispatchDue(deps, opts)]);

  expect(a.claimed + b.claimed).toBe(TOTAL);
  expect(a.sent + b.sent).toBe(TOTAL);
  expect(sent).toHaveLength(TOTAL);
  expect(new Set(sent).size).toBe(TOTAL);
  const rows = await outboxOf(db, { template: 'race' });
  expect(rows.map((r) => r['state'])).toEqual(Array(TOTAL).fill('sent'));
  expect(rows.every((r) => r['attempts'] === 1)).toBe(true);
});
