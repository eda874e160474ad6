import { CARD_CLAIM } from '../../support/card-claim';
import type { Emulator } from '../../../emulator/emulator';
import { PERSONAL_FIELDS } from '../../../core/identity/member';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { counts, demoEmulator } from './helpers';

/** PIPL data rights through the emulator: see and export, withdraw marketing, delete the account. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await demoEmulator());
});
afterAll(() => emu.close());

let phoneSeq = 0;
async function fullMember(openid: string) {
  const v = await as(emu, openid, { unionid: `u_${openid}` }).ok('member', 'login', {
    query: { store: 'store_sh_xintiandi', advisor: 'staff_advisor_sh' },
  });
  await as(emu, openid).ok('member', 'claimCard', CARD_CLAIM);
  await as(emu, openid).ok('member', 'updateProfile', {
    nickname: '小周',
    avatarUrl: 'https://thirdwx.qlogo.cn/x.png',
  });
  await as(emu, openid).ok('member', 'bindPhone', { code: `phone:136000000${String(++phoneSeq).padStart(2, '0')}` });
  return v.memberId as string;
}

test('data rights: export returns everything held, as JSON, including rows other features keep', async () => {
  const memberId = await fullMember('o_iris');
  const out = await as(emu, 'o_iris').ok('member', 'exportData', {});
  expect(out.memberId).toBe(memberId);
  const data = out.data as Record<string, unknown[] | Record<string, unknown>>;
  expect(data.member).toMatchObject({
    name: '周女士',
    birthday: '1988-08-18',
    nickname: '小周',
    phone: expect.stringMatching(/^136/),
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  const identityTypes = (data.identities as { type: string }[]).map((i) => i.type).sort();
  expect(identityTypes).toEqual(['card', 'mp_openid', 'phone', 'unionid']);
  // the demo brand's sign-up bonus, written by the card claim
  expect(data.points_ledger).toEqual([expect.objectContaining({ amount: 100, source: 'signup' })]);
  expect((data.events as { type: string }[]).map((e) => e.type)).toEqual(
    expect.arrayContaining(['member.first_seen', 'member.visited', 'member.joined']),
  );
  expect(() => JSON.parse(JSON.stringify(out))).not.toThrow();
});

test('data rights: withdrawing marketing consent is recorded with time and shows on the home page', async () => {
  await fullMember('o_jade');
  const r = await as(emu, 'o_jade').ok('member', 'withdrawMarketing', {});
  expect(r.marketingOptIn).toBe(false);
  const home = await as(emu, 'o_jade').ok('member', 'login', {});
  expect(home.marketingOptIn).toBe(false);
  const profile = await as(emu, 'o_jade').ok('member', 'getProfile', {});
  expect(profile.consents).toMatchObject({
    privacyVersion: '2026-01',
    marketingOptIn: false,
    marketingChangedAt: r.changedAt,
  });
  expect(
    (await db.collection('events').where({ memberId: home.memberId, type: 'consent.marketing_withdrawn' }).count())
      .total,
  ).toBe(1);
});

test('data rights: a deleted member leaves no personal field and no identity; the ledger stays, anonymous', async () => {
  const memberId = await fullMember('o_kate');
  const claimed = await as(emu, 'o_kate').ok('coupons', 'claim', {
    templateId: 'tpl_spring_50',
    requestId: 'kate-claim-1',
  });
  const unconfirmed = await as(emu, 'o_kate').raw('member', { action: 'deleteAccount' });
  expect(unconfirmed.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });

  const r = await as(emu, 'o_kate').ok('member', 'deleteAccount', { confirm: true });
  expect(r.deleted).toBe(true);
  const stored = (await db.collection('members').doc(memberId).get()).data;
  for (const f of PERSONAL_FIELDS) expect(stored[f]).toBeUndefined();
  expect(stored.attribution).toBeUndefined();
  expect(stored).toMatchObject({ state: 'deleted', consents: { marketingOptIn: false } });
  expect((await db.collection('identities').where({ memberId }).count()).total).toBe(0);
  const serialized = JSON.stringify(stored);
  for (const s of ['周女士', '小周', '1988-08-18', 'o_kate', 'u_o_kate', '136']) expect(serialized).not.toContain(s);
  const ledger = (await db.collection('points_ledger').where({ memberId }).get()).data;
  expect(ledger).toEqual([expect.objectContaining({ amount: 100, source: 'signup' })]);
  const events = JSON.stringify((await db.collection('events').where({ memberId }).get()).data);
  for (const s of ['周女士', '1988-08-18', 'o_kate', '136000']) expect(events).not.toContain(s);
  // a claimed coupon stays, anonymous: its id is derived from the OpenID, never holds it
  const coupon = (await db.collection('coupons').doc(claimed.coupon.couponId).get()).data;
  expect(coupon).toMatchObject({ memberId, templateId: 'tpl_spring_50' });
  expect(JSON.stringify(coupon)).not.toContain('o_kate');

  // the same person coming back is a new, empty visitor
  const again = await as(emu, 'o_kate').ok('member', 'login', {});
  expect(again).toMatchObject({ isNew: true, state: 'visitor', card: null });
  expect(again.memberId).not.toBe(memberId);
});

test('data rights: actions of someone who never logged in are refused and write nothing', async () => {
  const before = await counts(db);
  for (const action of ['exportData', 'withdrawMarketing', 'getProfile', 'memberCode'] as const) {
    const r = await as(emu, 'o_ghost').call('member', action, {});
    expect(r).toMatchObject({ ok: false, error: { code: 'MEMBER_NOT_FOUND' } });
  }
  expect(await counts(db)).toEqual(before);
});
