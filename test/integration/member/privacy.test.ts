import type { Emulator } from '../../../emulator/emulator';
import { parseBrandConfig } from '../../../core/config/brand';
import { applyRetention } from '../../../server/members/retention';
import { collectionNames } from '../../../server/db/schema';
import type { Database } from '../../../server/runtime/cloud';
import demoBrand from '../../../config/brand.demo.json';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { order, syncOrders } from '../orders/support';
import { emulatorNow, oaEventXml, oaQuery, demoEmulator, setClock } from './helpers';

/**
 * Export, deletion, retention and consent withdrawal walk the member-data registry. Fixture: the
 * demo brand (stores, staff, coupon templates); everything about members is written by the product.
 */
let emu: Emulator;
let db: Sdk['db'];

// 23:00 in Shanghai: inside the brand's quiet hours (22:00–08:00), so marketing decided now waits until 08:00
const START = new Date('2026-05-04T15:00:00Z');

beforeAll(async () => {
  ({ emu, db } = await demoEmulator({ startAt: START }));
});
afterAll(() => emu.close());

type Row = Record<string, unknown>;
const admin = () => as(emu, 'o_demo_admin');
const offer = { channel: 'oa_template', template: 'spring_offer', purpose: 'marketing', data: { t: '上新' } } as const;
const TEMPLATE_SEND = 'cgi-bin/message/template/send';

const oaFollow = (from: string, unionid: string) =>
  fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from, event: 'subscribe', unionid }),
  });

async function templateSends(touser?: string): Promise<{ params: Row; outcome: { errcode?: number } }[]> {
  const q = new URLSearchParams({ apiName: TEMPLATE_SEND, ...(touser ? { touser } : {}) });
  return ((await (await fetch(`${emu.url}/openapi/calls?${q}`)).json()) as { calls: [] }).calls;
}

/** A person who follows the Official Account, scans a store code, claims the card, binds a phone, shops, is tagged. */
async function person(tag: string, phone: string) {
  const p = {
    openid: `o_pv_${tag}`,
    unionid: `u_pv_${tag}`,
    oaOpenid: `oa_pv_${tag}`,
    phone,
    name: `测试${tag}`,
    nickname: `昵称${tag}`,
    avatarUrl: `https://thirdwx.qlogo.cn/${tag}.png`,
    birthday: `19${80 + Number(phone.slice(-1))}-03-14`,
  };
  expect((await oaFollow(p.oaOpenid, p.unionid)).status).toBe(200);
  const me = as(emu, p.openid, { unionid: p.unionid });
  const v = await me.ok('member', 'login', { query: { store: 'store_sh_xintiandi', advisor: 'staff_advisor_sh' } });
  const consents = { privacyVersion: '2026-01', marketingOptIn: true };
  const card = { name: p.name, birthday: p.birthday, gender: 'female', language: 'zh', consents } as const;
  await me.ok('member', 'claimCard', card);
  await me.ok('member', 'updateProfile', { nickname: p.nickname, avatarUrl: p.avatarUrl });
  await me.ok('member', 'bindPhone', { code: `phone:${phone}` });
  await me.ok('messaging', 'recordConsent', { results: { tpl_thanks: 'accept' } });
  await me.ok('messaging', 'updatePrefs', { channelOptOut: ['email'] });
  const reason = `${p.name} asked in store`;
  await admin().ok('admin', 'members.tag', { memberId: v.memberId, add: [`pv_${tag}`], reason });
  const at = await emulatorNow(emu);
  const customer = [
    { type: 'phone', value: phone },
    { type: 'openid', value: p.openid },
  ];
  const paid = order({ orderNo: `PV-${tag}`, customer, totalFen: 58_000, createdAt: at, paidAt: at });
  expect((await syncOrders(emu, 'pos', [paid])).status).toBe(200);
  const profile = await me.ok('member', 'getProfile', {});
  return { ...p, memberId: v.memberId as string, cardNo: profile.cardNo as string };
}

async function everyRow(collection: string): Promise<Row[]> {
  const rows: Row[] = [];
  for (let skip = 0; ; skip += 1000) {
    const page = (await db.collection(collection).skip(skip).limit(1000).get()).data as Row[];
    rows.push(...page);
    if (page.length < 1000) return rows;
  }
}

const rowsWhere = async (collection: string, where: Row): Promise<Row[]> =>
  (await db.collection(collection).where(where).limit(1000).get()).data;

test('data rights: export holds every registry collection, subscription consents and message choices too', async () => {
  const p = await person('exp', '13500000101');
  const out = await as(emu, p.openid).ok('member', 'exportData', {});
  const data = out.data as Record<string, Row[]>;
  const thanks = { tpl_thanks: expect.objectContaining({ remaining: 1 }) };
  expect(data['consents']).toEqual([expect.objectContaining({ _id: p.memberId, templates: thanks })]);
  expect(data['message_prefs']).toEqual([expect.objectContaining({ _id: p.memberId, channelOptOut: ['email'] })]);
  expect(data['orders']).toEqual([expect.objectContaining({ _id: 'pos:PV-exp', memberId: p.memberId })]);
  const tagged = expect.objectContaining({ action: 'members.tag', target: p.memberId });
  expect(data['audit_log']).toEqual(expect.arrayContaining([tagged]));
  const types = (data['identities'] ?? []).map((i) => i['type']).sort();
  expect(types).toEqual(['card', 'mp_openid', 'oa_openid', 'phone', 'unionid']);
});

test(
  'data rights: after deletion no collection holds any of the member’s former personal values; totals stay; ' +
    'the same OpenID is a new visitor',
  async () => {
    const p = await person('del', '13500000202');
    await as(emu, p.openid).ok('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'pv-del-claim' });
    const ledgerSum = async () =>
      (await rowsWhere('points_ledger', { memberId: p.memberId })).reduce((t, r) => t + Number(r['amount']), 0);
    const orderTotals = async () => (await rowsWhere('orders', { memberId: p.memberId })).map((o) => o['totalFen']);
    const [points, orders] = [await ledgerSum(), await orderTotals()];
    expect(points).toBeGreaterThan(0);
    const values = [p.openid, p.unionid, p.oaOpenid, p.phone, p.name, p.nickname, p.avatarUrl, p.birthday, p.cardNo];
    const found = async () => {
      const hits: string[] = [];
      for (const c of collectionNames) {
        for (const row of await everyRow(c)) {
          const text = JSON.stringify(row);
          for (const v of values) if (text.includes(v)) hits.push(`${c}/${String(row['_id'])}: ${v}`);
        }
      }
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
  },
);

test(
  'consent: withdrawing marketing consent records version and time, and stops marketing already queued ' +
    'for the member',
  async () => {
    const quits = await person('quit', '13500000303');
    const stays = await person('stay', '13500000404');
    const rule = { field: 'tags', op: 'hasAny', values: ['pv_quit', 'pv_stay'] } as const;
    await admin().ok('messaging', 'segments.save', { id: 'pv-campaign', name: 'privacy', rule });
    const campaign = { id: 'pv-offer', name: 'offer', segmentId: 'pv-campaign', message: offer };
    const c = await admin().ok('messaging', 'campaigns.send', campaign);
    expect(c).toMatchObject({ state: 'enqueued', enqueued: 2 });
    const queued = await rowsWhere('outbox', { campaignId: 'pv-offer' });
    expect(queued.map((r) => r['state'])).toEqual(['deferred', 'deferred']);

    const w = await as(emu, quits.openid).ok('member', 'withdrawMarketing', {});
    const profile = await as(emu, quits.openid).ok('member', 'getProfile', {});
    expect(profile.consents).toEqual({
      privacyVersion: '2026-01',
      privacyAcceptedAt: expect.any(String),
      marketingOptIn: false,
      marketingChangedAt: w.changedAt,
      marketingVersion: '2026-01',
      trackingOptIn: false,
    });
    const row = async (id: string) => (await db.collection('outbox').doc(`campaign:pv-offer:${id}`).get()).data;
    expect(await row(quits.memberId)).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });

    // 08:01: the quiet hours are over and the dispatcher sends what waited
    await setClock(emu, { set: '2026-05-05T00:01:00Z' });
    const sentTo = (await templateSends()).map((x) => String(x.params['touser']));
    expect(sentTo).toContain(stays.oaOpenid);
    expect(sentTo).not.toContain(quits.oaOpenid);
    expect(await row(quits.memberId)).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });
    expect(await row(stays.memberId)).toMatchObject({ state: 'sent' });
  },
);

test('consent: a marketing message waiting for its retry is not sent once the member opts out of it', async () => {
  await setClock(emu, { set: '2026-05-05T01:00:00Z' }); // 09:00 in Shanghai: marketing is decided 'send'
  const p = await person('pref', '13500000606');
  const rule = { field: 'tags', op: 'hasAny', values: ['pv_pref'] } as const;
  await admin().ok('messaging', 'segments.save', { id: 'pv-pref', name: 'privacy', rule });
  // WeChat is busy for the first try: the row waits for its retry
  const busy = { apiName: TEMPLATE_SEND, errcode: -1, times: 1 };
  await fetch(`${emu.url}/openapi/faults`, { method: 'POST', body: JSON.stringify(busy) });
  const campaign = { id: 'pv-pref-offer', name: 'offer', segmentId: 'pv-pref', message: offer };
  await admin().ok('messaging', 'campaigns.send', campaign);
  const key = `campaign:pv-pref-offer:${p.memberId}`;
  expect((await db.collection('outbox').doc(key).get()).data).toMatchObject({ state: 'pending', attempts: 1 });

  await as(emu, p.openid).ok('messaging', 'updatePrefs', { marketingOptOut: true });
  await setClock(emu, { advance: '10m' });
  expect((await templateSends(p.oaOpenid)).map((c) => c.outcome.errcode)).toEqual([-1]);
  const after = (await db.collection('outbox').doc(key).get()).data;
  expect(after).toMatchObject({ state: 'skipped', reason: 'marketing_withdrawn' });
});

test(
  'retention: rows older than the brand’s period are purged or pseudonymised by the timer; changing the ' +
    'period changes what goes',
  async () => {
    const p = await person('old', '13500000505');
    // a marketing message the member then declines: a finished outbox row
    const rule = { field: 'tags', op: 'hasAny', values: ['pv_old'] } as const;
    await admin().ok('messaging', 'segments.save', { id: 'pv-old', name: 'old', rule });
    const campaign = { id: 'pv-old-offer', name: 'offer', segmentId: 'pv-old', message: offer };
    await admin().ok('messaging', 'campaigns.send', campaign);
    await as(emu, p.openid).ok('member', 'withdrawMarketing', {});
    const now = await emulatorNow(emu);
    const eventsOf = async () =>
      (await db.collection('events').where({ memberId: p.memberId }).count()).total as number;
    const auditOf = async () =>
      (await db.collection('audit_log').where({ target: p.memberId }).count()).total as number;
    expect(await eventsOf()).toBeGreaterThan(0);
    const later = new Date(now.getTime() + 100 * 86_400_000);
    const configured = (retentionDays: Record<string, number> = {}) =>
      parseBrandConfig({ ...demoBrand, privacy: { retentionDays } }).privacy;
    const retain = (retentionDays?: Record<string, number>) =>
      applyRetention(db as Database, later, configured(retentionDays));

    // the default periods (two years of events, half a year of messages, three years of audit) keep rows 100 days old
    expect(await retain()).toEqual({ events: 0, outbox: 0, audit_log: 0, behaviour: 0 });
    expect(await eventsOf()).toBeGreaterThan(0);
    // a brand that keeps events 90 days loses them, and nothing else
    const purged = await retain({ events: 90 });
    expect(purged).toMatchObject({ outbox: 0, audit_log: 0 });
    expect(purged['events']).toBeGreaterThan(0);
    expect(await eventsOf()).toBe(0);
    expect(await auditOf()).toBeGreaterThan(0);
    // finished messages past their period go; audit rows keep what was done and when, not who or to whom
    const second = await retain({ outbox: 30, audit: 90 });
    expect(second['outbox']).toBeGreaterThan(0);
    const finished = (await everyRow('outbox')).filter((r) =>
      ['sent', 'skipped', 'failed'].includes(String(r['state'])),
    );
    expect(finished).toEqual([]);
    expect(await auditOf()).toBe(0);
    const trail = await rowsWhere('audit_log', { action: 'members.tag', pseudonymisedAt: db.command.exists(true) });
    expect(trail.length).toBeGreaterThan(0);
    const erased = { who: 'erased', target: 'erased', before: null, after: null, reason: null };
    for (const r of trail) expect(r).toMatchObject(erased);
    const page = await admin().ok('admin', 'audit.list', { memberId: 'erased' });
    expect(page.items.length).toBeGreaterThan(0); // the admin trail still reads them

    // the policy the Mini Program shows states the brand's periods
    const policy = await as(emu, p.openid).ok('member', 'privacyPolicy', {});
    expect(policy).toEqual({ retentionDays: { events: 730, outbox: 180, audit: 1095, behaviour: 180 } });
    // the member function's daily timer runs the same with the brand's configuration
    const timer = { Type: 'Timer', TriggerName: 'retention', Time: now.toISOString() };
    const inv = await emu.runtime.invoke('member', timer, { source: 'timer', trigger: 'timer' });
    expect(inv.ok).toBe(true);
    expect(inv.result).toEqual({ events: 0, outbox: 0, audit_log: 0, behaviour: 0 });
  },
);
