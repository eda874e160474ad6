import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk } from '../../support/sdk';
import { emulatorNow, functionsDirWith, order, separateEmulator, setClock, syncOrders } from '../orders/support';
import { oaEventXml, oaQuery } from '../member/helpers';

/**
 * S20 insight: the nightly statistics turn what members did during a day (joined, bought, unfollowed)
 * into report rows, and the admin reads each report as a table or CSV. Members act through the
 * product only; the staff are the brand's set-up.
 */
let emu: Emulator;
let dir: string;
let db: ReturnType<typeof connectSdk>['db'];
const admin = () => as(emu, 'o_ins_admin');

beforeAll(async () => {
  dir = functionsDirWith(['orders', 'member', 'oa', 'messaging', 'admin'], ['dailyStats', 'insightStats']);
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  await setClock(emu, { set: '2026-03-10T02:00:00Z' }); // Tuesday 10:00 in Shanghai
  await db
    .collection('staff')
    .doc('staff_ins_admin')
    .set({ data: { openid: 'o_ins_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  await db
    .collection('staff')
    .doc('staff_ins_adv')
    .set({ data: { openid: 'o_ins_adv', name: '顾问', role: 'advisor', storeIds: [] } });
});
afterAll(async () => {
  await emu?.close();
  rmSync(dir, { recursive: true, force: true });
});

const oa = async (from: string, event: 'subscribe' | 'unsubscribe', at: number) => {
  const r = await fetch(`${emu.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from, event, at }),
  });
  expect(r.status).toBe(200);
};

test('S20 insight: a day of joins, a first order and an unfollow becomes the lifecycle, unfollow and retention reports, as tables and CSV', async () => {
  const buyer = as(emu, 'o_ins_buyer');
  await buyer.ok('member', 'login', {});
  await buyer.ok('member', 'claimCard', {
    name: '小王',
    birthday: '1990-01-02',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  const now = await emulatorNow(emu);
  const paidAt = new Date(now.getTime() - 60_000);
  await syncOrders(emu, 'pos', [
    order({ orderNo: 'INS-1', customer: [{ type: 'openid', value: 'o_ins_buyer' }], createdAt: paidAt, paidAt }),
  ]);
  const t = Math.floor(now.getTime() / 1000);
  await oa('oa_ins_fan', 'subscribe', t);
  await oa('oa_ins_fan', 'unsubscribe', t + 60);

  // the statistics of 10 March are computed at 00:05 on the 11th, the insight rows at 00:20
  await setClock(emu, { set: '2026-03-10T16:21:00Z' });

  const range = { from: '2026-03-09', to: '2026-03-15' };
  const lifecycle = await admin().ok('admin', 'insight.report', { kind: 'lifecycle', ...range });
  expect(lifecycle.columns).toEqual(['week', 'from', 'to', 'cause', 'members']);
  expect(lifecycle.rows).toContainEqual(['2026-03-09', expect.any(String), 'first_time', 'order', 1]);
  expect(lifecycle.rows.some((r) => r[3] === 'member.joined')).toBe(true);
  expect(lifecycle.asOf).toBe('2026-03-10');

  const unfollow = await admin().ok('admin', 'insight.report', { kind: 'unfollow', ...range });
  const unfollows = unfollow.rows.reduce((n, r) => n + Number(r[2]), 0);
  expect(unfollows).toBe(1);

  const retention = await admin().ok('admin', 'insight.report', { kind: 'retention', ...range });
  // the March cohort: one joined, one bought in its first month; later months are still to come
  expect(retention.rows.find((r) => r[0] === '2026-03')?.slice(0, 4)).toEqual(['2026-03', 1, 1, null]);
  expect(retention.columns.slice(0, 3)).toEqual(['cohort', 'joined', 'm0']);

  const referral = await admin().ok('admin', 'insight.report', { kind: 'referral', ...range });
  expect(referral.rows).toEqual([['2026-03-10', 0, 0, 0]]);

  const csv = await admin().ok('admin', 'insight.report', { kind: 'lifecycle', ...range, format: 'csv' });
  expect(csv.csv?.split('\n')[0]).toBe('week,from,to,cause,members');
  expect(csv.csv).toContain(',first_time,order,1');
});

test('S20 insight: an advisor may not read the reports, and a range over a year is refused', async () => {
  const r = await as(emu, 'o_ins_adv').call('admin', 'insight.report', {
    kind: 'lifecycle',
    from: '2026-03-01',
    to: '2026-03-10',
  });
  expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  const long = await admin().call('admin', 'insight.report', {
    kind: 'lifecycle',
    from: '2025-01-01',
    to: '2026-03-10',
  });
  expect(long).toMatchObject({ ok: false, error: { code: 'RANGE_TOO_LONG' } });
});

test('S20 member portrait: staff see stage changes and the order on one timeline, with RFM and LTV', async () => {
  const found = await admin().ok('admin', 'members.lookup', { query: '小王', by: 'name' });
  const memberId = found.members[0]!.memberId;
  const t = await admin().ok('admin', 'members.timeline', { memberId });
  expect(t.ltvFen).toBe(10_000);
  expect(t.rfm).not.toBeNull();
  expect(t.items.map((i) => i.kind)).toEqual(expect.arrayContaining(['stage', 'order']));
  expect(t.items.find((i) => i.kind === 'stage' && i.title.includes('first_time'))?.title).toMatch(
    /→ first_time \(pos:INS-1\)/,
  );
  const times = t.items.map((i) => i.at);
  expect([...times].sort().reverse()).toEqual(times);
  const unknown = await admin().call('admin', 'members.timeline', { memberId: 'm_nobody' });
  expect(unknown).toMatchObject({ ok: false, error: { code: 'MEMBER_NOT_FOUND' } });
});
