import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { ROOT } from '../../../scripts/build-functions';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { devSecret, syncSecretName } from '../../../server/http/secrets';
import { emulatorNow, functionsDirWith, order, separateEmulator, setClock, syncOrders } from './support';

/**
 * S5 order sources are the brand's configuration: the demo brand's sources, with a clock skew of
 * their own for tmall (60 s) and jd (900 s) and a source `red` whose secret variable is named in the
 * configuration, in a brand file the functions read through BRAND_CONFIG. Fixtures: the demo brand's
 * stores and staff (for the portrait, read by a brand admin).
 */
let emu: Emulator;
let dir: string;
let brandFile: string;
let db: Sdk['db'];
const T0 = new Date('2026-03-02T02:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);
const RED_SECRET = 'red-secret-from-the-environment';

beforeAll(async () => {
  const brand = JSON.parse(readFileSync(join(__dirname, '../../../config/brand.demo.json'), 'utf8'));
  const skew: Record<string, number> = { tmall: 60, jd: 900 };
  const withSkew = (s: { name: string }) => (skew[s.name] ? { ...s, maxClockSkewSeconds: skew[s.name] } : s);
  brand.orderSync.sources = [
    ...brand.orderSync.sources.map((s: { name: string }) => withSkew(s)),
    { name: 'red', label: '小红书店铺', channel: 'ecommerce', secretEnv: 'RED_HMAC' },
  ];
  brandFile = join(ROOT, 'test-artifacts', `brand-sources-${process.pid}.json`);
  const env = { BRAND_CONFIG: brandFile, RED_HMAC: RED_SECRET };
  dir = functionsDirWith(['orders', 'member', 'points'], ['attachOrders'], env);
  writeFileSync(brandFile, JSON.stringify(brand));
  emu = await separateEmulator(dir);
  ({ db } = connectSdk(emu));
  await setClock(emu, { set: T0.toISOString() });
}, 60_000);
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(brandFile, { force: true });
});

type Stored = { orderNo: string };
const count = async (coll: string) => (await db.collection(coll).count()).total as number;
const written = async () => [await count('orders'), await count('events'), await count('nonces')];

test("S5 sources: tmall and jd orders sync and earn points, shown under the brand's names", async () => {
  const who = [{ type: 'openid', value: 'o_src_nancy' }];
  const me = as(emu, 'o_src_nancy');
  await me.ok('member', 'login', {});
  const paidOrder = (source: string, orderNo: string, totalFen: number, at: Date) =>
    order({ source, orderNo, customer: who, totalFen, createdAt: at, paidAt: at });
  const paid = (source: string, orderNo: string, totalFen: number, at: number) =>
    syncOrders(emu, source, [paidOrder(source, orderNo, totalFen, minutes(at))]);
  const tmall = await paid('tmall', 'TM-1', 30_000, -30);
  const jd = await paid('jd', 'JD-1', 12_000, -20);
  expect(tmall).toMatchObject({ status: 200, json: { ok: true, data: { accepted: 1, rejected: 0 } } });
  expect(jd).toMatchObject({ status: 200, json: { ok: true, data: { accepted: 1, rejected: 0 } } });

  const history = (await me.ok('points', 'history', {})).items as { amount: number; orderId?: string }[];
  expect(history.map((r) => [r.orderId, r.amount]).sort()).toEqual([
    ['jd:JD-1', 120],
    ['tmall:TM-1', 300],
  ]);
  expect((await me.ok('points', 'summary', {})).balance).toBe(420);
  const orders = (await me.ok('orders', 'mine', {})).items as { orderId: string; sourceLabel: string }[];
  expect(orders.map((o) => [o.orderId, o.sourceLabel])).toEqual([
    ['jd:JD-1', '京东自营店'],
    ['tmall:TM-1', '天猫旗舰店'],
  ]);
});

test('S5 sources: an unconfigured source is refused with nothing written, even with a development secret', async () => {
  const before = await written();
  for (const source of ['weibo', 'ecommerce', 'miniprogram']) {
    const o = order({ source, orderNo: `X-${source}`, createdAt: minutes(-5) });
    const r = await syncOrders(emu, source, [o], { secret: devSecret(syncSecretName(source)) });
    expect(r).toMatchObject({ status: 401, json: { ok: false, error: { code: 'UNKNOWN_SOURCE' } } });
  }
  expect(await written()).toEqual(before);
});

test('S5 sources: a configured source signs with the variable its configuration names', async () => {
  const o = order({ source: 'red', orderNo: 'RED-1', createdAt: minutes(-5) });
  const withDevSecret = await syncOrders(emu, 'red', [o], { secret: devSecret('RED_HMAC') });
  expect(withDevSecret).toMatchObject({ status: 401, json: { error: { code: 'SIGNATURE_INVALID' } } });
  const ok = await syncOrders(emu, 'red', [o], { secret: RED_SECRET });
  expect(ok).toMatchObject({ status: 200, json: { data: { accepted: 1 } } });
});

test("S5 sources: each source's clock skew is honoured (pos 300 s, tmall 60 s, jd 900 s)", async () => {
  const now = await emulatorNow(emu);
  const ago = (s: number) => new Date(now.getTime() - s * 1000);
  const send = (source: string, no: string, seconds: number) =>
    syncOrders(emu, source, [order({ source, orderNo: no, createdAt: minutes(-60) })], { at: ago(seconds) });
  const expired = { status: 401, json: { error: { code: 'SIGNATURE_EXPIRED' } } };

  expect((await send('pos', 'SK-P1', 120)).status).toBe(200);
  expect(await send('tmall', 'SK-T1', 120)).toMatchObject(expired);
  expect((await send('tmall', 'SK-T2', 45)).status).toBe(200);
  expect(await send('pos', 'SK-P2', 600)).toMatchObject(expired);
  expect((await send('jd', 'SK-J1', 600)).status).toBe(200);
  expect(await send('jd', 'SK-J2', 1000)).toMatchObject(expired);
  const tried = ['SK-P1', 'SK-P2', 'SK-T1', 'SK-T2', 'SK-J1', 'SK-J2'];
  const stored = (
    await db
      .collection('orders')
      .where({ orderNo: db.command.in(tried) })
      .get()
  ).data as Stored[];
  expect(stored.map((o) => o.orderNo).sort()).toEqual(['SK-J1', 'SK-P1', 'SK-T2']);
});

test("S5 sources: an order's channel is its source's kind: tmall counts as e-commerce in the portrait", async () => {
  await db.collection('staff').add({ data: demoBrand.staff.map((s) => ({ ...s, storeIds: [...s.storeIds] })) });
  const me = as(emu, 'o_src_lizzy');
  const { memberId } = await me.ok('member', 'login', {});
  const customer = [{ type: 'openid', value: 'o_src_lizzy' }];
  const at = minutes(-10);
  await syncOrders(emu, 'tmall', [order({ source: 'tmall', orderNo: 'TM-2', customer, createdAt: at, paidAt: at })]);
  const portrait = await as(emu, 'o_demo_admin').ok('orders', 'portrait', { memberId });
  expect(portrait.tags.map((t: { tagId: string }) => t.tagId)).toContain('channel_ecommerce');
});
