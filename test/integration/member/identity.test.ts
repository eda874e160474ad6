import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { counts, demoEmulator, setClock } from './helpers';

/** Store codes, attribution on login, the e-member card, profile, phone and the dynamic code, through the emulator. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await demoEmulator());
  await setClock(emu, { set: '2026-05-01T02:00:00Z' });
});
afterAll(() => emu.close());

const claim = {
  name: '林小姐',
  birthday: '1990-03-08',
  language: 'zh' as const,
  consents: { privacyVersion: '2026-01', marketingOptIn: true },
};

test('S1 store code: an advisor makes a scannable code whose scene names store and advisor', async () => {
  const code = await as(emu, 'o_demo_advisor').ok('member', 'createStoreCode', {
    storeId: 'store_sh_xintiandi',
    campaign: 'spring',
  });
  expect(code.scene.length).toBeLessThanOrEqual(32);
  expect(code.contentType).toMatch(/^image\//);
  expect(Buffer.from(code.imageBase64, 'base64').subarray(1, 4).toString()).toBe('PNG');
  const stored = (await db.collection('qrcodes').doc(code.qrcodeId).get()).data;
  expect(stored).toMatchObject({
    storeId: 'store_sh_xintiandi',
    advisorId: 'staff_advisor_sh',
    campaign: 'spring',
    scene: code.scene,
  });
  const calls = (await (await fetch(`${emu.url}/openapi/calls?apiName=wxacode.getUnlimited`)).json()) as {
    calls: { params?: Record<string, unknown> }[];
  };
  expect(calls.calls.length).toBeGreaterThan(0);
});

test('S1 store code: a consumer, or an advisor of another store, is refused and nothing is written', async () => {
  const before = await counts(db);
  const r = await as(emu, 'o_consumer_x').call('member', 'createStoreCode', { storeId: 'store_sh_xintiandi' });
  expect(r).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
  const other = await as(emu, 'o_demo_advisor').call('member', 'createStoreCode', { storeId: 'store_sz_wanxiang' });
  expect(other).toMatchObject({ ok: false, error: { code: 'NOT_STAFF' } });
  const unknown = await as(emu, 'o_demo_admin').call('member', 'createStoreCode', { storeId: 'store_nowhere' });
  expect(unknown).toMatchObject({ ok: false, error: { code: 'STORE_NOT_FOUND' } });
  expect(await counts(db)).toEqual(before);
});

test('S1 attribution: first touch kept forever, last touch updated, each visit an event', async () => {
  const code = await as(emu, 'o_demo_manager').ok('member', 'createStoreCode', {
    storeId: 'store_sh_xintiandi',
    advisorId: 'staff_advisor_sh',
  });
  const first = await as(emu, 'o_amy').ok('member', 'login', { scene: code.scene, entryScene: 1047 });
  expect(first.attribution.first).toMatchObject({
    storeId: 'store_sh_xintiandi',
    advisorId: 'staff_advisor_sh',
    via: 'code',
  });
  const again = await as(emu, 'o_amy').ok('member', 'login', {
    query: { store: 'store_sz_wanxiang', campaign: 'autumn' },
  });
  expect(again.attribution.first).toEqual(first.attribution.first);
  expect(again.attribution.last).toMatchObject({
    storeId: 'store_sz_wanxiang',
    advisorId: null,
    campaign: 'autumn',
    via: 'share',
  });
  await as(emu, 'o_amy').ok('member', 'login', {});
  const visits = (await db.collection('events').where({ memberId: first.memberId, type: 'member.visited' }).get()).data;
  expect(visits.map((v: { data: { storeId: string } }) => v.data.storeId).sort()).toEqual([
    'store_sh_xintiandi',
    'store_sz_wanxiang',
  ]);
  const stored = (await db.collection('members').doc(first.memberId).get()).data;
  expect(stored.attribution.first.storeId).toBe('store_sh_xintiandi');
});

test.each([['garbage!!'], ['s=store_nowhere'], ['q=zzzzzzzzzz'], ['s=a&s=b'], ['x'.repeat(64)], ['%E0%A4%A']])(
  'S1 scene garbage %j: login still works, nothing attributed',
  async (scene) => {
    const openid = `o_garbage_${Buffer.from(scene).toString('hex').slice(0, 12)}`;
    const v = await as(emu, openid).ok('member', 'login', { scene, query: { scene } });
    expect(v).toMatchObject({ state: 'visitor', isNew: true, attribution: { first: null, last: null }, card: null });
    expect((await db.collection('events').where({ memberId: v.memberId, type: 'member.visited' }).count()).total).toBe(
      0,
    );
  },
);

test('S2 claim: claiming twice gives one card, one joined event with the attribution', async () => {
  const code = await as(emu, 'o_demo_advisor').ok('member', 'createStoreCode', { storeId: 'store_sh_xintiandi' });
  const v = await as(emu, 'o_bella').ok('member', 'login', { scene: code.scene });
  const [a, b] = await Promise.all([
    as(emu, 'o_bella').ok('member', 'claimCard', claim),
    as(emu, 'o_bella').ok('member', 'claimCard', claim),
  ]);
  expect(a.card.cardNo).toBe(b.card.cardNo);
  expect(a.card.cardNo).toMatch(/^8\d{11}$/);
  const third = await as(emu, 'o_bella').ok('member', 'claimCard', { ...claim, name: '别的名字' });
  expect(third).toMatchObject({ alreadyClaimed: true, card: { cardNo: a.card.cardNo } });
  const joined = (await db.collection('events').where({ memberId: v.memberId, type: 'member.joined' }).get()).data;
  expect(joined).toHaveLength(1);
  expect(joined[0].data).toMatchObject({
    storeId: 'store_sh_xintiandi',
    advisorId: 'staff_advisor_sh',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  const stored = (await db.collection('members').doc(v.memberId).get()).data;
  expect(stored).toMatchObject({
    state: 'member',
    name: '林小姐',
    cardNo: a.card.cardNo,
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  expect(stored.consents.privacyAcceptedAt).toBeInstanceOf(Date);
  const home = await as(emu, 'o_bella').ok('member', 'login', {});
  // 100: the demo brand's sign-up bonus
  const card = { cardNo: a.card.cardNo, tier: 'member', points: 100 };
  expect(home).toMatchObject({ state: 'member', card, marketingOptIn: true });
  const identity = (await db.collection('identities').doc(`card:${a.card.cardNo}`).get()).data;
  expect(identity.memberId).toBe(v.memberId);
});

test('S2 claim: bad input (no consents, bad birthday, an openid field) is refused with INVALID_INPUT and writes nothing', async () => {
  await as(emu, 'o_cora').ok('member', 'login', {});
  const before = await counts(db);
  for (const bad of [
    { ...claim, consents: undefined },
    { ...claim, birthday: '1990-13-45x' },
    { ...claim, openid: 'o_bella' },
    { ...claim, name: '' },
  ]) {
    const r = await as(emu, 'o_cora').raw('member', { action: 'claimCard', ...bad });
    expect(r.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  }
  const stranger = await as(emu, 'o_never_logged_in').call('member', 'claimCard', claim);
  expect(stranger).toMatchObject({ ok: false, error: { code: 'MEMBER_NOT_FOUND' } });
  expect(await counts(db)).toEqual(before);
});

test('S2 profile: nickname and avatar from the fill-in components; profile and consents read back', async () => {
  await as(emu, 'o_dora').ok('member', 'login', {});
  await as(emu, 'o_dora').ok('member', 'claimCard', {
    ...claim,
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  const p = await as(emu, 'o_dora').ok('member', 'updateProfile', {
    nickname: '朵朵',
    avatarUrl: 'cloud://env/avatars/dora.png',
  });
  expect(p).toEqual({ nickname: '朵朵', avatarUrl: 'cloud://env/avatars/dora.png' });
  const bad = await as(emu, 'o_dora').call('member', 'updateProfile', { avatarUrl: 'javascript:alert(1)' });
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const profile = await as(emu, 'o_dora').ok('member', 'getProfile', {});
  expect(profile).toMatchObject({
    name: '林小姐',
    birthday: '1990-03-08',
    nickname: '朵朵',
    phoneMasked: null,
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
});

test('S2 phone: binding through getPhoneNumber makes the phone an identity; a bad code is refused', async () => {
  const v = await as(emu, 'o_emma').ok('member', 'login', {});
  const r = await as(emu, 'o_emma').ok('member', 'bindPhone', { code: 'phone:13800138000' });
  expect(r).toEqual({ memberId: v.memberId, phoneMasked: '138****8000', merged: false });
  expect((await db.collection('identities').doc('phone:13800138000').get()).data.memberId).toBe(v.memberId);
  const before = await counts(db);
  const bad = await as(emu, 'o_emma').call('member', 'bindPhone', { code: 'invalid' });
  expect(bad).toMatchObject({ ok: false, error: { code: 'PHONE_CODE_INVALID' } });
  expect(await counts(db)).toEqual(before);
});

test('S2 member code: staff resolve a fresh code; an old or tampered code is refused', async () => {
  await as(emu, 'o_fay').ok('member', 'login', {});
  const { card } = await as(emu, 'o_fay').ok('member', 'claimCard', claim);
  const none = await as(emu, 'o_fay_no_card').ok('member', 'login', {});
  expect(none.card).toBeNull();
  expect(await as(emu, 'o_fay_no_card').call('member', 'memberCode', {})).toMatchObject({
    ok: false,
    error: { code: 'CARD_NOT_CLAIMED' },
  });

  const c = await as(emu, 'o_fay').ok('member', 'memberCode', {});
  expect(c.refreshInSeconds).toBeLessThanOrEqual(60);
  const seen = await as(emu, 'o_demo_advisor').ok('member', 'resolveMemberCode', { code: c.code });
  expect(seen).toMatchObject({ cardNo: card.cardNo, displayName: '林**', tier: 'member' });
  expect(await as(emu, 'o_fay').call('member', 'resolveMemberCode', { code: c.code })).toMatchObject({
    ok: false,
    error: { code: 'NOT_STAFF' },
  });
  const tampered = c.code.replace(card.cardNo, card.cardNo.slice(0, -1) + ((Number(card.cardNo.slice(-1)) + 1) % 10));
  expect(await as(emu, 'o_demo_advisor').call('member', 'resolveMemberCode', { code: tampered })).toMatchObject({
    ok: false,
    error: { code: 'MEMBER_CODE_INVALID' },
  });
  await setClock(emu, { advance: '3m' });
  expect(await as(emu, 'o_demo_advisor').call('member', 'resolveMemberCode', { code: c.code })).toMatchObject({
    ok: false,
    error: { code: 'MEMBER_CODE_EXPIRED' },
  });
  const fresh = await as(emu, 'o_fay').ok('member', 'memberCode', {});
  expect(fresh.code).not.toBe(c.code);
  expect((await as(emu, 'o_demo_advisor').ok('member', 'resolveMemberCode', { code: fresh.code })).cardNo).toBe(
    card.cardNo,
  );
});

test('S2 member code: the number form resolves to the same member, staff type it grouped, an old one is expired', async () => {
  await as(emu, 'o_gus').ok('member', 'login', {});
  const { card } = await as(emu, 'o_gus').ok('member', 'claimCard', claim);
  const c = await as(emu, 'o_gus').ok('member', 'memberCode', {});
  expect(c.shortCode.startsWith(card.cardNo.replace(/\s+/g, ''))).toBe(true);
  const byLong = await as(emu, 'o_demo_advisor').ok('member', 'resolveMemberCode', { code: c.code });
  const byShort = await as(emu, 'o_demo_advisor').ok('member', 'resolveMemberCode', {
    code: c.shortCode.replace(/(\d{4})(?=\d)/g, '$1 '),
  });
  expect(byShort).toEqual(byLong);
  const forged = c.shortCode.slice(0, -1) + ((Number(c.shortCode.slice(-1)) + 1) % 10);
  expect(await as(emu, 'o_demo_advisor').call('member', 'resolveMemberCode', { code: forged })).toMatchObject({
    ok: false,
    error: { code: 'MEMBER_CODE_INVALID' },
  });
  await setClock(emu, { advance: '3m' });
  expect(await as(emu, 'o_demo_advisor').call('member', 'resolveMemberCode', { code: c.shortCode })).toMatchObject({
    ok: false,
    error: { code: 'MEMBER_CODE_EXPIRED' },
  });
});

test('S1 login: a returning member costs at most 3 database round trips, card included', async () => {
  await as(emu, 'o_gina').ok('member', 'login', {});
  await as(emu, 'o_gina').ok('member', 'claimCard', claim);
  const home = await as(emu, 'o_gina').ok('member', 'login', {});
  expect(home.card?.cardNo).toMatch(/^8/);
  const r = (await (await fetch(`${emu.url}/api/invocations?fn=member&limit=1`)).json()) as {
    invocations: { openid?: string; dbCalls: number; input: { action?: string } }[];
  };
  const last = r.invocations[0];
  expect(last).toMatchObject({ openid: 'o_gina', input: { action: 'login' } });
  expect(last?.dbCalls).toBeLessThanOrEqual(3);
});
