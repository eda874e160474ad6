import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { addMember, addStaff, advance, calls, messagingEmulator, now, outboxOf } from './support';
import type { Sdk } from '../../support/sdk';

/** S20 and the marketing rules (quiet hours, opt-outs, caps) through campaigns on the emulator clock. */
let emu: Emulator;
let db: Sdk['db'];
let admin: ReturnType<typeof as>;
const follower = (tags: string[], extra: Record<string, unknown> = {}) => ({
  oaOpenid: `oa_${Math.random().toString(36).slice(2)}`,
  oaFollowing: true,
  tags,
  ...extra,
});
const offer = {
  channel: 'oa_template' as const,
  template: 'spring_offer',
  purpose: 'marketing' as const,
  data: { title: '春季上新', body: '会员专享' },
};

beforeAll(async () => {
  // 21:50 in Shanghai: quiet hours start at 22:00
  ({ emu, db } = await messagingEmulator({ startAt: new Date('2026-05-04T13:50:00Z') }));
  admin = as(emu, await addStaff(db));
});
afterAll(() => emu.close());

test('quiet hours: a marketing campaign due at 22:30 is deferred to 08:00 and sent then', async () => {
  const m = await addMember(db, follower(['night']));
  await admin.ok('messaging', 'segments.save', {
    id: 'night',
    name: '夜间',
    rule: { field: 'tags', op: 'hasAny', values: ['night'] },
  });
  const sendAt = new Date('2026-05-04T14:30:00Z');
  const c = await admin.ok('messaging', 'campaigns.send', {
    id: 'night-offer',
    name: '夜间活动',
    segmentId: 'night',
    message: offer,
    sendAt: sendAt.toISOString(),
  });
  expect(c).toMatchObject({ state: 'scheduled', enqueued: 0 });
  await advance(emu, '45m');
  const [row] = await outboxOf(db, { memberId: m.memberId });
  expect(row).toMatchObject({ state: 'deferred', reason: 'quiet_hours', campaignId: 'night-offer' });
  expect(new Date(row!['dueAt'] as string).toISOString()).toBe('2026-05-05T00:00:00.000Z'); // 08:00 Shanghai
  await advance(emu, '9h');
  expect(await calls(emu, 'cgi-bin/message/template/send')).toHaveLength(0); // 07:xx: still quiet
  await advance(emu, '40m');
  const sent = await calls(emu, 'cgi-bin/message/template/send');
  const mine = sent.filter((x) => x.params['client_msg_id'] === 'campaign:night-offer:' + m.memberId);
  expect(mine).toHaveLength(1);
  expect(Date.parse(mine[0]!.at)).toBeGreaterThanOrEqual(Date.parse('2026-05-05T00:00:00Z'));
  expect(Date.parse(mine[0]!.at)).toBeLessThan(Date.parse('2026-05-05T00:02:00Z'));
});

test('S20 segments: staff preview the size; deleted members and non-matching ones are not counted', async () => {
  await Promise.all([
    addMember(db, follower(['hipo'], { tier: 'gold', spendFen: 500000 })),
    addMember(db, follower(['hipo'], { tier: 'silver', spendFen: 80000 })),
    addMember(db, follower(['hipo'], { tier: 'gold', spendFen: 120000 })),
    addMember(db, follower(['hipo'], { tier: 'gold', spendFen: 900000, deletedAt: new Date() })),
    addMember(db, follower(['other'], { tier: 'gold', spendFen: 900000 })),
  ]);
  const rule = {
    and: [
      { field: 'tags', op: 'hasAny', values: ['hipo'] },
      {
        or: [
          { field: 'tier', op: 'in', values: ['gold'] },
          { field: 'spendFen', op: 'gte', value: 100000 },
        ],
      },
    ],
  } as const;
  expect(await admin.ok('messaging', 'segments.preview', { rule: rule as never })).toMatchObject({ count: 2 });
  expect(
    await admin.ok('messaging', 'segments.preview', {
      rule: { not: { field: 'tags', op: 'hasAny', values: ['hipo'] } },
    }),
  ).toMatchObject({
    count:
      (
        await db
          .collection('members')
          .where({ deletedAt: db.command.exists(false) })
          .count()
      ).total - 3,
  });
  const saved = await admin.ok('messaging', 'segments.save', {
    id: 'hipo-gold',
    name: 'Hi-Po 金卡',
    rule: rule as never,
  });
  expect(saved).toEqual({ id: 'hipo-gold', count: 2 });
  const m = await addMember(db);
  expect(await as(emu, m.openid).call('messaging', 'segments.preview', { rule: rule as never })).toMatchObject({
    ok: false,
    error: { code: 'NOT_STAFF' },
  });
  expect(
    await admin.call('messaging', 'segments.preview', { rule: { field: 'tier', op: 'like', values: [] } } as never),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('S20 campaigns: sent now to a segment; the frequency cap (2 a day) skips the third; opt-outs are honoured', async () => {
  const members = await Promise.all([
    addMember(db, follower(['cap'])),
    addMember(db, follower(['cap'])),
    addMember(db, follower(['cap'])),
  ]);
  const [a, b, optedOut] = members as [
    Awaited<ReturnType<typeof addMember>>,
    Awaited<ReturnType<typeof addMember>>,
    Awaited<ReturnType<typeof addMember>>,
  ];
  await as(emu, optedOut.openid).ok('messaging', 'updatePrefs', { marketingOptOut: true });
  await admin.ok('messaging', 'segments.save', {
    id: 'cap',
    name: 'cap',
    rule: { field: 'tags', op: 'hasAll', values: ['cap'] },
  });
  for (const id of ['cap-1', 'cap-2', 'cap-3']) {
    const r = await admin.ok('messaging', 'campaigns.send', { id, name: id, segmentId: 'cap', message: offer });
    expect(r).toMatchObject({ state: 'enqueued', enqueued: 3 });
  }
  // sending a campaign again with its id changes nothing
  expect(
    await admin.ok('messaging', 'campaigns.send', { id: 'cap-1', name: 'cap-1', segmentId: 'cap', message: offer }),
  ).toMatchObject({ enqueued: 3 });
  await advance(emu, '2m');
  const byKey = (await calls(emu, 'cgi-bin/message/template/send')).map((c) => String(c.params['client_msg_id']));
  for (const m of [a, b]) {
    expect(byKey.filter((k) => k.endsWith(m.memberId)).sort()).toEqual([
      `campaign:cap-1:${m.memberId}`,
      `campaign:cap-2:${m.memberId}`,
    ]);
  }
  expect(byKey.filter((k) => k.endsWith(optedOut.memberId))).toEqual([]);
  const m3 = await admin.ok('messaging', 'metrics', { campaignId: 'cap-3' });
  expect(m3).toMatchObject({ entered: 3, sent: 0, skipped: { capped_day: 2, opted_out: 1 } });
  const m1 = await admin.ok('messaging', 'metrics', { campaignId: 'cap-1' });
  expect(m1).toMatchObject({ entered: 3, sent: 2, skipped: { opted_out: 1 }, failed: 0, unknown: 0 });
});

test('S20 campaigns: a converted member is counted when an order is paid after the message', async () => {
  const m = await addMember(db, follower(['conv']));
  await admin.ok('messaging', 'segments.save', {
    id: 'conv',
    name: 'conv',
    rule: { field: 'tags', op: 'hasAll', values: ['conv'] },
  });
  await admin.ok('messaging', 'campaigns.send', { id: 'conv-1', name: 'conv', segmentId: 'conv', message: offer });
  await advance(emu, '2m');
  await db.collection('events').add({
    data: {
      _id: 'ev_conv_paid',
      type: 'order.paid',
      memberId: m.memberId,
      at: await now(emu),
      data: { orderId: 'o-conv', amountFen: 1000 },
    },
  });
  await advance(emu, '6m');
  expect(await admin.ok('messaging', 'metrics', { campaignId: 'conv-1' })).toMatchObject({ sent: 1, converted: 1 });
});
