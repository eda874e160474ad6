import type { Emulator } from '../../../emulator/emulator';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';
import { addMember, advance, messagingEmulator, now } from './support';
import type { Sdk } from '../../support/sdk';

/** S20 / S21: staff pick saved segments and read sent campaigns with their figures, from the server. */
let emu: Emulator;
let db: Sdk['db'];
const ADMIN = 'o_demo_admin';
const offer = {
  channel: 'oa_template' as const,
  template: 'spring_offer',
  purpose: 'marketing' as const,
  data: { title: '春季上新' },
};
const follower = (tags: string[]) => ({
  oaOpenid: `oa_${Math.random().toString(36).slice(2)}`,
  oaFollowing: true,
  tags,
});
const tagged = (tag: string) => ({ field: 'tags', op: 'hasAny', values: [tag] }) as const;

beforeAll(async () => {
  ({ emu, db } = await messagingEmulator({ config: { triggers: ['dispatch'] } }));
  await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
  await db.collection('segments').add({ data: demoBrand.segments.map((s) => JSON.parse(JSON.stringify(s))) });
});
afterAll(() => emu.close());

const auditOf = async (where: Record<string, unknown>) =>
  (await db.collection('audit_log').where(where).limit(100).get()).data as Record<string, unknown>[];

test('S20 segments.list: the seeded segments with their rules; newly saved ones first, 20 a page', async () => {
  const admin = as(emu, ADMIN);
  const first = await admin.ok('messaging', 'segments.list', {});
  expect(first).toMatchObject({ page: 0, pageSize: 20, hasMore: false });
  expect(first.items.map((s) => [s.id, s.name, s.updatedAt])).toEqual([
    ['birthday-club', '生日关怀', '2026-01-01T00:00:00.000Z'],
    ['hi-po', 'Hi-Po 潜力粉丝', '2026-01-01T00:00:00.000Z'],
  ]);
  const seeded = Object.fromEntries(demoBrand.segments.map((s) => [s._id, s.rule]));
  for (const s of first.items) expect(s.rule).toEqual(seeded[s.id]);

  for (let i = 0; i < 20; i++)
    await admin.ok('messaging', 'segments.save', {
      id: `list-${String(i).padStart(2, '0')}`,
      name: `分群 ${i}`,
      rule: tagged(`t${i}`),
    });
  const p0 = await admin.ok('messaging', 'segments.list', {});
  const p1 = await admin.ok('messaging', 'segments.list', { page: 1 });
  expect([p0.items.length, p0.hasMore, p1.items.length, p1.hasMore]).toEqual([20, true, 2, false]);
  // the last saved first; the seeded two, untouched since January, on the second page
  expect(p0.items[0]).toMatchObject({ id: 'list-19', name: '分群 19', rule: tagged('t19') });
  expect(p1.items.map((s) => s.id)).toEqual(['birthday-club', 'hi-po']);
  const all = [...p0.items, ...p1.items];
  expect(new Set(all.map((s) => s.id)).size).toBe(22);
  expect(all.map((s) => s.updatedAt)).toEqual([...all.map((s) => s.updatedAt)].sort().reverse());

  // saving an existing segment again moves it to the front with its new rule
  await admin.ok('messaging', 'segments.save', { id: 'hi-po', name: 'Hi-Po 潜力粉丝', rule: tagged('hi-po') });
  expect((await admin.ok('messaging', 'segments.list', {})).items[0]).toMatchObject({
    id: 'hi-po',
    rule: tagged('hi-po'),
  });
});

test('S20 campaigns.list: a sent campaign shows its segment, template and the same figures as metrics; newest first, paged', async () => {
  const admin = as(emu, ADMIN);
  const [, , optedOut] = await Promise.all([
    addMember(db, follower(['spring'])),
    addMember(db, follower(['spring'])),
    addMember(db, follower(['spring'])),
  ]);
  await as(emu, optedOut!.openid).ok('messaging', 'updatePrefs', { marketingOptOut: true });
  await admin.ok('messaging', 'segments.save', { id: 'spring', name: '春季客群', rule: tagged('spring') });
  await admin.ok('messaging', 'campaigns.send', {
    id: 'spring-now',
    name: '春装上新',
    segmentId: 'spring',
    message: offer,
  });
  await advance(emu, '2m');

  const [latest] = (await admin.ok('messaging', 'campaigns.list', {})).items;
  expect(latest).toMatchObject({
    id: 'spring-now',
    name: '春装上新',
    state: 'enqueued',
    segment: { id: 'spring', name: '春季客群' },
    channel: 'oa_template',
    template: 'spring_offer',
    error: null,
    metrics: { entered: 3, sent: 2, skipped: { opted_out: 1 }, pending: 0, failed: 0 },
  });
  expect(latest!.metrics).toEqual(await admin.ok('messaging', 'metrics', { campaignId: 'spring-now' }));
  // sent now: due when it was created
  expect(latest!.sendAt).toBe(latest!.createdAt);

  // eleven more, scheduled for tomorrow: the newest first, 10 a page
  const tomorrow = new Date(Date.parse(latest!.sendAt) + 86_400_000).toISOString();
  for (let i = 0; i < 11; i++)
    await admin.ok('messaging', 'campaigns.send', {
      id: `later-${String(i).padStart(2, '0')}`,
      name: `预约活动 ${i}`,
      segmentId: 'birthday-club',
      message: offer,
      sendAt: tomorrow,
    });
  const p0 = await admin.ok('messaging', 'campaigns.list', {});
  const p1 = await admin.ok('messaging', 'campaigns.list', { page: 1 });
  expect([p0.pageSize, p0.items.length, p0.hasMore, p1.items.length, p1.hasMore]).toEqual([10, 10, true, 2, false]);
  expect(p0.items[0]).toMatchObject({
    id: 'later-10',
    state: 'scheduled',
    sendAt: tomorrow,
    segment: { id: 'birthday-club', name: '生日关怀' },
    metrics: { entered: 0, sent: 0 },
  });
  expect(p1.items.map((c) => c.id)).toEqual(['later-00', 'spring-now']);
  const all = [...p0.items, ...p1.items];
  expect(all.map((c) => c.createdAt)).toEqual([...all.map((c) => c.createdAt)].sort().reverse());
});

test('S20 a campaign whose segment is gone is listed with no segment name and the reason it stopped', async () => {
  const admin = as(emu, ADMIN);
  await admin.ok('messaging', 'segments.save', { id: 'short-lived', name: '临时', rule: tagged('none') });
  const sendAt = new Date((await now(emu)).getTime() + 90_000).toISOString();
  await admin.ok('messaging', 'campaigns.send', {
    id: 'orphan',
    name: '孤儿活动',
    segmentId: 'short-lived',
    message: offer,
    sendAt,
  });
  await db.collection('segments').doc('short-lived').remove();
  await advance(emu, '3m');
  const [c] = (await admin.ok('messaging', 'campaigns.list', {})).items.filter((x) => x.id === 'orphan');
  expect(c).toMatchObject({
    segment: { id: 'short-lived', name: null },
    state: 'enqueued',
    error: 'segment_missing',
    metrics: { entered: 0 },
  });
});

test('S21 store staff and members are refused both lists, and each refusal is on the audit trail', async () => {
  for (const [openid, code, who, role] of [
    ['o_demo_manager', 'FORBIDDEN', 'staff_manager_sh', 'store_manager'],
    ['o_demo_advisor', 'FORBIDDEN', 'staff_advisor_sh', 'advisor'],
    ['o_shopper', 'NOT_STAFF', 'o_shopper', 'none'],
  ] as const) {
    for (const action of ['segments.list', 'campaigns.list'] as const) {
      expect(await as(emu, openid).call('messaging', action, {})).toMatchObject({ ok: false, error: { code } });
      expect(await auditOf({ who, action: `refused:messaging.${action}` })).toEqual([
        expect.objectContaining({ role, refused: { code } }),
      ]);
    }
  }
  // a forged role is refused as input, audited with the field it named
  expect(
    await as(emu, 'o_demo_advisor').call('messaging', 'segments.list', { role: 'brand_admin' } as never),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(
    await auditOf({
      who: 'staff_advisor_sh',
      action: 'refused:messaging.segments.list',
      'refused.code': 'INVALID_INPUT',
    }),
  ).toEqual([expect.objectContaining({ refused: { code: 'INVALID_INPUT', fields: ['role'] } })]);
  expect(await as(emu, ADMIN).call('messaging', 'campaigns.list', { page: -1 })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  });
});
