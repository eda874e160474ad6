import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { seededValueEmulator, seedMembers, seedTemplate, setClock, STAFF, STORE_SH } from '../points/value-fixtures';
import type { Sdk } from '../../support/sdk';

/**
 * Staff at the counter (S10 S21): a coupon is inspected by its code before redeeming,
 * and a redemption retried with the same request id (after a lost answer) is answered again,
 * never redeemed twice.
 */
const STORE_SZ = 'store_sz_wanxiang';
const ADVISOR_SZ = 'o_advisor_sz';
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await seededValueEmulator({ maxInstancesPerFunction: 8 }));
  await db.collection('staff').add({
    data: { _id: 'staff_advisor_sz', openid: ADVISOR_SZ, name: '深圳顾问', role: 'advisor', storeIds: [STORE_SZ] },
  });
  await seedTemplate(emu, {
    templateId: 'tpl_counter',
    name: { zh: '满 100 减 20', en: '20 off 100' },
    benefit: { kind: 'amountOff', amountFen: 2000 },
    minSpendFen: 10_000,
    validity: { kind: 'daysAfterClaim', days: 3 },
    perMemberLimit: null,
    channels: ['claimCentre'],
  });
  await seedTemplate(emu, {
    templateId: 'tpl_sz_only',
    name: { zh: '深圳店专享赠品' },
    benefit: { kind: 'gift', gift: { zh: '真丝方巾' } },
    validity: { kind: 'daysAfterClaim', days: 30 },
    perMemberLimit: null,
    channels: ['claimCentre'],
    storeIds: [STORE_SZ],
  });
  await seedTemplate(emu, {
    templateId: 'tpl_june',
    name: { zh: '六月券' },
    benefit: { kind: 'percentOff', percent: 10 },
    validity: { kind: 'fixed', fromDate: '2026-06-01', untilDate: '2026-06-30' },
    perMemberLimit: null,
    channels: ['claimCentre'],
  });
  const [m] = await seedMembers(emu, ['o_holder', 'o_nameless']);
  await db
    .collection('members')
    .doc(m)
    .update({ data: { name: '林小满', cardNo: 'SU0000101' } });
});
afterAll(() => emu?.close());

let claims = 0;
/** A fresh coupon of the template for the member, and its code, through the member's own actions. */
async function couponOf(templateId: string, openid = 'o_holder'): Promise<{ couponId: string; code: string }> {
  const member = as(emu, openid);
  const { coupon } = await member.ok('coupons', 'claim', { templateId, requestId: `counter-claim-${++claims}` });
  return {
    couponId: coupon.couponId,
    code: (await member.ok('coupons', 'detail', { couponId: coupon.couponId })).code,
  };
}
const rows = async (coll: string, where: Record<string, unknown>) =>
  (await db.collection(coll).where(where).limit(1000).get()).data as Record<string, unknown>[];
const couponDoc = async (id: string) => (await db.collection('coupons').doc(id).get()).data as Record<string, unknown>;

describe('redeem by request id', () => {
  test('S10 a retry with the same request id returns the first answer and redeems once; another id, or another staff member, is told it is used', async () => {
    const { couponId, code } = await couponOf('tpl_counter');
    const advisor = as(emu, STAFF.advisor);
    const input = { code, storeId: STORE_SH, orderAmountFen: 15_000, requestId: 'scan-retry-0001' };
    const first = await advisor.ok('coupons', 'redeem', input);
    expect(first).toMatchObject({ couponId, discountFen: 2000, payableFen: 13_000, replayed: false });

    await setClock(emu, { advance: '2m' }); // the answer was lost; the advisor taps again a little later
    const again = await advisor.ok('coupons', 'redeem', input);
    expect(again).toEqual({ ...first, replayed: true });

    expect(await advisor.call('coupons', 'redeem', { ...input, requestId: 'scan-new-0002' })).toMatchObject({
      ok: false,
      error: { code: 'COUPON_ALREADY_USED' },
    });
    expect(await as(emu, STAFF.manager).call('coupons', 'redeem', input)).toMatchObject({
      ok: false,
      error: { code: 'COUPON_ALREADY_USED' },
    });

    expect(await rows('audit_log', { action: 'coupons.redeem', target: couponId })).toEqual([
      expect.objectContaining({
        who: 'staff_advisor_sh',
        after: expect.objectContaining({ status: 'used', discountFen: 2000 }),
      }),
    ]);
    expect(await rows('events', { type: 'coupon.redeemed', 'data.couponId': couponId })).toHaveLength(1);
    expect(new Date((await couponDoc(couponId)).usedAt as string).toISOString()).toBe(first.usedAt);
  });

  test('S10 two redeems with one request id at the same moment: one redemption, both answered with it', async () => {
    const { couponId, code } = await couponOf('tpl_counter');
    const advisor = as(emu, STAFF.advisor);
    const input = { code, storeId: STORE_SH, orderAmountFen: 20_000, requestId: 'double-tap-0001' };
    const [a, b] = await Promise.all([
      advisor.call('coupons', 'redeem', input),
      advisor.call('coupons', 'redeem', input),
    ]);
    expect([a.ok, b.ok]).toEqual([true, true]);
    const answers = [a, b].map((r) => (r as { data: { replayed: boolean; usedAt: string; payableFen: number } }).data);
    expect(answers.map((x) => x.replayed).sort()).toEqual([false, true]);
    expect(answers[0]!.usedAt).toBe(answers[1]!.usedAt);
    expect(answers.map((x) => x.payableFen)).toEqual([18_000, 18_000]);
    expect(await rows('audit_log', { action: 'coupons.redeem', target: couponId })).toHaveLength(1);
    expect(await rows('events', { type: 'coupon.redeemed', 'data.couponId': couponId })).toHaveLength(1);
  });

  test('S10 a refused attempt keeps nothing: its retry with the same id, now with the order amount, redeems', async () => {
    const { couponId, code } = await couponOf('tpl_counter');
    const advisor = as(emu, STAFF.advisor);
    const input = { code, storeId: STORE_SH, requestId: 'min-spend-0001' };
    expect(await advisor.call('coupons', 'redeem', input)).toMatchObject({
      ok: false,
      error: { code: 'COUPON_MIN_SPEND' },
    });
    expect(await advisor.ok('coupons', 'redeem', { ...input, orderAmountFen: 10_000 })).toMatchObject({
      couponId,
      payableFen: 8_000,
      replayed: false,
    });
  });

  test('bad input is INVALID_INPUT and changes nothing', async () => {
    const { couponId, code } = await couponOf('tpl_counter');
    const advisor = as(emu, STAFF.advisor);
    const bad = [
      { code, storeId: STORE_SH, requestId: 'short' },
      { code, storeId: STORE_SH, requestId: 'has spaces in it' },
      { code, storeId: STORE_SH, orderAmountFen: -1, requestId: 'bad-amount-0001' },
      { code, storeId: STORE_SH, requestId: 'forged-role-0001', role: 'brand_admin' },
      { code: '', storeId: STORE_SH, requestId: 'empty-code-0001' },
    ];
    for (const input of bad)
      expect(await advisor.call('coupons', 'redeem', input as never)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    for (const input of [{ code: '' }, { code, storeId: '' }, { code, staffId: 'staff_admin' }]) {
      expect(await advisor.call('coupons', 'inspect', input as never)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
    }
    expect(await couponDoc(couponId)).toMatchObject({ usedAt: null, status: 'available' });
    expect(await rows('audit_log', { target: couponId })).toEqual([]);
    expect((await rows('idempotency', {})).map((r) => String(r._id)).filter((k) => k.includes(code))).toEqual([]);
    // the forged field is on the trail as a refused inspect, naming who tried
    expect(await rows('audit_log', { action: 'refused:coupons.inspect', who: 'staff_advisor_sh' })).toEqual([
      expect.objectContaining({ refused: { code: 'INVALID_INPUT', fields: ['staffId'] } }),
    ]);
  });
});

describe('inspect before redeeming', () => {
  test('S21 staff see the name, benefit, minimum spend, status, validity, the masked holder and where it is valid; reading changes nothing', async () => {
    const { couponId, code } = await couponOf('tpl_counter');
    const spaced = `${code.slice(0, 4)}-${code.slice(4, 8)} ${code.slice(8)}`.toLowerCase();
    const seen = await as(emu, STAFF.advisor).ok('coupons', 'inspect', { code: spaced, storeId: STORE_SH });
    expect(seen).toEqual({
      couponId,
      code,
      codeDisplay: `${code.slice(0, 4)} ${code.slice(4, 8)} ${code.slice(8)}`,
      templateId: 'tpl_counter',
      name: { zh: '满 100 减 20', en: '20 off 100' },
      benefit: { kind: 'amountOff', amountFen: 2000 },
      minSpendFen: 10_000,
      status: 'usable',
      validFrom: expect.any(String),
      validUntil: expect.any(String),
      usedAt: null,
      holder: { memberId: 'm_o_holder', displayName: '林**', cardNo: 'SU0000101' },
      stores: null,
      here: { storeId: STORE_SH, redeemable: true, blocked: null },
    });
    expect(Date.parse(seen.validUntil) - Date.parse(seen.validFrom)).toBeGreaterThan(2 * 86_400_000);
    expect(await couponDoc(couponId)).toMatchObject({ usedAt: null, status: 'available' });
    expect(await rows('audit_log', { target: couponId })).toEqual([]);

    // after redeeming: used, with when; the verdict names the refusal redeeming again would get
    const { usedAt } = await as(emu, STAFF.manager).ok('coupons', 'redeem', {
      code,
      storeId: STORE_SH,
      orderAmountFen: 10_000,
      requestId: 'inspect-then-0001',
    });
    expect(await as(emu, STAFF.advisor).ok('coupons', 'inspect', { code, storeId: STORE_SH })).toMatchObject({
      status: 'used',
      usedAt,
      here: { redeemable: false, blocked: { code: 'COUPON_ALREADY_USED' } },
    });
  });

  test('S21 a coupon not yet valid, an expired one, and one whose holder gave no name', async () => {
    const june = await couponOf('tpl_june');
    const nameless = await couponOf('tpl_counter', 'o_nameless');
    const admin = as(emu, STAFF.admin);
    expect(await admin.ok('coupons', 'inspect', { code: june.code, storeId: STORE_SZ })).toMatchObject({
      status: 'notYetValid',
      validFrom: '2026-05-31T16:00:00.000Z',
      validUntil: '2026-06-30T16:00:00.000Z',
      benefit: { kind: 'percentOff', percent: 10 },
      here: { redeemable: false, blocked: { code: 'COUPON_NOT_YET_VALID' } },
    });
    expect((await admin.ok('coupons', 'inspect', { code: nameless.code })).holder).toEqual({
      memberId: 'm_o_nameless',
      displayName: null,
      cardNo: null,
    });

    await setClock(emu, { advance: '4d' });
    const expired = await admin.ok('coupons', 'inspect', { code: nameless.code, storeId: STORE_SH });
    expect(expired).toMatchObject({
      status: 'expired',
      usedAt: null,
      here: { redeemable: false, blocked: { code: 'COUPON_EXPIRED' } },
    });
    expect(await admin.ok('coupons', 'inspect', { code: june.code })).toMatchObject({
      status: 'notYetValid',
      here: null,
    });
  });

  test('S21 store scope: any staff member may read a coupon; the verdict is for one of their own stores, and another store is refused', async () => {
    const sz = await couponOf('tpl_sz_only');
    const shanghai = as(emu, STAFF.advisor);
    // an advisor of the other store sees where it is valid and that it cannot be redeemed at hers
    expect(await shanghai.ok('coupons', 'inspect', { code: sz.code, storeId: STORE_SH })).toMatchObject({
      name: { zh: '深圳店专享赠品' },
      benefit: { kind: 'gift', gift: { zh: '真丝方巾' } },
      status: 'usable',
      stores: [{ storeId: STORE_SZ, name: { zh: '深圳万象城店', en: 'Shenzhen MixC' } }],
      here: { storeId: STORE_SH, redeemable: false, blocked: { code: 'COUPON_STORE_NOT_ALLOWED' } },
    });
    // she may not ask on behalf of the store where it is valid, nor redeem it there
    expect(await shanghai.call('coupons', 'inspect', { code: sz.code, storeId: STORE_SZ })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(
      await shanghai.call('coupons', 'redeem', { code: sz.code, storeId: STORE_SZ, requestId: 'other-store-0001' }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(
      await shanghai.call('coupons', 'redeem', { code: sz.code, storeId: STORE_SH, requestId: 'other-store-0002' }),
    ).toMatchObject({ ok: false, error: { code: 'COUPON_STORE_NOT_ALLOWED' } });
    expect(
      await rows('audit_log', {
        action: 'refused:coupons.inspect',
        who: 'staff_advisor_sh',
        'refused.code': 'FORBIDDEN',
      }),
    ).toHaveLength(1);

    // the Shenzhen advisor gets "redeemable" and redeems it
    const shenzhen = as(emu, ADVISOR_SZ);
    expect(await shenzhen.ok('coupons', 'inspect', { code: sz.code, storeId: STORE_SZ })).toMatchObject({
      here: { storeId: STORE_SZ, redeemable: true, blocked: null },
    });
    expect(
      await shenzhen.ok('coupons', 'redeem', { code: sz.code, storeId: STORE_SZ, requestId: 'sz-redeem-0001' }),
    ).toMatchObject({ gift: { zh: '真丝方巾' }, discountFen: 0, replayed: false });
  });

  test('S21 a member cannot inspect coupons (NOT_STAFF, on the trail); a mistyped code is COUPON_CODE_INVALID', async () => {
    const { code } = await couponOf('tpl_counter');
    expect(await as(emu, 'o_holder').call('coupons', 'inspect', { code })).toMatchObject({
      ok: false,
      error: { code: 'NOT_STAFF' },
    });
    expect(await rows('audit_log', { action: 'refused:coupons.inspect', who: 'o_holder' })).toEqual([
      expect.objectContaining({ role: 'none', refused: { code: 'NOT_STAFF' } }),
    ]);
    const typo = `${code.slice(0, 11)}${code[11] === '0' ? '1' : '0'}`;
    expect(await as(emu, STAFF.advisor).call('coupons', 'inspect', { code: typo })).toMatchObject({
      ok: false,
      error: { code: 'COUPON_CODE_INVALID' },
    });
  });
});
