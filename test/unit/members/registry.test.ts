import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBrandConfig } from '../../../core/config/brand';
import { eraseRow, personalValuesOf } from '../../../core/members/erase';
import { foldRow } from '../../../core/members/fold';
import { memberMergePatch } from '../../../core/members/merge-member';
import { MEMBER_DATA, NO_MEMBER_DATA, registryEntry } from '../../../core/members/registry';
import { retentionPlan } from '../../../core/members/retention';
import { collectionNames } from '../../../server/db/schema';
import demoBrand from '../../../config/brand.demo.json';

test('registry: every declared collection is in the member-data registry or declared as holding no member data', () => {
  const registered = MEMBER_DATA.map((e) => e.collection);
  const missing = collectionNames.filter((c) => !registered.includes(c) && !(c in NO_MEMBER_DATA));
  expect(missing).toEqual([]);
  // and nothing is both, or named twice, or unknown to the schema
  expect(registered.filter((c) => c in NO_MEMBER_DATA)).toEqual([]);
  expect(new Set(registered).size).toBe(registered.length);
  const unknown = [...registered, ...Object.keys(NO_MEMBER_DATA)].filter((c) => !collectionNames.includes(c));
  expect(unknown).toEqual([]);
});

test('registry: docs/privacy.md names every collection and every personal field of the registry', () => {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'privacy.md'), 'utf8');
  const fields = MEMBER_DATA.flatMap((e) => e.personal.filter((p) => p.path !== '*').map((p) => p.path));
  const names = [...MEMBER_DATA.map((e) => e.collection), ...fields, ...Object.keys(NO_MEMBER_DATA)];
  expect(names.filter((x) => !doc.includes(`\`${x}\``))).toEqual([]);
});

test('registry: the member record lists every value the product calls personal', () => {
  const paths = registryEntry('members')!.personal.map((p) => p.path);
  const personal = ['name', 'phone', 'birthday', 'openid', 'unionid', 'nickname', 'avatarUrl', 'email', 'address'];
  for (const f of personal) expect(paths).toContain(f);
});

const at = (d: number) => new Date(Date.UTC(2026, 0, d));
const tag = (tagId: string, source: string, day: number) => ({ tagId, source, at: at(day) });
const lifecycle = (key: string, category: string, channel: string, day: number) => ({
  paidOrders: [{ key, paidFen: 100 }],
  categories: [category],
  channels: [channel],
  firstSeenAt: at(day),
});

test('merge of member documents: tags, lifecycle, tier days and attribution are unions; the later consent wins', () => {
  const survivor = {
    _id: 'm_s',
    points: 100,
    tags: [tag('vip', 'manual', 2)],
    language: 'zh',
    attribution: { first: { storeId: 's1', at: at(5) }, last: { storeId: 's1', at: at(5) } },
    consents: { privacyVersion: '2026-01', privacyAcceptedAt: at(5), marketingOptIn: true, marketingChangedAt: at(5) },
    lifecycle: lifecycle('pos:1', 'qipao', 'pos', 5),
    tierDays: [{ day: '2026-01-05', points: 10, spendFen: 100 }],
  };
  const loser = {
    _id: 'm_l',
    points: 40,
    nickname: '小周',
    tags: [tag('silk', 'manual', 3), tag('vip', 'rule', 1)],
    attribution: { first: { storeId: 's2', at: at(1) } },
    consents: { privacyVersion: '2026-02', privacyAcceptedAt: at(7), marketingOptIn: false, marketingChangedAt: at(8) },
    lifecycle: lifecycle('shop:9', 'silk', 'shop', 1),
    tierDays: [
      { day: '2026-01-05', points: 5, spendFen: 50 },
      { day: '2026-01-06', points: 1, spendFen: 1 },
    ],
  };
  const p = memberMergePatch(survivor, loser);
  expect(p['points']).toBe(140);
  expect(p['nickname']).toBe('小周');
  expect(p['language']).toBeUndefined();
  const tags = (p['tags'] as { tagId: string; source: string }[]).map((t) => `${t.tagId}:${t.source}`);
  expect(tags).toEqual(['vip:manual', 'silk:manual']);
  expect(p['attribution']).toEqual({ first: loser.attribution.first, last: survivor.attribution.last });
  expect(p['consents']).toMatchObject({ privacyVersion: '2026-02', marketingOptIn: false, marketingChangedAt: at(8) });
  expect(p['lifecycle']).toMatchObject({
    paidOrders: [{ key: 'pos:1' }, { key: 'shop:9' }],
    categories: ['qipao', 'silk'],
    channels: ['pos', 'shop'],
    firstSeenAt: at(1),
  });
  expect(p['tierDays']).toEqual([
    { day: '2026-01-05', points: 15, spendFen: 150 },
    { day: '2026-01-06', points: 1, spendFen: 1 },
  ]);
});

test('fold of rows keyed by member: consents add up unless refused later, counters add up, opt-outs stand', () => {
  const consent = (remaining: number, day: number, blocked: string | null = null) => ({
    remaining,
    longTerm: false,
    blocked,
    updatedAt: at(day),
  });
  const ours = { templates: { a: consent(1, 1), b: consent(2, 1) }, updatedAt: at(1) };
  const templates = { a: consent(2, 2), b: consent(0, 3, 'reject'), c: consent(1, 1) };
  const theirs = { _id: 'm_l', templates, updatedAt: at(3) };
  expect(foldRow('consents', ours, theirs, 'm_s')['templates']).toMatchObject({
    a: { remaining: 3, blocked: null },
    b: { remaining: 0, blocked: 'reject' },
    c: { remaining: 1 },
  });
  const counter = { _id: 't:m_l', templateId: 't', memberId: 'm_l', count: 2 };
  expect(foldRow('claimCounter', { templateId: 't', memberId: 'm_s', count: 1 }, counter, 'm_s')).toEqual({
    templateId: 't',
    memberId: 'm_s',
    count: 3,
  });
  expect(foldRow('claimCounter', null, counter, 'm_s')).toEqual({ templateId: 't', memberId: 'm_s', count: 2 });
  const prefs = { _id: 'm_l', channelOptOut: ['oa_custom'], marketingOptOut: true };
  expect(foldRow('messagePrefs', { channelOptOut: ['email'], marketingOptOut: false }, prefs, 'm_s')).toMatchObject({
    channelOptOut: ['email', 'oa_custom'],
    marketingOptOut: true,
  });
});

test('erasure: an order loses its customer refs, its identity ids become pseudonyms, its text is pseudonymised', () => {
  const phone = '13600000001';
  const member = { _id: 'm1', phone, name: '周女士', openid: 'o_kate' };
  const values = personalValuesOf([member], [{ _id: `phone:${phone}`, value: phone }]);
  const customer = [{ type: 'phone', value: phone }];
  const refIds = [`phone:${phone}`];
  const order = { _id: 'pos:1', memberId: 'm1', customer, refIds, note: `周女士 ${phone}`, totalFen: 1 };
  const r = eraseRow(registryEntry('orders')!, order, values, (v) => `x${v.length}`);
  const erased = { _id: 'pos:1', memberId: 'm1', refIds: ['x17'], note: 'x3 x11', totalFen: 1 };
  expect(r).toEqual({ drop: false, changed: true, row: erased });
  const erase = (collection: string, row: { _id: string; memberId: string }) =>
    eraseRow(registryEntry(collection)!, row, values, String);
  expect(erase('identities', { _id: `phone:${phone}`, memberId: 'm1' })).toEqual({ drop: true });
  expect(erase('coupon_grants', { _id: `t:once:id:phone:${phone}`, memberId: 'm1' })).toEqual({ drop: true });
  expect(erase('coupon_grants', { _id: 't:once:m:m1', memberId: 'm1' })).toMatchObject({ drop: false, changed: false });
});

test('retention: the brand’s periods decide the cut-off of each collection; changing one moves only its own', () => {
  const now = new Date('2026-06-01T00:00:00Z');
  const base = parseBrandConfig(demoBrand);
  const plan = (privacy: typeof base.privacy) =>
    Object.fromEntries(retentionPlan(privacy, now).map((s) => [s.collection, s.before.toISOString()]));
  expect(plan(base.privacy)).toEqual({
    events: '2024-06-01T00:00:00.000Z',
    outbox: '2025-12-03T00:00:00.000Z',
    audit_log: '2023-06-02T00:00:00.000Z',
    behaviour: '2025-12-03T00:00:00.000Z',
  });
  const shorter = parseBrandConfig({ ...demoBrand, privacy: { retentionDays: { events: 90 } } });
  expect(plan(shorter.privacy)).toEqual({ ...plan(base.privacy), events: '2026-03-03T00:00:00.000Z' });
  const tooShort = () => parseBrandConfig({ ...demoBrand, privacy: { retentionDays: { events: 3 } } });
  expect(tooShort).toThrow(/privacy.retentionDays.events/);
});
