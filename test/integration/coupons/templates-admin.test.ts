import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { seededValueEmulator, seedMembers, STAFF, STORE_SH, templateDoc } from '../points/value-fixtures';
import type { Sdk } from '../../support/sdk';

/** S10 / S21: brand admins create coupon templates, change their stock and pause them, through the real SDK. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await seededValueEmulator());
});
afterAll(() => emu?.close());

const admin = () => as(emu, STAFF.admin);
const auditOf = async (where: Record<string, unknown>) =>
  (await db.collection('audit_log').where(where).limit(100).get()).data as Record<string, unknown>[];
const countOf = async (coll: string) => (await db.collection(coll).count()).total as number;
/** A template's stock shards added up, and the smallest `left` of any (never below 0). */
async function stockOf(templateId: string) {
  const shards = (await db.collection('coupon_stock').where({ templateId }).limit(100).get()).data as {
    left: number;
    issued: number;
  }[];
  return {
    issued: shards.reduce((s, x) => s + x.issued, 0),
    left: shards.reduce((s, x) => s + x.left, 0),
    lowest: Math.min(...shards.map((x) => x.left)),
  };
}

const draft = (requestId: string, patch: Record<string, unknown> = {}) => ({
  name: { zh: '夏装满 300 减 30' },
  benefit: { kind: 'amountOff' as const, amountFen: 3000 },
  minSpendFen: 30000,
  validity: { kind: 'daysAfterClaim' as const, days: 14 },
  totalStock: 3,
  perMemberLimit: 1,
  channels: ['claimCentre' as const],
  requestId,
  ...patch,
});

test('S10 create: the template is stored in the claim schema, claimable at once, audited; a retried request makes no second one', async () => {
  const first = await admin().ok('coupons', 'templates.create', draft('create-summer-30'));
  expect(first).toMatchObject({
    replayed: false,
    template: {
      name: { zh: '夏装满 300 减 30' },
      totalStock: 3,
      claimed: 0,
      redeemed: 0,
      stockLeft: 3,
      paused: false,
      channels: ['claimCentre'],
    },
  });
  const id = first.template.templateId;
  expect(await templateDoc(db, id)).toMatchObject({
    templateId: id,
    issued: 0,
    createdBy: 'staff_admin',
    storeIds: null,
    paused: false,
  });

  const again = await admin().ok('coupons', 'templates.create', draft('create-summer-30'));
  expect(again).toMatchObject({ replayed: true, template: { templateId: id } });
  expect((await db.collection('coupon_templates').where({ createdBy: 'staff_admin' }).count()).total).toBe(1);
  expect(await auditOf({ action: 'coupons.templates.create' })).toEqual([
    expect.objectContaining({
      who: 'staff_admin',
      role: 'brand_admin',
      target: `coupon_templates/${id}`,
      before: null,
      after: expect.objectContaining({ totalStock: 3 }),
    }),
  ]);

  const [member] = await seedMembers(emu, ['o_summer']);
  const claimed = await as(emu, 'o_summer').ok('coupons', 'claim', { templateId: id, requestId: 'claim-summer-1' });
  expect(claimed.coupon).toMatchObject({ templateId: id, benefit: { kind: 'amountOff', amountFen: 3000 } });
  expect((await db.collection('coupons').where({ memberId: member }).get()).data).toHaveLength(1);
});

test('S10 create: an id already used → TEMPLATE_EXISTS; bad input → INVALID_INPUT; neither changes anything', async () => {
  const before = { templates: await countOf('coupon_templates'), audit: await countOf('audit_log') };
  expect(
    await admin().call('coupons', 'templates.create', draft('create-dup-spring', { templateId: 'tpl_spring_50' })),
  ).toMatchObject({ ok: false, error: { code: 'TEMPLATE_EXISTS' } });
  const bad = [
    draft('create-bad-1', { benefit: { kind: 'amountOff', amountFen: -5 } }),
    draft('create-bad-2', { name: { zh: '' } }),
    draft('create-bad-3', { validity: { kind: 'fixed', fromDate: '2026-06-30', untilDate: '2026-06-01' } }),
    draft('create-bad-4', { channels: ['pointsMall'] }), // a mall coupon needs a points price
    draft('create-bad-5', { totalStock: 1.5 }),
    { ...draft('create-bad-6'), requestId: 'x' },
  ];
  for (const input of bad)
    expect([input.requestId, await admin().call('coupons', 'templates.create', input as never)]).toEqual([
      input.requestId,
      expect.objectContaining({ ok: false, error: expect.objectContaining({ code: 'INVALID_INPUT' }) }),
    ]);
  expect(await templateDoc(db, 'tpl_spring_50')).toMatchObject({ name: { zh: '春装满 500 减 50' }, totalStock: 100 });
  expect({ templates: await countOf('coupon_templates'), audit: await countOf('audit_log') }).toEqual(before);
});

test('S10 stock: added and removed with before/after on the trail; never below what is claimed; a retried change applies once', async () => {
  const { template } = await admin().ok(
    'coupons',
    'templates.create',
    draft('create-stock-test', { totalStock: 2, templateId: 'tpl_stock_test' }),
  );
  const owners = await seedMembers(emu, ['o_stock_a', 'o_stock_b']);
  for (const [i, o] of ['o_stock_a', 'o_stock_b'].entries())
    await as(emu, o).ok('coupons', 'claim', { templateId: template.templateId, requestId: `stock-claim-${i}` });
  expect(owners).toHaveLength(2);

  const below = await admin().call('coupons', 'templates.stock', {
    templateId: 'tpl_stock_test',
    delta: -1,
    requestId: 'stock-minus-1',
  });
  expect(below).toMatchObject({
    ok: false,
    error: { code: 'STOCK_BELOW_CLAIMED', details: { claimed: 2, totalStock: 2, requested: 1 } },
  });
  expect(await templateDoc(db, 'tpl_stock_test')).toMatchObject({ totalStock: 2 });
  expect(await stockOf('tpl_stock_test')).toEqual({ issued: 2, left: 0, lowest: 0 });

  const up = await admin().ok('coupons', 'templates.stock', {
    templateId: 'tpl_stock_test',
    delta: 5,
    requestId: 'stock-plus-5',
  });
  expect(up).toMatchObject({ replayed: false, template: { totalStock: 7, claimed: 2, stockLeft: 5 } });
  expect(await stockOf('tpl_stock_test')).toMatchObject({ issued: 2, left: 5 }); // the shards carry the new units
  expect(
    await admin().ok('coupons', 'templates.stock', {
      templateId: 'tpl_stock_test',
      delta: 5,
      requestId: 'stock-plus-5',
    }),
  ).toMatchObject({ replayed: true, template: { totalStock: 7 } });
  const down = await admin().ok('coupons', 'templates.stock', {
    templateId: 'tpl_stock_test',
    delta: -5,
    requestId: 'stock-minus-5',
  });
  expect(down.template).toMatchObject({ totalStock: 2, stockLeft: 0 });
  expect(await stockOf('tpl_stock_test')).toEqual({ issued: 2, left: 0, lowest: 0 });

  // two entries (the replay wrote none); both may carry the same instant, so order is not asserted
  const trail = await auditOf({ action: 'coupons.templates.stock', target: 'coupon_templates/tpl_stock_test' });
  expect(trail).toHaveLength(2);
  expect(trail.map((r) => [r.before, r.after])).toEqual(
    expect.arrayContaining([
      [
        { totalStock: 2, claimed: 2 },
        { totalStock: 7, claimed: 2 },
      ],
      [
        { totalStock: 7, claimed: 2 },
        { totalStock: 2, claimed: 2 },
      ],
    ]),
  );
  expect(
    await admin().call('coupons', 'templates.stock', {
      templateId: 'tpl_welcome_10off',
      delta: 10,
      requestId: 'stock-unlimited',
    }),
  ).toMatchObject({ ok: false, error: { code: 'STOCK_UNLIMITED' } });
  expect(
    await admin().call('coupons', 'templates.stock', { templateId: 'tpl_nope', delta: 1, requestId: 'stock-missing' }),
  ).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(
    await admin().call('coupons', 'templates.stock', {
      templateId: 'tpl_stock_test',
      delta: 0,
      requestId: 'stock-zero-0',
    }),
  ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
});

test('S10 stock: removing stock while members claim never leaves fewer in stock than claimed', async () => {
  await admin().ok(
    'coupons',
    'templates.create',
    draft('create-race-test', { totalStock: 10, templateId: 'tpl_race' }),
  );
  const openids = Array.from({ length: 8 }, (_, i) => `o_race_${i}`);
  await seedMembers(emu, openids);
  const [claims, cuts] = await Promise.all([
    Promise.all(
      openids.map((o, i) =>
        as(emu, o).call('coupons', 'claim', { templateId: 'tpl_race', requestId: `race-claim-${i}` }),
      ),
    ),
    Promise.all(
      [1, 2, 3].map((i) =>
        admin().call('coupons', 'templates.stock', { templateId: 'tpl_race', delta: -3, requestId: `race-cut-${i}` }),
      ),
    ),
  ]);
  const doc = await templateDoc(db, 'tpl_race');
  const stock = await stockOf('tpl_race');
  expect(stock.lowest).toBeGreaterThanOrEqual(0);
  expect(doc.totalStock).toBe(stock.issued + stock.left);
  expect(stock.issued).toBe(claims.filter((c) => c.ok).length);
  expect(doc.totalStock).toBe(10 - 3 * cuts.filter((c) => c.ok).length);
  expect((await db.collection('coupons').where({ templateId: 'tpl_race' }).count()).total).toBe(stock.issued);
});

test('S10 pause: a paused template cannot be claimed or granted (nor shown in the claim centre); resuming makes it claimable; both audited', async () => {
  const [m] = await seedMembers(emu, ['o_pause']);
  const paused = await admin().ok('coupons', 'templates.pause', { templateId: 'tpl_spring_50', paused: true });
  expect(paused).toMatchObject({ changed: true, template: { paused: true } });
  expect(await admin().ok('coupons', 'templates.pause', { templateId: 'tpl_spring_50', paused: true })).toMatchObject({
    changed: false,
  });

  const member = as(emu, 'o_pause');
  expect(
    await member.call('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'pause-claim-1' }),
  ).toMatchObject({ ok: false, error: { code: 'COUPON_PAUSED' } });
  expect((await member.ok('coupons', 'claimCentre', {})).items.map((i) => i.templateId)).not.toContain('tpl_spring_50');
  await admin().ok('coupons', 'templates.pause', { templateId: 'tpl_welcome_10off', paused: true });
  const grant = await admin().call('coupons', 'grant', {
    templateId: 'tpl_welcome_10off',
    memberId: m!,
    reason: '暂停测试',
  });
  expect(grant).toMatchObject({ ok: false, error: { code: 'COUPON_PAUSED' } });
  expect((await db.collection('coupons').where({ memberId: m }).count()).total).toBe(0);

  await admin().ok('coupons', 'templates.pause', { templateId: 'tpl_spring_50', paused: false });
  expect(
    await member.ok('coupons', 'claim', { templateId: 'tpl_spring_50', requestId: 'pause-claim-2' }),
  ).toMatchObject({ coupon: { templateId: 'tpl_spring_50' } });
  const trail = await auditOf({ action: 'coupons.templates.pause', target: 'coupon_templates/tpl_spring_50' });
  expect(trail).toHaveLength(2);
  expect(trail.map((r) => [r.before, r.after])).toEqual(
    expect.arrayContaining([
      [{ paused: false }, { paused: true }],
      [{ paused: true }, { paused: false }],
    ]),
  );
});

test('S10 list: stock left, claimed and redeemed per template, newest first, paged by 20', async () => {
  const [m] = await seedMembers(emu, ['o_redeemer']);
  await admin().ok('coupons', 'templates.create', draft('create-list-test', { templateId: 'tpl_list', totalStock: 5 }));
  const claim = await as(emu, 'o_redeemer').ok('coupons', 'claim', {
    templateId: 'tpl_list',
    requestId: 'list-claim-1',
  });
  const { code } = await as(emu, 'o_redeemer').ok('coupons', 'detail', { couponId: claim.coupon.couponId });
  await as(emu, STAFF.advisor).ok('coupons', 'redeem', { code, storeId: STORE_SH, orderAmountFen: 40000, memberId: m });

  const p0 = await admin().ok('coupons', 'templates.list', {});
  expect(p0.items[0]).toMatchObject({ templateId: 'tpl_list', totalStock: 5, claimed: 1, redeemed: 1, stockLeft: 4 });
  expect(p0.items.find((t) => t.templateId === 'tpl_mall_30')).toMatchObject({
    totalStock: null,
    stockLeft: null,
    pointsCost: 300,
  });
  expect(p0.pageSize).toBe(20);

  for (let i = 0; i < 20; i++) await admin().ok('coupons', 'templates.create', draft(`create-bulk-${i}-x`));
  const a = await admin().ok('coupons', 'templates.list', {});
  const b = await admin().ok('coupons', 'templates.list', { page: 1 });
  expect([a.items.length, a.hasMore]).toEqual([20, true]);
  const all = [...a.items, ...b.items].map((t) => t.templateId);
  expect(new Set(all).size).toBe(await countOf('coupon_templates'));
  expect(all.slice(-5).sort()).toEqual([
    'tpl_mall_30',
    'tpl_mall_silk_scarf',
    'tpl_referral_20',
    'tpl_spring_50',
    'tpl_welcome_10off',
  ]); // seeded, undated: last
});

test('S21 only brand admins manage templates: managers and advisors → FORBIDDEN, others → NOT_STAFF, each refusal audited, nothing changed', async () => {
  const before = await templateDoc(db, 'tpl_mall_silk_scarf');
  const tries = [
    ['store_manager', STAFF.manager, 'FORBIDDEN', 'staff_manager_sh'],
    ['advisor', STAFF.advisor, 'FORBIDDEN', 'staff_advisor_sh'],
    ['none', 'o_member_x', 'NOT_STAFF', 'o_member_x'],
  ] as const;
  for (const [role, openid, code, who] of tries) {
    expect(
      await as(emu, openid).call('coupons', 'templates.pause', { templateId: 'tpl_mall_silk_scarf', paused: true }),
    ).toMatchObject({ ok: false, error: { code } });
    expect(
      await as(emu, openid).call('coupons', 'templates.stock', {
        templateId: 'tpl_mall_silk_scarf',
        delta: 100,
        requestId: `denied-${role}`,
      }),
    ).toMatchObject({ ok: false, error: { code } });
    expect(await auditOf({ who, action: 'refused:coupons.templates.pause' })).toEqual([
      expect.objectContaining({ role, refused: { code } }),
    ]);
  }
  expect(await templateDoc(db, 'tpl_mall_silk_scarf')).toEqual(before);
});
