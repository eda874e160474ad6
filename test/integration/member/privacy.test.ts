import type { Emulator } from '../../../emulator/emulator';
import { parseBrandConfig } from '../../../core/config/brand';
import { applyRetention } from '../../../server/members/retention';
import { collectionNames } from '../../../server/db/schema';
import type { Database } from '../../../server/runtime/cloud';
import demoBrand from '../../../config/brand.demo.json';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { order, syncOrders } from '../orders/support';
import { emulatorNow, oaEventXml, oaQuery, seedDemo, setClock } from './helpers';

/**
 * Export, deletion, retention and consent withdrawal walk the member-data registry. Fixture: the
 * demo brand (stores, staff, coupon templates); everything about members is written by the product.
 */
let emu: Emulator;
let db: ReturnType<typeof connectSdk>['db'];

// 23:00 in Shanghai: inside the brand's quiet hours (22:00–08:00), so marketing decided now waits until 08:00
const START = new Date('2026-05-04T15:00:00Z');

beforeAll(async () => {
  emu = await testEmulator({ startAt: START });
  seedDemo(emu);
  ({ db } = connectSdk(emu));
});
afterAll(() => emu.close());

const admin = () => as(emu, 'o_demo_admin');
const oaFollow = (oaOpenid: string, unionid: string) =>
  fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: oaEventXml({ from: oaOpenid, event: 'subscribe', unionid }) });

/** A person who follows the Official Account, scans a store code, claims the card, binds a phone, shops and is tagged by staff. */
async function person(tag: string, phone: string, marketingOptIn = true) {
  const p = { openid: `o_pv_${tag}`, unionid: `u_pv_${tag}`, oaOpenid: `oa_pv_${tag}`, phone, name: `测试${tag}`, nickname: `昵称${tag}`, avatarUrl: `https://thirdwx.qlogo.cn/${tag}.png`, birthday: `19${80 + Number(phone.slice(-1))}-03-14` };
  expect((await oaFollow(p.oaOpenid, p.unionid)).status).toBe(200);
  const me = as(emu, p.openid, { unionid: p.unionid });
  const v = await me.ok('member', 'login', { query: { store: 'store_sh_xintiandi', advisor: 'staff_advisor_sh' } });
  await me.ok('member', 'claimCard', { name: p.name, birthday: p.birthday, gender: 'female', language: 'zh', consents: { privacyVersion: '2026-01', marketingOptIn } });
  await me.ok('member', 'updateProfile', { nickname: p.nickname, avatarUrl: p.avatarUrl });
  await me.ok('member', 'bindPhone', { code: `phone:${phone}` });
  await me.ok('messaging', 'recordConsent', { results: { tpl_thanks: 'accept' } });
  await me.ok('messaging', 'updatePrefs', { channelOptOut: ['email'] });
  await admin().ok('admin', 'members.tag', { memberId: v.memberId, add: [`pv_${tag}`], reason: `${p.name} asked in store` });
  const at = await emulatorNow(emu);
  const synced = await syncOrders(emu, 'pos', [order({ orderNo: `PV-${tag}`, customer: [{ type: 'phone', value: phone }, { type: 'openid', value: p.openid }], totalFen: 58_000, createdAt: at, paidAt: at })]);
  expect(synced.status).toBe(200);
  const card = await me.ok('member', 'getProfile', {});
  return { ...p, memberId: v.memberId as string, cardNo: card.cardNo as string };
}

async function everyRow(collection: string): Promise<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = (await db.collection(collection).skip(skip).limit(1000).get()).data as Record<string, unknown>[];
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

test('data rights: export holds every registry collection, subscription consents and message choices included', async () => {
  const p = await person('exp', '13500000101');
  const out = await as(emu, p.openid).ok('member', 'exportData', {});
  const data = out.data as Record<string, Record<string, unknown>[]>;
  expect(data['consents']).toEqual([expect.objectContaining({ _id: p.memberId, templates: { tpl_thanks: expect.objectContaining({ remaining: 1 }) } })]);
  expect(data['message_prefs']).toEqual([expect.objectContaining({ _id: p.memberId, channelOptOut: ['email'] })]);
  expect(data['orders']).toEqual([expect.objectContaining({ _id: 'pos:PV-exp', memberId: p.memberId })]);
  expect(data['audit_log']).toEqual(expect.arrayContaining([expect.objectContaining({ action: 'members.tag', target: p.memberId })]));
  expect((data['identities'] ?? []).map((i) => i['type']).sort()).toEqual(['card', 'mp_openid', 'oa_openid', 'phone', 'unionid']);
});

test('data rights: after deletion no collection holds any of the member’s former personal values; totals stay; the same OpenID is a new visitor', async () => {
  const p = await person('del', '13500000202');
  await as(emu, p.openid).ok('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'pv-del-claim' });
  const ledgerSum = async () => ((await db.collection('points_ledger').where({ memberId: p.memberId }).limit(1000).get()).data as { amount: number }[]).reduce((t, r) => t + r.amount, 0);
  const orderTotals = async () => ((await db.collection('orders').where({ memberId: p.memberId }).limit(1000).get()).data as { totalFen: number }[]).map((o) => o.totalFen);
  const [points, orders] = [await ledgerSum(), await orderTotals()];
  expect(points).toBeGreaterThan(0);
  const values = [p.openid, p.unionid, p.oaOpenid, p.phone, p.name, p.nickname, p.avatarUrl, p.birthday, p.cardNo];
  const found = async () => {
    const hits: string[] = [];
    for (const c of collectionNames) for (const row of await everyRow(c)) for (const v of values) if (JSON.stringify(row).includes(v)) hits.push(`${c}/${String(row['_id'])}: ${v}`);
    return hits;
  };
  expect((await found()).length).toBeGreaterThan(0); // the scan sees them before

  await as(emu, p.openid).ok('member', 'deleteAccount', { confirm: true });
  expect(await found()).toEqual([]);
  expect(await ledgerSum()).toBe(points);
  expect(await orderTotals()).toEqual(orders);
  expect((await db.collection('members').doc(p.memberId).get()).data).toMatchObject({ state: 'deleted', points });

  const again = await as(emu, p.openid).ok('member', 'login', {});
  expect(again).toMatchObject({ isNew: true, state: 'visitor', card: null });
  expect(again.memberId).not.toBe(p.memberId);
});

test('consent: withdrawing marketing consent records version and time, and stops marketing already queued for the member', async () => {
  const quits = await person('quit', '13500000303');
  const stays = await person('stay', '13500000404');
  await admin().ok('messaging', 'segments.save', { id: 'pv-campaign', name: 'privacy', rule: { field: 'tags', op: 'hasAny', values: ['pv_quit', 'pv_stay'] } });
  const offer = { channel: 'oa_template' as const, template: 'spring_offer', purpose: 'marketing' as const, data: { title: '春季上新', body: '会员专享' } };
  const c = await admin().ok('messaging', 'campaigns.send', { id: 'pv-offer', name: 'offer', segmentId: 'pv-campaign', message: offer });
  expect(c).toMatchObject({ state: 'enqueued', enqueued: 2 });
  const queued = (await db.collection('outbox').where({ campaignId: 'pv-offer' }).get()).data as { memberId: string; state: string }[];
  expect(queued.map((r) => r.state)).toEqual(['deferred', 'deferred']);

  const w = await as(emu, quits.openid).ok('member', 'withdrawMarketing', {});
  const profile = await as(emu, quits.openid).ok('member', 'getProfile', {});
  expect(profile.consents).toEqual({ privacyVersion: '2026-01', privacyAcceptedAt: expect.any(String), marketingOptIn: false, marketingChangedAt: w.changedAt, marketingVersion: '2026-01' });
  const row = (id: string) => db.collection('outbox').doc(`campaign:pv-offer:${id}`).get().then((r: { data: unknown }) => r.data);
  expect(await row(quits.memberId)).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });

  // 08:01: the quiet hours are over and the dispatcher sends what waited
  await setClock(emu, { set: '2026-05-05T00:01:00Z' });
  const calls = ((await (await fetch(`${emu.url}/openapi/calls?apiName=cgi-bin/message/template/send`)).json()) as { calls: { params: Record<string, unknown> }[] }).calls;
  const sentTo = calls.map((x) => String(x.params['touser']));
  expect(sentTo).toContain(stays.oaOpenid);
  expect(sentTo).not.toContain(quits.oaOpenid);
  expect(await row(quits.memberId)).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });
  expect(await row(stays.memberId)).toMatchObject({ state: 'sent' });
});

test('consent: a marketing message waiting to be retried is not sent once the member has opted out of marketing', async () => {
  await setClock(emu, { set: '2026-05-05T01:00:00Z' }); // 09:00 in Shanghai: marketing is decided 'send'
  const p = await person('pref', '13500000606');
  await admin().ok('messaging', 'segments.save', { id: 'pv-pref', name: 'privacy', rule: { field: 'tags', op: 'hasAny', values: ['pv_pref'] } });
  // WeChat is busy for the first try: the row waits for its retry
  await fetch(`${emu.url}/openapi/faults`, { method: 'POST', body: JSON.stringify({ apiName: 'cgi-bin/message/template/send', errcode: -1, times: 1 }) });
  const offer = { channel: 'oa_template' as const, template: 'spring_offer', purpose: 'marketing' as const, data: { title: '春季上新', body: '会员专享' } };
  await admin().ok('messaging', 'campaigns.send', { id: 'pv-pref-offer', name: 'offer', segmentId: 'pv-pref', message: offer });
  const key = `campaign:pv-pref-offer:${p.memberId}`;
  expect((await db.collection('outbox').doc(key).get()).data).toMatchObject({ state: 'pending', attempts: 1 });

  await as(emu, p.openid).ok('messaging', 'updatePrefs', { marketingOptOut: true });
  await setClock(emu, { advance: '10m' });
  const q = new URLSearchParams({ apiName: 'cgi-bin/message/template/send', touser: p.oaOpenid });
  const tries = ((await (await fetch(`${emu.url}/openapi/calls?${q}`)).json()) as { calls: { outcome: { errcode?: number } }[] }).calls;
  expect(tries.map((c) => c.outcome.errcode)).toEqual([-1]);
  expect((await db.collection('outbox').doc(key).get()).data).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });
});

test('retention: rows older than the brand’s period are purged or pseudonymised by the timer; changing the period changes what goes', async () => {
  const p = await person('old', '13500000505');
  const now = await emulatorNow(emu);
  const eventsOf = async () => (await db.collection('events').where({ memberId: p.memberId }).count()).total as number;
  const auditOf = async () => (await db.collection('audit_log').where({ target: p.memberId }).count()).total as number;
  expect(await eventsOf()).toBeGreaterThan(0);
  const later = new Date(now.getTime() + 100 * 86_400_000);
  const withDays = (retentionDays: Record<string, number>) => parseBrandConfig({ ...demoBrand, privacy: { retentionDays } }).privacy;

  // the default periods (two years of events, three of audit) keep rows 100 days old
  expect(await applyRetention(db as Database, later, parseBrandConfig(demoBrand).privacy)).toMatchObject({ events: 0, audit_log: 0 });
  expect(await eventsOf()).toBeGreaterThan(0);
  // a brand that keeps events 90 days loses them, and nothing else
  const purged = await applyRetention(db as Database, later, withDays({ events: 90 }));
  expect(purged['events']).toBeGreaterThan(0);
  expect(await eventsOf()).toBe(0);
  expect(await auditOf()).toBeGreaterThan(0);
  // audit rows past their period keep what was done and when, not who or to whom
  await applyRetention(db as Database, later, withDays({ audit: 90 }));
  expect(await auditOf()).toBe(0);
  const trail = (await db.collection('audit_log').where({ action: 'members.tag', pseudonymisedAt: db.command.exists(true) }).limit(1000).get()).data as Record<string, unknown>[];
  expect(trail.length).toBeGreaterThan(0);
  for (const r of trail) expect(Object.keys(r).filter((k) => ['who', 'target', 'before', 'after', 'reason'].includes(k))).toEqual([]);

  // the policy the Mini Program shows states the brand's periods
  expect(await as(emu, p.openid).ok('member', 'privacyPolicy', {})).toEqual({ retentionDays: { events: 730, outbox: 180, audit: 1095 } });
  // the member function's daily timer runs the same with the brand's configuration
  const inv = await emu.runtime.invoke('member', { Type: 'Timer', TriggerName: 'retention', Time: now.toISOString() }, { source: 'timer', trigger: 'timer' });
  expect(inv.ok).toBe(true);
  expect(inv.result).toEqual({ events: 0, outbox: 0, audit_log: 0 });
});
