import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import {
  addMember,
  addStaff,
  advance,
  calls,
  fault,
  keyOf,
  messagingEmulator,
  campaignToTag,
  outboxOf,
  type Call,
} from '../messaging/support';

/**
 * At most one delivery per outbox key when WeChat answers late. The fake WeChat delivers a message
 * and then holds its answer past the client's patience (the SDK gives up on cloud.openapi at 15 s,
 * the Official Account client at 5 s): the outcome is unknown. Subscription and customer-service
 * messages have no de-duplication, and a one-time consent is spent by the first send, so such a
 * row is recorded `unknown` and never sent again; template messages are resent under the same
 * `client_msg_id`, which WeChat de-duplicates. Staff see the unknown ones in the metrics.
 */
let emu: Emulator;
let db: Awaited<ReturnType<typeof messagingEmulator>>['db'];
let admin: ReturnType<typeof as>;

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['dispatch'] } }));
  admin = as(emu, await addStaff(db));
});
afterAll(() => emu.close());

/** Calls that reached a person: answered 0 by WeChat and not a repeat it de-duplicated. */
const deliveries = (list: (Call & { duplicate?: true })[]) =>
  list.filter((c) => c.outcome.errcode === 0 && !c.duplicate);

type Channel = 'subscribe' | 'oa_custom' | 'oa_template';

/** A transactional campaign to the members tagged `tag`. */
const campaign = (tag: string, channel: Channel, template: string, data: Record<string, string>) =>
  campaignToTag(admin, tag, { channel, template, purpose: 'transactional', data });

test('S15 at most once: every subscription message answered after the SDK gave up is recorded unknown, sent once, shown to staff', async () => {
  const N = 6;
  for (let i = 0; i < N; i++) {
    const m = await addMember(db, { tags: ['late-sub'] });
    // the person accepts one subscription message (a one-time consent) in the Mini Program
    await as(emu, m.openid).ok('messaging', 'recordConsent', { results: { late_notice: 'accept' } });
  }
  await fault(emu, { apiName: 'subscribeMessage.send', delayMs: 20_000, forMs: 10 * 60_000 });
  await campaign('late-sub', 'subscribe', 'late_notice', { title: '通知', body: '门店调整' });
  await advance(emu, '5m');

  const sent = (await calls(emu, 'subscribeMessage.send')).filter((c) => c.params['template_id'] === 'late_notice');
  const keys = sent.map(keyOf);
  expect(keys).toHaveLength(N);
  expect(new Set(keys).size).toBe(N);
  const rows = await outboxOf(db, { campaignId: 'late-sub' });
  expect(rows.map((r) => [r['state'], r['reason']])).toEqual(Array(N).fill(['unknown', 'outcome_unknown']));
  expect(await admin.ok('messaging', 'metrics', { campaignId: 'late-sub' })).toMatchObject({
    entered: N,
    sent: 0,
    failed: 0,
    unknown: N,
  });
});

test('S15 at most once: a customer-service message answered after the client gave up (5 s) is not resent', async () => {
  for (let i = 0; i < 3; i++) {
    await addMember(db, { tags: ['late-cs'], oaOpenid: `oa_late_cs_${i}`, oaFollowing: true });
  }
  // they wrote to the Official Account just now (the oa function's event): the 48-hour window is open
  for (const m of (
    await db
      .collection('members')
      .where({ tags: { tagId: 'late-cs' } })
      .get()
  ).data as { _id: string }[]) {
    await db.collection('events').add({ data: { type: 'oa.message', memberId: m._id, at: emu.clock.now(), data: {} } });
  }
  await fault(emu, { apiName: 'cgi-bin/message/custom/send', delayMs: 6_000, forMs: 10 * 60_000 });
  await campaign('late-cs', 'oa_custom', 'late_article', { title: '文章', body: '旗袍故事' });
  await advance(emu, '3m');

  const sent = (await calls(emu, 'cgi-bin/message/custom/send')).filter((c) => c.openid.startsWith('oa_late_cs_'));
  expect(sent.map((c) => c.openid).sort()).toEqual(['oa_late_cs_0', 'oa_late_cs_1', 'oa_late_cs_2']);
  expect((await outboxOf(db, { campaignId: 'late-cs' })).map((r) => r['state'])).toEqual([
    'unknown',
    'unknown',
    'unknown',
  ]);
});

test('S15 at most once: a template message answered late is resent under the same client_msg_id and delivered once', async () => {
  for (let i = 0; i < 3; i++)
    await addMember(db, { tags: ['late-tpl'], oaOpenid: `oa_late_tpl_${i}`, oaFollowing: true });
  // slow for the first three minutes, then WeChat answers in time again
  await fault(emu, { apiName: 'cgi-bin/message/template/send', delayMs: 6_000, forMs: 3 * 60_000 });
  await campaign('late-tpl', 'oa_template', 'late_offer', { title: '礼遇', body: '本周' });
  await advance(emu, '8m');

  const sent = (await calls(emu, 'cgi-bin/message/template/send')).filter((c) =>
    c.openid.startsWith('oa_late_tpl_'),
  ) as (Call & { duplicate?: true })[];
  expect(sent.length).toBeGreaterThan(3); // resent…
  const delivered = deliveries(sent).map((c) => String(c.params['client_msg_id']));
  expect(delivered).toHaveLength(3); // …but delivered once per key
  expect(new Set(delivered).size).toBe(3);
  expect((await outboxOf(db, { campaignId: 'late-tpl' })).map((r) => r['state'])).toEqual(['sent', 'sent', 'sent']);
});
