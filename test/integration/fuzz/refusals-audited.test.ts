import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { seedDemo } from '../member/helpers';
import { auditRows, STAFF, STAFF_IDS, STORE } from '../admin/support';

/**
 * One rule in the router audits every refused staff action, of every function: a caller who is not
 * staff, a role or store that may not, or fields the contract does not know. Nothing else is written.
 */
let emu: Emulator;
let db: ReturnType<typeof connectSdk>['db'];

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [], startAt: new Date('2026-03-10T02:00:00Z') });
  seedDemo(emu); // the demo brand: staff of each role, stores, coupon templates
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
});
afterAll(() => emu?.close());

const rule = { field: 'isMember', op: 'is', value: true };
/** Staff actions the audit missed before, each with a well-formed input. */
const message = { channel: 'subscribe', template: 't' };
const CASES: [fn: string, action: string, input: Record<string, unknown>][] = [
  ['points', 'adjust', { memberId: 'm_any', delta: 10, reason: '补偿积分', requestId: 'audit-case-1' }],
  ['points', 'earnOrder', { memberId: 'm_any', orderId: 'o-1', amountFen: 100 }],
  ['appointments', 'schedule', { storeId: STORE, date: '2026-03-10' }],
  ['coupons', 'redeem', { code: 'ABCD2345EFGH', storeId: STORE }],
  ['coupons', 'grant', { templateId: 'tpl_spring_50', memberId: 'm_any', reason: '补发' }],
  ['messaging', 'segments.preview', { rule }],
  ['messaging', 'segments.save', { id: 'seg-audit', name: '审计', rule }],
  ['messaging', 'campaigns.send', { id: 'cmp-audit', name: '审计', segmentId: 'seg-audit', message }],
  ['member', 'resolveMemberCode', { code: 'x'.repeat(20) }],
  ['admin', 'tags.list', {}],
  ['admin', 'tags.save', { tag: { id: 'audit_tag', category: 'behaviour', kind: 'manual', name: { zh: '审计' } } }],
  ['admin', 'tags.archive', { id: 'audit_tag', archived: true }],
  ['admin', 'tags.bulk', { jobId: 'job_audit', segmentId: 'seg-audit', tagId: 'audit_tag', op: 'add' }],
  ['admin', 'tags.job', { jobId: 'job_audit' }],
  ['admin', 'lifecycle.rebuild', {}],
  ['admin', 'lifecycle.rebuildProgress', {}],
];

const writesBesidesAudit = async (): Promise<Record<string, number>> => {
  const out: Record<string, number> = {};
  const written = [
    'points_ledger',
    'coupons',
    'segments',
    'campaigns',
    'staff_limits',
    'appointments',
    'members',
    'tags',
    'tag_jobs',
    'lifecycle_rebuilds',
  ];
  for (const c of written) {
    out[c] = (await db.collection(c).count()).total;
  }
  return out;
};

test.each(CASES)('%s.%s refused for a non-staff caller: audited as refused:<fn>.<action>', async (fn, action, data) => {
  const openid = `o_outsider_${fn}_${action}`;
  const before = await writesBesidesAudit();
  const r = (await as(emu, openid).raw(fn, { action, ...data })).result as { ok: boolean; error: { code: string } };
  expect(r.ok).toBe(false);
  expect(['NOT_STAFF', 'FORBIDDEN']).toContain(r.error.code);
  expect(await auditRows(db, { who: openid, action: `refused:${fn}.${action}` })).toEqual([
    expect.objectContaining({ role: 'none', target: fn, refused: { code: r.error.code } }),
  ]);
  expect(await writesBesidesAudit()).toEqual(before);
});

test('a staff member whose role may not: audited with the staff id and role', async () => {
  const input = { id: 'seg-advisor', name: '顾问', rule: rule as never };
  const r = await as(emu, STAFF.advisor).call('messaging', 'segments.save', input);
  expect(r).toMatchObject({ ok: false });
  const rows = await auditRows(db, { who: STAFF_IDS.advisor, action: 'refused:messaging.segments.save' });
  expect(rows).toEqual([
    expect.objectContaining({ role: 'advisor', refused: { code: (r as { error: { code: string } }).error.code } }),
  ]);
});

test('forged fields on any action are audited with the fields named; a plain typo is not', async () => {
  const adjust = { action: 'adjust', memberId: 'm_any', delta: 5, reason: '补偿积分' };
  const forgedInput = { ...adjust, requestId: 'audit-forged-1', role: 'brand_admin' };
  const forged = await as(emu, STAFF.advisor).raw('points', forgedInput);
  expect(forged.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const where = { who: STAFF_IDS.advisor, action: 'refused:points.adjust', 'refused.code': 'INVALID_INPUT' };
  const rows = await auditRows(db, where);
  expect(rows).toEqual([expect.objectContaining({ refused: { code: 'INVALID_INPUT', fields: ['role'] } })]);
  const body = '{"openid":"o_proto_audit","data":{"action":"summary","__proto__":{"role":"brand_admin"}}}';
  const proto = await fetch(`${emu.url}/invoke/points`, { method: 'POST', body });
  const protoResult = ((await proto.json()) as { result: unknown }).result;
  expect(protoResult).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(await auditRows(db, { who: 'o_proto_audit', action: 'refused:points.summary' })).toEqual([
    expect.objectContaining({ refused: { code: 'INVALID_INPUT', fields: ['__proto__'] } }),
  ]);

  const typo = await as(emu, STAFF.advisor).raw('points', { ...adjust, delta: 'five', requestId: 'audit-typo-1' });
  expect(typo.result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  expect(await auditRows(db, { who: STAFF_IDS.advisor, action: 'refused:points.adjust' })).toHaveLength(1);
});

test('an unknown action is not an attempt on anything: no audit row', async () => {
  await as(emu, 'o_unknown_action').raw('points', { action: 'adjustAll' });
  expect(await auditRows(db, { who: 'o_unknown_action' })).toEqual([]);
});
