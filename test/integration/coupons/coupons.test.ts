import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { randomBytes } from 'node:crypto';
import { signedHeaders } from '../../../core/signing';
import { devSecret, syncSecretName } from '../../../server/http/secrets';
import { posRoutes } from '../../../server/coupons/pos-endpoint';
import { mergeMembers } from '../../../server/identity/merge';
import {
  STAFF,
  STORE_SH,
  earn,
  seedBrand,
  seedMembers,
  seedTemplate,
  claimCentreTerms,
  setClock,
  valueEmulator,
} from '../points/value-fixtures';

let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await valueEmulator({ maxInstancesPerFunction: 8, httpRoutes: posRoutes });
  await setClock(emu, { set: '2026-05-01T02:00:00Z' });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedBrand(emu);
});
afterAll(() => emu?.close());

const count = async (coll: string, where: Record<string, unknown>) =>
  (await db.collection(coll).where(where).count()).total as number;
/** A template's stock shards added up, and the smallest `left` of any (never below 0). */
async function stockOf(templateId: string) {
  const shards = (await db.collection('coupon_stock').where({ templateId }).limit(100).get()).data as {
    left: number | null;
    issued: number;
  }[];
  return {
    shards: shards.length,
    issued: shards.reduce((s, x) => s + x.issued, 0),
    left: shards.reduce((s, x) => s + (x.left ?? 0), 0),
    lowest: Math.min(...shards.map((x) => x.left ?? 0)),
  };
}

test('S10 coupons: 1,000 concurrent claims of a 100-stock coupon by 1,000 members → exactly 100', async () => {
  await seedTemplate(emu, claimCentreTerms({ templateId: 'tpl_rush', name: { zh: '限量 100 张' }, totalStock: 100 }));
  const openids = Array.from({ length: 1000 }, (_, i) => `o_rush_${i}`);
  await seedMembers(emu, openids);
  const results = await Promise.all(
    openids.map((o, i) =>
      as(emu, o).call('coupons', 'claim', { templateId: 'tpl_rush', requestId: `rush-request-${i}` }),
    ),
  );

  const won = results.filter((r) => r.ok);
  const refused = results.flatMap((r) => (r.ok ? [] : [r.error.code]));
  expect(won).toHaveLength(100);
  expect(new Set(refused)).toEqual(new Set(['COUPON_OUT_OF_STOCK']));
  expect(await count('coupons', { templateId: 'tpl_rush' })).toBe(100);
  // the units came from the shards: all taken, none below 0
  expect(await stockOf('tpl_rush')).toEqual({ shards: 16, issued: 100, left: 0, lowest: 0 });
  // one each, to 100 different members
  const owners = (await db.collection('coupons').where({ templateId: 'tpl_rush' }).limit(1000).get()).data.map(
    (c: { memberId: string }) => c.memberId,
  );
  expect(new Set(owners).size).toBe(100);
}, 300_000);

test('S10 coupons: one member claiming 20 times at once with limit 1 gets 1; a retried request returns the same coupon', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_limit1',
    name: { zh: '每人限领 1 张' },
    benefit: { kind: 'percentOff', percent: 10 },
    validity: { kind: 'daysAfterClaim', days: 7 },
    totalStock: 1000,
    perMemberLimit: 1,
    channels: ['claimCentre'],
  });
  const [m] = await seedMembers(emu, ['o_greedy']);
  const me = as(emu, 'o_greedy');
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      me.call('coupons', 'claim', { templateId: 'tpl_limit1', requestId: `greedy-${i}-xx` }),
    ),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])))).toEqual(new Set(['COUPON_LIMIT_REACHED']));
  expect(await count('coupons', { memberId: m })).toBe(1);

  const winner = results.findIndex((r) => r.ok);
  const again = await me.ok('coupons', 'claim', { templateId: 'tpl_limit1', requestId: `greedy-${winner}-xx` });
  expect(again.replayed).toBe(true);
  expect(again.coupon.couponId).toBe(
    (results[winner] as { ok: true; data: { coupon: { couponId: string } } }).data.coupon.couponId,
  );

  const centre = await me.ok('coupons', 'claimCentre', {});
  expect(centre.items.find((t) => t.templateId === 'tpl_limit1')).toMatchObject({
    claimable: false,
    claimedByMember: 1,
    blocked: { code: 'COUPON_LIMIT_REACHED' },
  });
}, 120_000);

test('S10 coupons: two staff redeeming one coupon at once → one succeeds, audited once; expired, used and foreign coupons get clear errors', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_redeem',
    name: { zh: '满 100 减 20' },
    benefit: { kind: 'amountOff', amountFen: 2000 },
    minSpendFen: 10000,
    validity: { kind: 'daysAfterClaim', days: 3 },
    perMemberLimit: null,
    channels: ['claimCentre'],
  });
  await seedMembers(emu, ['o_shopper', 'o_other']);
  const shopper = as(emu, 'o_shopper');
  const { coupon } = await shopper.ok('coupons', 'claim', { templateId: 'tpl_redeem', requestId: 'shopper-claim-1' });
  const { code } = await shopper.ok('coupons', 'detail', { couponId: coupon.couponId });
  expect(await as(emu, 'o_other').call('coupons', 'detail', { couponId: coupon.couponId })).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  });

  const scan = (openid: string) =>
    as(emu, openid).call('coupons', 'redeem', { code, storeId: STORE_SH, orderAmountFen: 15_000 });
  const [a, b] = await Promise.all([scan(STAFF.manager), scan(STAFF.advisor)]);
  expect([a, b].filter((r) => r.ok)).toHaveLength(1);
  expect([a, b].find((r) => !r.ok)).toMatchObject({ error: { code: 'COUPON_ALREADY_USED' } });
  expect([a, b].find((r) => r.ok)).toMatchObject({ data: { discountFen: 2000, payableFen: 13_000 } });
  const audits = (await db.collection('audit_log').where({ action: 'coupons.redeem', target: coupon.couponId }).get())
    .data;
  expect(audits).toHaveLength(1);
  expect(audits[0]).toMatchObject({ after: { status: 'used' }, before: { status: 'available' } });
  expect((await shopper.ok('coupons', 'list', { status: 'used' })).items.map((c) => c.couponId)).toEqual([
    coupon.couponId,
  ]);

  // not staff
  const second = await shopper.ok('coupons', 'claim', { templateId: 'tpl_redeem', requestId: 'shopper-claim-2' });
  const code2 = (await shopper.ok('coupons', 'detail', { couponId: second.coupon.couponId })).code;
  expect(
    await shopper.call('coupons', 'redeem', { code: code2, storeId: STORE_SH, orderAmountFen: 15_000 }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  // another member presenting it at the till
  expect(
    await as(emu, STAFF.manager).call('coupons', 'redeem', {
      code: code2,
      storeId: STORE_SH,
      orderAmountFen: 15_000,
      memberId: 'm_o_other',
    }),
  ).toMatchObject({ ok: false, error: { code: 'COUPON_NOT_OWNED' } });
  // a typo in the code is caught by its check character
  const typo = code2.slice(0, 5) + (code2[5] === 'A' ? 'B' : 'A') + code2.slice(6);
  expect(await as(emu, STAFF.manager).call('coupons', 'redeem', { code: typo, storeId: STORE_SH })).toMatchObject({
    ok: false,
    error: { code: 'COUPON_CODE_INVALID' },
  });
  // after its validity: the nightly job marks it expired, redemption says so
  await setClock(emu, { advance: '4d' });
  expect(
    await as(emu, STAFF.manager).call('coupons', 'redeem', { code: code2, storeId: STORE_SH, orderAmountFen: 15_000 }),
  ).toMatchObject({ ok: false, error: { code: 'COUPON_EXPIRED' } });
  expect((await db.collection('coupons').doc(second.coupon.couponId).get()).data.status).toBe('expired');
  expect(await count('events', { type: 'coupon.expired', 'data.couponId': second.coupon.couponId })).toBe(1);
  expect((await shopper.ok('coupons', 'list', {})).items.map((c) => c.status).sort()).toEqual(['expired', 'used']);
}, 120_000);

test('S10 points mall: exchange spends the points and issues the coupon together; without enough points neither happens', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_mall_test',
    name: { zh: '300 积分换 30 元' },
    benefit: { kind: 'amountOff', amountFen: 3000 },
    validity: { kind: 'daysAfterClaim', days: 30 },
    perMemberLimit: null,
    channels: ['pointsMall'],
    pointsCost: 300,
  });
  const [m] = await seedMembers(emu, ['o_mall']);
  const me = as(emu, 'o_mall');
  await earn(emu, m!, 'ord_mall_1', 50_000); // 500 points
  const mall = await me.ok('coupons', 'claimCentre', { channel: 'pointsMall' });
  expect(mall.items.find((t) => t.templateId === 'tpl_mall_test')).toMatchObject({ pointsCost: 300, claimable: true });

  const bought = await me.ok('coupons', 'exchange', { templateId: 'tpl_mall_test', requestId: 'mall-buy-0001' });
  expect(bought).toMatchObject({ pointsSpent: 300, balance: 200, replayed: false });
  expect(await me.ok('coupons', 'exchange', { templateId: 'tpl_mall_test', requestId: 'mall-buy-0001' })).toMatchObject(
    { replayed: true, coupon: { couponId: bought.coupon.couponId } },
  );

  const broke = await me.call('coupons', 'exchange', { templateId: 'tpl_mall_test', requestId: 'mall-buy-0002' });
  expect(broke).toMatchObject({ ok: false, error: { code: 'POINTS_INSUFFICIENT' } });
  expect(await count('coupons', { memberId: m, templateId: 'tpl_mall_test' })).toBe(1);
  expect((await me.ok('points', 'summary', {})).balance).toBe(200);
  expect(await stockOf('tpl_mall_test')).toMatchObject({ issued: 1, left: 0 }); // unlimited: a shard only counts
}, 120_000);

/** Issue 4's merge (server/identity/merge.ts), run through the SDK as its link endpoint runs it: the older record survives. */
const merge = (a: string, b: string) => mergeMembers(db, new Date(), a, b, 'same person');

test('S4 coupons: the join-in-store coupon is granted once per person, even when the member is merged later (either way round)', async () => {
  const [granted] = await seedMembers(emu, ['o_join_a'], new Date('2026-02-01T00:00:00Z'));
  const [older] = await seedMembers(emu, ['o_join_b'], new Date('2026-01-01T00:00:00Z'));
  const grant = (memberId: string) =>
    as(emu, STAFF.advisor).ok('coupons', 'grant', {
      templateId: 'tpl_welcome_10off',
      memberId,
      reason: 'joined in store',
    });

  expect(await grant(granted!)).toMatchObject({ granted: true });
  expect(await grant(granted!)).toMatchObject({ granted: false, alreadyGrantedTo: granted });

  // the granted member turns out to be the same person as an older record, and is merged INTO it
  expect(await merge(granted!, older!)).toMatchObject({ survivorId: older, loserId: granted });
  expect(await grant(older!)).toMatchObject({ granted: false });
  expect(await grant(granted!)).toMatchObject({ granted: false });
  expect(await count('coupons', { templateId: 'tpl_welcome_10off', memberId: older })).toBe(1);

  // the other way round: the survivor had it, the record merged into it never did
  const [third] = await seedMembers(emu, ['o_join_c'], new Date('2026-01-01T00:00:00Z'));
  expect(await grant(third!)).toMatchObject({ granted: true });
  const [fourth] = await seedMembers(emu, ['o_join_d'], new Date('2026-03-01T00:00:00Z'));
  expect(await merge(fourth!, third!)).toMatchObject({ survivorId: third });
  expect(await grant(fourth!)).toMatchObject({ granted: false });
  expect(await count('coupons', { templateId: 'tpl_welcome_10off', memberId: third })).toBe(1);

  // concurrent grants for one person: one coupon
  const [fifth] = await seedMembers(emu, ['o_join_e']);
  const burst = await Promise.all(Array.from({ length: 8 }, () => grant(fifth!)));
  expect(burst.filter((r) => r.granted)).toHaveLength(1);
  expect(await count('coupons', { templateId: 'tpl_welcome_10off', memberId: fifth })).toBe(1);
  expect(
    await as(emu, 'o_join_e').call('coupons', 'grant', {
      templateId: 'tpl_welcome_10off',
      memberId: fifth!,
      reason: 'self service',
    }),
  ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
}, 120_000);

/** A POS call signed as the signed endpoints check it (development secret of source `pos`), at the emulator's time. */
async function pos(path: string, body: unknown, opts: { secret?: string } = {}) {
  const now = new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now);
  const text = JSON.stringify(body);
  const headers = signedHeaders(opts.secret ?? devSecret(syncSecretName('pos')), 'pos', {
    method: 'POST',
    path,
    nonce: randomBytes(12).toString('hex'),
    body: text,
    at: now,
  });
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: text,
  });
  return {
    status: res.status,
    body: (await res.json()) as { ok: boolean; data?: Record<string, unknown>; error?: { code: string } },
  };
}

test('S10 POS: signed calls adjust points (once per request id, by phone) and redeem coupons (once), audited as the source', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_pos',
    name: { zh: 'POS 核销券' },
    benefit: { kind: 'amountOff', amountFen: 500 },
    validity: { kind: 'daysAfterClaim', days: 3 },
    perMemberLimit: null,
    channels: ['claimCentre'],
  });
  const [m] = await seedMembers(emu, ['o_pos']);
  await db.collection('identities').add({
    data: { _id: 'phone:13800000001', type: 'phone', value: '13800000001', memberId: m, linkedAt: new Date() },
  });

  const adjust = {
    member: { identity: { type: 'phone', value: '13800000001' } },
    delta: 80,
    reason: '门店积分补录',
    requestId: 'pos-adjust-001',
  };
  expect(await pos('/http/pos/points/adjust', adjust)).toMatchObject({
    status: 200,
    body: { ok: true, data: { amount: 80, balance: 80, replayed: false } },
  });
  expect(await pos('/http/pos/points/adjust', adjust)).toMatchObject({
    status: 200,
    body: { data: { balance: 80, replayed: true } },
  });
  expect(
    await pos('/http/pos/points/adjust', { ...adjust, requestId: 'pos-adjust-002' }, { secret: 'wrong' }),
  ).toMatchObject({ status: 401, body: { error: { code: 'SIGNATURE_INVALID' } } });
  expect((await as(emu, 'o_pos').ok('points', 'summary', {})).balance).toBe(80);

  const { coupon } = await as(emu, 'o_pos').ok('coupons', 'claim', {
    templateId: 'tpl_pos',
    requestId: 'pos-claim-001',
  });
  const { code } = await as(emu, 'o_pos').ok('coupons', 'detail', { couponId: coupon.couponId });
  const redeem = { code, storeId: STORE_SH, orderAmountFen: 3_000, member: { memberId: m } };
  expect(await pos('/http/pos/coupons/redeem', redeem)).toMatchObject({
    status: 200,
    body: { data: { discountFen: 500, payableFen: 2_500 } },
  });
  expect(await pos('/http/pos/coupons/redeem', redeem)).toMatchObject({
    status: 409,
    body: { error: { code: 'COUPON_ALREADY_USED' } },
  });
  const audits = (await db.collection('audit_log').where({ target: coupon.couponId }).get()).data;
  expect(audits.map((a: { who: unknown; action: string }) => [a.action, a.who])).toEqual([['coupons.redeem', 'pos']]);
}, 60_000);
