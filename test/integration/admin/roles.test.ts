import { randomBytes } from 'node:crypto';
import type { Emulator } from '../../../emulator/emulator';
import { generateCouponCode } from '../../../core/coupons';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { allows, PERMISSIONS, type StaffRole } from '../../../server/staff/permissions';
import { auditRows, seedMember, seedStaffAndStores, setClock, STAFF, STAFF_IDS, STORE, type Db } from './support';

/** S21: every admin action × every role, the role read from the database whatever the request says. */
let emu: Emulator;
let db: Db;

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [], startAt: new Date('2026-03-10T02:00:00Z') });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
  await seedStaffAndStores(db);
  await seedMember(db, { id: 'm_lin', openid: 'o_lin', phone: '13900000001', cardNo: 'SU0000001', name: '林小姐' });
  await db.collection('coupon_templates').add({ data: demoBrand.coupon_templates.map((t) => ({ ...t })) });
  await db.collection('journeys').add({ data: demoBrand.journeys.map((j) => JSON.parse(JSON.stringify(j))) });
  await db.collection('daily_stats').add({
    data: [
      {
        _id: '2026-03-09',
        followers: 10,
        members: 5,
        paidCustomers: 4,
        paidFollowers: 2,
        paidAmongFollowers: 0.2,
        newMembers: 1,
        stages: { repeat: 4 },
      },
    ],
  });
});
afterAll(() => emu?.close());

type Caller = StaffRole | 'non_staff';
const CALLERS: Caller[] = ['brand_admin', 'store_manager', 'advisor', 'non_staff'];
const openidOf = (c: Caller, row: string) => (c === 'non_staff' ? `o_outsider_${row}` : STAFF[c]);

/** The issue's table, written out: who may call what (true = succeeds). Keys are admin actions, or `fn:action` for other functions' staff actions. */
const EXPECTED: Record<string, Record<Caller, boolean>> = {
  'staff.invite': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'staff.redeemInvite': { brand_admin: false, store_manager: false, advisor: false, non_staff: true },
  'staff.me': { brand_admin: true, store_manager: true, advisor: true, non_staff: true },
  'members.lookup': { brand_admin: true, store_manager: true, advisor: true, non_staff: false },
  'members.tag': { brand_admin: true, store_manager: true, advisor: true, non_staff: false },
  'audit.list': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'dashboard.summary': { brand_admin: true, store_manager: true, advisor: false, non_staff: false },
  'coupons:templates.list': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'coupons:templates.create': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'coupons:templates.stock': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'coupons:templates.pause': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'messaging:journeys.list': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'messaging:journeys.setEnabled': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'messaging:segments.list': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'messaging:campaigns.list': { brand_admin: true, store_manager: false, advisor: false, non_staff: false },
  'coupons:inspect': { brand_admin: true, store_manager: true, advisor: true, non_staff: false },
};
const PERMISSION_OF: Record<string, keyof typeof PERMISSIONS | null> = {
  'staff.invite': 'staff.invite',
  'staff.redeemInvite': null,
  'staff.me': 'staff.me',
  'members.lookup': 'member.lookup',
  'members.tag': 'member.tag',
  'audit.list': 'audit.read',
  'dashboard.summary': 'dashboard.read',
  'coupons:templates.list': 'coupons.manageTemplates',
  'coupons:templates.create': 'coupons.manageTemplates',
  'coupons:templates.stock': 'coupons.manageTemplates',
  'coupons:templates.pause': 'coupons.manageTemplates',
  'messaging:journeys.list': 'journeys.manage',
  'messaging:journeys.setEnabled': 'journeys.manage',
  'messaging:segments.list': 'segments.manage',
  'messaging:campaigns.list': 'campaigns.send',
  'coupons:inspect': 'coupons.redeem',
};
/** `coupons:templates.list` → ['coupons', 'templates.list']; a bare name is an admin action. */
const routeOf = (key: string): [string, string] =>
  key.includes(':') ? (key.split(':') as [string, string]) : ['admin', key];
let requests = 0;
const requestId = () => `roles-table-${++requests}`;

/** One coupon of m_lin, written straight to the store, for the read-only inspect rows. */
let couponCode: string | undefined;
async function inspectableCode(): Promise<string> {
  if (couponCode) return couponCode;
  const code = generateCouponCode(randomBytes(7));
  const at = new Date('2026-03-10T02:00:00Z');
  await db.collection('coupons').add({
    data: {
      _id: 'cp_roles_table',
      templateId: 'tpl_spring_50',
      memberId: 'm_lin',
      code,
      name: { zh: '春装满 500 减 50' },
      benefit: { kind: 'amountOff', amountFen: 5000 },
      minSpendFen: 50000,
      storeIds: null,
      claimedAt: at,
      validFrom: at,
      validUntil: new Date('2026-03-24T16:00:00Z'),
      usedAt: null,
      channel: 'claimCentre',
      status: 'available',
    },
  });
  return (couponCode = code);
}

let codes = 0;
const newInvite = async (): Promise<string> =>
  (
    await as(emu, STAFF.brand_admin).ok('admin', 'staff.invite', {
      inviteRole: 'advisor',
      storeIds: [STORE],
      name: `顾问${++codes}`,
    })
  ).code;

async function inputFor(action: string): Promise<Record<string, unknown>> {
  switch (action) {
    case 'staff.invite':
      return { inviteRole: 'advisor', storeIds: [STORE], name: '新顾问' };
    case 'staff.redeemInvite':
      return { code: await newInvite() };
    case 'staff.me':
      return {};
    case 'members.lookup':
      return { query: '13900000001' };
    case 'members.tag':
      return { memberId: 'm_lin', add: ['table-test'], reason: '表格测试' };
    case 'audit.list':
      return {};
    case 'dashboard.summary':
      return { from: '2026-03-01', to: '2026-03-09' };
    case 'coupons:templates.list':
      return {};
    case 'coupons:templates.create':
      return {
        name: { zh: '表格测试券' },
        benefit: { kind: 'amountOff', amountFen: 500 },
        validity: { kind: 'daysAfterClaim', days: 7 },
        totalStock: 10,
        requestId: requestId(),
      };
    case 'coupons:templates.stock':
      return { templateId: 'tpl_spring_50', delta: 1, requestId: requestId() };
    case 'coupons:templates.pause':
      return { templateId: 'tpl_spring_50', paused: false };
    case 'messaging:journeys.list':
      return {};
    case 'messaging:journeys.setEnabled':
      return { journeyId: 'birthday-greeting', enabled: true };
    case 'messaging:segments.list':
      return {};
    case 'messaging:campaigns.list':
      return {};
    case 'coupons:inspect':
      return { code: await inspectableCode(), storeId: STORE };
    default:
      throw new Error(action);
  }
}

test('S21 the written table agrees with the permission table in server/staff/permissions.ts', () => {
  for (const [action, row] of Object.entries(EXPECTED)) {
    const p = PERMISSION_OF[action];
    if (!p) continue;
    for (const role of ['brand_admin', 'store_manager', 'advisor'] as const)
      expect([action, role, allows(role, p)]).toEqual([action, role, row[role]]);
  }
});

const cases = Object.keys(EXPECTED).flatMap((action) => CALLERS.map((caller) => [action, caller] as const));

test.each(cases)('S21 %s as %s: allowed exactly per the table', async (action, caller) => {
  const input = await inputFor(action);
  const openid = openidOf(caller, `${action}_${caller}`);
  const [fn, name] = routeOf(action);
  const r = await as(emu, openid).call(fn as 'admin', name as never, input as never);
  if (EXPECTED[action]![caller]) {
    expect(r).toMatchObject({ ok: true });
    if (action === 'staff.me')
      expect((r as { data: { staff: unknown } }).data.staff === null).toBe(caller === 'non_staff');
    return;
  }
  const code = action === 'staff.redeemInvite' ? 'ALREADY_STAFF' : caller === 'non_staff' ? 'NOT_STAFF' : 'FORBIDDEN';
  expect(r).toMatchObject({ ok: false, error: { code } });
  // the refusal itself is on the trail, naming who tried
  const who = caller === 'non_staff' ? openid : STAFF_IDS[caller];
  expect(await auditRows(db, { who, action: `refused:${fn}.${name}`, 'refused.code': code })).toEqual([
    expect.objectContaining({ refused: { code } }),
  ]);
});

test.each(cases)('S21 %s as %s with a forged { role: "brand_admin" }: denied and audited', async (action, caller) => {
  const openid = openidOf(caller, `forged_${action}_${caller}`);
  const input = { ...(await inputFor(action)), role: 'brand_admin' };
  const before = (await auditRows(db, { action: 'members.tag' })).length;
  const [fn, name] = routeOf(action);
  const r = await as(emu, openid).call(fn as 'admin', name as never, input as never);
  expect(r).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const who = caller === 'non_staff' ? openid : STAFF_IDS[caller];
  expect(await auditRows(db, { who, action: `refused:${fn}.${name}`, 'refused.code': 'INVALID_INPUT' })).toEqual([
    expect.objectContaining({
      role: caller === 'non_staff' ? 'none' : caller,
      refused: { code: 'INVALID_INPUT', fields: ['role'] },
    }),
  ]);
  // nothing was done
  expect(await auditRows(db, { action: 'members.tag' })).toHaveLength(before);
});

test('S21 an invitation binds the OpenID that redeems it, once; the new advisor acts with the invited role only', async () => {
  const code = await newInvite();
  const joined = await as(emu, 'o_new_advisor').ok('admin', 'staff.redeemInvite', { code });
  expect(joined).toMatchObject({ role: 'advisor', storeIds: [STORE] });
  expect(await as(emu, 'o_someone_else').call('admin', 'staff.redeemInvite', { code })).toMatchObject({
    ok: false,
    error: { code: 'INVITE_USED' },
  });
  expect(await as(emu, 'o_new_advisor').call('admin', 'staff.redeemInvite', { code })).toMatchObject({
    ok: false,
    error: { code: 'ALREADY_STAFF' },
  });
  expect(await as(emu, 'o_guess').call('admin', 'staff.redeemInvite', { code: 'ZZZZZZZZZZ' })).toMatchObject({
    ok: false,
    error: { code: 'INVITE_INVALID' },
  });
  expect((await db.collection('staff').where({ openid: 'o_someone_else' }).get()).data).toHaveLength(0);

  const me = await as(emu, 'o_new_advisor').ok('admin', 'staff.me', {});
  expect(me.staff).toMatchObject({ staffId: joined.staffId, role: 'advisor', storeIds: [STORE] });
  expect(me.staff!.permissions).toContain('member.lookup');
  expect(me.staff!.permissions).not.toContain('audit.read');
  expect(await as(emu, 'o_new_advisor').call('admin', 'audit.list', {})).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  });

  const invite = await auditRows(db, { action: 'staff.invite', target: `staff_invites/${code}` });
  expect(invite).toEqual([
    expect.objectContaining({
      who: STAFF_IDS.brand_admin,
      role: 'brand_admin',
      after: expect.objectContaining({ role: 'advisor' }),
    }),
  ]);
  expect(await auditRows(db, { action: 'staff.redeemInvite', who: joined.staffId })).toEqual([
    expect.objectContaining({ role: 'advisor', target: `staff/${joined.staffId}` }),
  ]);
  expect(await auditRows(db, { action: 'refused:admin.staff.redeemInvite', who: 'o_someone_else' })).toEqual([
    expect.objectContaining({ refused: { code: 'INVITE_USED' } }),
  ]);
});

test('S21 two people redeeming one code at once: one becomes staff', async () => {
  const code = await newInvite();
  const results = await Promise.all(
    ['o_race_a', 'o_race_b'].map((o) => as(emu, o).call('admin', 'staff.redeemInvite', { code })),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(1);
  expect(
    (
      await db
        .collection('staff')
        .where({ openid: db.command.in(['o_race_a', 'o_race_b']) })
        .get()
    ).data,
  ).toHaveLength(1);
});

test('S21 tags: added and removed with before and after on the trail; admins filter the trail by staff, member and action', async () => {
  const manager = as(emu, STAFF.store_manager);
  await manager.ok('admin', 'members.tag', { memberId: 'm_lin', add: ['wedding-2026'], reason: '婚礼客户' });
  const r = await manager.ok('admin', 'members.tag', { memberId: 'm_lin', remove: ['wedding-2026', 'vip-silk'] });
  expect(r.tags).not.toContain('wedding-2026');
  expect(r.tags).not.toContain('vip-silk');

  const trail = await as(emu, STAFF.brand_admin).ok('admin', 'audit.list', {
    staffId: STAFF_IDS.store_manager,
    memberId: 'm_lin',
    auditAction: 'members.tag',
  });
  expect(trail.items.length).toBeGreaterThanOrEqual(2);
  const [last, first] = trail.items;
  expect(last).toMatchObject({
    who: STAFF_IDS.store_manager,
    role: 'store_manager',
    action: 'members.tag',
    target: 'm_lin',
  });
  expect(last!.before!.tags).toEqual(expect.arrayContaining(['wedding-2026', 'vip-silk']));
  expect(last!.after!.tags).not.toEqual(expect.arrayContaining(['wedding-2026']));
  expect(first).toMatchObject({ reason: '婚礼客户', after: { tags: expect.arrayContaining(['wedding-2026']) } });
  expect(trail.items.every((i) => i.who === STAFF_IDS.store_manager && i.action === 'members.tag')).toBe(true);
  expect(await as(emu, 'o_lin').call('admin', 'members.tag', { memberId: 'm_lin', add: ['self'] })).toMatchObject({
    ok: false,
    error: { code: 'NOT_STAFF' },
  });
});

test('S21 audit pages by 20, newest first', async () => {
  const advisor = as(emu, STAFF.advisor);
  for (let i = 0; i < 22; i++) await advisor.ok('admin', 'members.tag', { memberId: 'm_lin', add: [`page-${i}`] });
  const admin = as(emu, STAFF.brand_admin);
  const p0 = await admin.ok('admin', 'audit.list', { staffId: STAFF_IDS.advisor, auditAction: 'members.tag' });
  const p1 = await admin.ok('admin', 'audit.list', { staffId: STAFF_IDS.advisor, auditAction: 'members.tag', page: 1 });
  expect([p0.items.length, p0.hasMore, p0.pageSize]).toEqual([20, true, 20]);
  expect(p1.items.length).toBeGreaterThanOrEqual(2);
  const all = [...p0.items, ...p1.items];
  expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
  expect(all.map((i) => i.at)).toEqual([...all.map((i) => i.at)].sort().reverse());
  expect(p0.items[0]!.after!.tags).toContain('page-21');
});

test('S21 an advisor adjusts at most 500 points a day (counted per staff-day); the refusal changes nothing', async () => {
  await db.collection('members').add({
    data: [
      {
        _id: 'm_pts',
        state: 'member',
        openid: 'o_pts',
        firstSeenAt: new Date(),
        lastSeenAt: new Date(),
        createdAt: new Date(),
      },
    ],
  });
  await db.collection('identities').add({
    data: [{ _id: 'mp_openid:o_pts', type: 'mp_openid', value: 'o_pts', memberId: 'm_pts', linkedAt: new Date() }],
  });
  const advisor = as(emu, STAFF.advisor);
  const first = { memberId: 'm_pts', delta: 300, reason: '活动补偿', requestId: 'limit-adjust-1' };
  expect(await advisor.ok('points', 'adjust', first)).toMatchObject({ balance: 300 });
  expect(await advisor.ok('points', 'adjust', first)).toMatchObject({ replayed: true });
  const over = await advisor.call('points', 'adjust', {
    memberId: 'm_pts',
    delta: 250,
    reason: '活动补偿',
    requestId: 'limit-adjust-2',
  });
  expect(over).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', details: { reason: 'DAILY_LIMIT', limit: 500, used: 300 } },
  });
  expect(
    await advisor.ok('points', 'adjust', {
      memberId: 'm_pts',
      delta: -200,
      reason: '扣回',
      requestId: 'limit-adjust-3',
    }),
  ).toMatchObject({ balance: 100 });
  expect((await db.collection('staff_limits').doc(`${STAFF_IDS.advisor}:2026-03-10`).get()).data).toMatchObject({
    used: { 'points.adjust': 500 },
  });
  expect(await auditRows(db, { action: 'points.adjust', target: 'm_pts' })).toHaveLength(2);

  await setClock(emu, '2026-03-10T16:30:00Z'); // 00:30 on the 11th in Shanghai: a new day
  expect(
    await advisor.ok('points', 'adjust', {
      memberId: 'm_pts',
      delta: 250,
      reason: '活动补偿',
      requestId: 'limit-adjust-2',
    }),
  ).toMatchObject({ balance: 350, replayed: false });
});
