import { ownEmulator } from '../../support/own-emulator';
import type { Sdk } from '../../support/sdk';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { syncOrders, order } from '../orders/support';
import { events, product, syncProducts, webTrack } from './support';

/** Behaviour in: the Mini Program's batches and the website's signed ones, with consent, joined to members. */
let emu: Emulator;
let close: () => Promise<void>;
let db: Sdk['db'];
const T0 = new Date('2026-03-02T02:00:00Z');

beforeAll(async () => {
  ({ emu, db, close } = await ownEmulator(['orders', 'member'], [], T0));
  await syncProducts(emu, [
    product('QP-1', { category: 'qipao' }),
    product('QP-2', { category: 'qipao', updatedAt: new Date('2026-03-01T01:00:00Z') }),
    product('SC-1', { category: 'scarf' }),
    product('SC-2', { category: 'scarf', updatedAt: new Date('2026-03-01T01:00:00Z') }),
    product('TE-1', { category: 'tea' }),
  ]);
});
afterAll(() => close());

const rowsOf = async (where: Record<string, unknown>) =>
  (await db.collection('behaviour').where(where).limit(100).get()).data as Record<string, unknown>[];
const cartEvents = async (memberId: string) =>
  (await db.collection('events').where({ memberId, type: 'cart.item_added' }).limit(100).get()).data as {
    data: { productId: string };
  }[];

test('Mini Program tracking: refused without consent; with it stored once, categories from the catalogue, cart events', async () => {
  const me = as(emu, 'o_track_1');
  const { memberId, trackingOptIn } = await me.ok('member', 'login', {});
  expect(trackingOptIn).toBe(false);
  const batch = await events(emu, [
    { kind: 'page_view', page: 'pages/home/index' },
    { kind: 'product_view', productId: 'SC-1' },
    { kind: 'add_to_cart', productId: 'SC-1' },
    { kind: 'search', query: '真丝围巾' },
  ]);
  expect(await me.call('member', 'track', { events: batch })).toMatchObject({
    ok: false,
    error: { code: 'TRACKING_NOT_CONSENTED' },
  });
  expect(await rowsOf({ memberId })).toEqual([]);

  await me.ok('member', 'setTrackingConsent', { optIn: true });
  expect((await me.ok('member', 'login', {})).trackingOptIn).toBe(true);
  expect(await me.ok('member', 'track', { events: batch })).toEqual({ accepted: 4, dropped: 0 });
  expect(await me.ok('member', 'track', { events: batch })).toEqual({ accepted: 4, dropped: 0 });
  const rows = await rowsOf({ memberId });
  expect(rows.map((r) => r.kind).sort()).toEqual(['add_to_cart', 'page_view', 'product_view', 'search']);
  expect(rows.find((r) => r.kind === 'add_to_cart')).toMatchObject({ productId: 'SC-1', category: 'scarf', via: 'mp' });
  expect((await cartEvents(memberId)).map((e) => e.data.productId)).toEqual(['SC-1']);

  const bad = await me.call('member', 'track', { events: [{ kind: 'product_view', at: batch[0]!.at! } as never] });
  expect(bad).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  const stale = [{ kind: 'share', productId: 'SC-1', at: new Date(T0.getTime() - 30 * 86_400_000).toISOString() }];
  expect(await me.ok('member', 'track', { events: stale as never })).toEqual({ accepted: 0, dropped: 1 });
});

test('recommended for you: categories viewed and bought lead, bought products left out; export and withdrawal cover behaviour', async () => {
  const me = as(emu, 'o_track_2');
  const { memberId } = await me.ok('member', 'login', {});
  expect((await me.ok('member', 'recommendations', { limit: 3 })).interests).toEqual([]);
  await me.ok('member', 'setTrackingConsent', { optIn: true });
  await me.ok('member', 'track', { events: await events(emu, [{ kind: 'product_view', productId: 'SC-2' }]) });
  const paid = order({ orderNo: 'R-1', customer: [{ type: 'openid', value: 'o_track_2' }], createdAt: T0, paidAt: T0 });
  paid.items = [{ sku: 'QP-1', category: 'qipao', qty: 1, priceFen: 128_000 }];
  expect((await syncOrders(emu, 'pos', [paid])).json.data.accepted).toBe(1);

  const r = await me.ok('member', 'recommendations', { limit: 3 });
  expect(r.interests.map((i) => i.category)).toEqual(['qipao', 'scarf']);
  expect(r.products.map((p) => p.productId)).toEqual(['QP-2', 'SC-2', 'SC-1']);

  const exported = await me.ok('member', 'exportData', {});
  expect(exported.data.behaviour).toEqual([expect.objectContaining({ kind: 'product_view', productId: 'SC-2' })]);
  expect(await me.ok('member', 'setTrackingConsent', { optIn: false })).toMatchObject({
    trackingOptIn: false,
    erased: 1,
  });
  expect(await rowsOf({ memberId })).toEqual([]);
  expect((await me.ok('member', 'recommendations', { limit: 3 })).interests.map((i) => i.category)).toEqual(['qipao']);
});

test('website tracking: refused without consent; anonymous events join the member when the visitor logs in on the site', async () => {
  const anonymousId = 'web-visitor-0001';
  const browse = await events(emu, [
    { kind: 'product_view', productId: 'TE-1' },
    { kind: 'add_to_cart', productId: 'TE-1' },
  ]);
  const refused = await webTrack(emu, { visitors: [{ anonymousId, events: browse }] });
  expect(refused).toMatchObject({ status: 403, json: { error: { code: 'TRACKING_NOT_CONSENTED' } } });
  expect(await rowsOf({ anonId: `pos:${anonymousId}` })).toEqual([]);

  const anon = await webTrack(emu, { consent: true, visitors: [{ anonymousId, events: browse }] });
  expect(anon).toMatchObject({ status: 200, json: { data: { accepted: 2, dropped: 0 } } });
  expect((await rowsOf({ anonId: `pos:${anonymousId}` })).map((r) => r.memberId)).toEqual([null, null]);

  const me = as(emu, 'o_track_web');
  const { memberId } = await me.ok('member', 'login', {});
  await me.ok('member', 'bindPhone', { code: 'phone:13900009001' });
  const login = await events(emu, [{ kind: 'page_view', page: 'account' }]);
  const identities = [{ type: 'phone', value: '13900009001' }];
  expect((await webTrack(emu, { consent: true, visitors: [{ anonymousId, identities, events: login }] })).status).toBe(
    200,
  );
  expect((await rowsOf({ anonId: `pos:${anonymousId}` })).map((r) => r.memberId)).toEqual([
    memberId,
    memberId,
    memberId,
  ]);

  // later visits of the same browser reach the member without logging in again
  const later = await events(emu, [{ kind: 'share', productId: 'TE-1' }]);
  await webTrack(emu, { consent: true, visitors: [{ anonymousId, events: later }] });
  expect(await rowsOf({ memberId, kind: 'share' })).toHaveLength(1);

  // a member who declined in the Mini Program: the site's events about them are dropped
  await me.ok('member', 'setTrackingConsent', { optIn: false });
  const dropped = await webTrack(emu, {
    consent: true,
    visitors: [{ anonymousId, events: await events(emu, [{ kind: 'search', query: '茶' }]) }],
  });
  expect(dropped.json.data).toEqual({ accepted: 0, dropped: 1 });
  expect(await rowsOf({ memberId })).toEqual([]);
});
