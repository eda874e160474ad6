import { ownEmulator } from '../../support/own-emulator';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { emulatorNow, order, setClock, signedPost, syncOrders } from './support';

/** S5 order sync through the emulator: the built `orders` function, signed HTTP, the real SDK underneath. */
let emu: Emulator;
let close: () => Promise<void>;
let db: Sdk['db'];
const T0 = new Date('2026-03-02T02:00:00Z');
const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

beforeAll(async () => {
  ({ emu, db, close } = await ownEmulator(['orders', 'member'], ['attachOrders'], T0));
});
afterAll(() => close());

const count = async (coll: string, where: Record<string, unknown> = {}) =>
  (await db.collection(coll).where(where).count()).total as number;
const eventsOf = async (orderId: string) =>
  ((await db.collection('events').where({ 'data.orderId': orderId }).limit(100).get()).data as { type: string }[])
    .map((e) => e.type)
    .filter((t) => t.startsWith('order.'))
    .sort();
const ledgerOf = async (memberId: string) =>
  (await db.collection('points_ledger').where({ memberId }).limit(100).get()).data as {
    _id: string;
    kind: string;
    amount: number;
  }[];

test('S5 sync: the same order 3× concurrently → one order, each transition once, points once', async () => {
  const me = await as(emu, 'o_s5_same').ok('member', 'login', {});
  const o = order({
    orderNo: 'P-1001',
    customer: [{ type: 'openid', value: 'o_s5_same' }],
    totalFen: 12_300,
    createdAt: minutes(-30),
    paidAt: minutes(-29),
  });
  const answers = await Promise.all([1, 2, 3].map(() => syncOrders(emu, 'pos', [o])));
  for (const a of answers)
    expect(a).toMatchObject({ status: 200, json: { ok: true, data: { accepted: 1, rejected: 0 } } });
  expect(answers.filter((a) => !a.json.data.results[0].replayed)).toHaveLength(1);

  expect(await count('orders', { orderNo: 'P-1001' })).toBe(1);
  const stored = (await db.collection('orders').doc('pos:P-1001').get()).data;
  expect(stored).toMatchObject({ memberId: me.memberId, status: 'paid', paidFen: 12_300 });
  expect(await eventsOf('pos:P-1001')).toEqual(['order.created', 'order.paid']);
  const earn = (await ledgerOf(me.memberId)).filter((r) => r.kind === 'earn');
  expect(earn).toHaveLength(1);
  expect(earn[0]!.amount).toBeGreaterThan(0);
  const member = (await db.collection('members').doc(me.memberId).get()).data;
  expect(member.points).toBe(earn[0]!.amount);
  expect(member.stage).toBe('first_time');
});

test("S5 sync: two identical batches of known members' orders delivered concurrently → each order once, points once", async () => {
  const openids = Array.from({ length: 6 }, (_v, i) => `o_s5_dup_${i}`);
  const members = await Promise.all(openids.map((o) => as(emu, o).ok('member', 'login', {})));
  // two orders per member, the second refunded in part: each member's orders settle together
  const batch = openids.flatMap((o, i) => [
    order({
      orderNo: `P-D${i}a`,
      customer: [{ type: 'openid', value: o }],
      totalFen: 10_000 + i * 100,
      createdAt: minutes(-40),
      paidAt: minutes(-39),
    }),
    order({
      orderNo: `P-D${i}b`,
      customer: [{ type: 'openid', value: o }],
      totalFen: 20_000,
      createdAt: minutes(-30),
      paidAt: minutes(-29),
      refunds: [{ refundNo: `R-D${i}`, amountFen: 5_000 }],
      status: 'partially_refunded',
      updatedAt: minutes(-20),
    }),
  ]);
  const answers = await Promise.all([1, 2].map(() => syncOrders(emu, 'pos', batch)));
  for (const a of answers) expect(a.json.data).toMatchObject({ accepted: 12, rejected: 0 });
  for (let k = 0; k < batch.length; k++)
    expect(answers.filter((a) => !a.json.data.results[k].replayed)).toHaveLength(1);

  for (const [i, me] of members.entries()) {
    expect(await count('orders', { memberId: me.memberId })).toBe(2);
    expect(await eventsOf(`pos:P-D${i}a`)).toEqual(['order.created', 'order.paid']);
    expect(await eventsOf(`pos:P-D${i}b`)).toEqual(['order.created', 'order.paid', 'order.refunded']);
    const ledger = await ledgerOf(me.memberId);
    expect(
      ledger
        .filter((r) => r.kind === 'earn')
        .map((r) => r._id)
        .sort(),
    ).toEqual([`earn:pos:P-D${i}a`, `earn:pos:P-D${i}b`]);
    expect(ledger.filter((r) => r.kind === 'reverse').map((r) => r._id)).toEqual([`reverse:pos:P-D${i}b:R-D${i}`]);
    const member = (await db.collection('members').doc(me.memberId).get()).data;
    expect(member.points).toBe(ledger.reduce((sum, r) => sum + r.amount, 0));
    expect(member.points).toBeGreaterThan(0);
    expect(member.lifecycle.paidOrders).toHaveLength(2);
  }
});

test("S5 sync: an unknown customer's order 3× concurrently (batch insert path) → one order, its events once", async () => {
  const o = order({
    orderNo: 'P-1501',
    customer: [{ type: 'phone', value: '13900001501' }],
    createdAt: minutes(-30),
    paidAt: minutes(-29),
  });
  const others = Array.from({ length: 20 }, (_, i) =>
    order({ orderNo: `P-15${String(i).padStart(2, '0')}x`, createdAt: minutes(-30) }),
  );
  const answers = await Promise.all([1, 2, 3].map(() => syncOrders(emu, 'pos', [o, ...others])));
  for (const a of answers) expect(a.json.data).toMatchObject({ accepted: 21, rejected: 0 });
  expect(answers.map((a) => a.json.data.results[0].transitions.length).sort()).toEqual([0, 0, 2]);
  expect(await count('orders', { orderNo: 'P-1501' })).toBe(1);
  expect(await eventsOf('pos:P-1501')).toEqual(['order.created', 'order.paid']);
});

test("S5 sync: a crash between the batch path's events and its orders is repaired by the next delivery: one order, each event once", async () => {
  const o = order({
    orderNo: 'P-1601',
    customer: [{ type: 'phone', value: '13900001601' }],
    createdAt: minutes(-30),
    paidAt: minutes(-29),
  });
  const other = order({ orderNo: 'P-1602', createdAt: minutes(-30), status: 'created' });
  // what the first attempt left: P-1601's events written (ids by order and transition), no order stored, no answer to the source
  const at = await emulatorNow(emu);
  await db.collection('events').add({
    data: [
      { _id: 'order:pos:P-1601:created', type: 'order.created', at, data: { orderId: 'pos:P-1601' } },
      { _id: 'order:pos:P-1601:paid', type: 'order.paid', at, data: { orderId: 'pos:P-1601' } },
    ],
  });
  expect(await count('orders', { orderNo: 'P-1601' })).toBe(0);

  const again = await syncOrders(emu, 'pos', [o, other]);
  expect(again.json.data).toMatchObject({ accepted: 2, rejected: 0 });
  expect(again.json.data.results[0]).toMatchObject({
    ok: true,
    memberId: null,
    transitions: ['order.created', 'order.paid'],
    replayed: false,
  });
  expect((await db.collection('orders').doc('pos:P-1601').get()).data).toMatchObject({
    status: 'paid',
    memberId: null,
  });
  expect(await eventsOf('pos:P-1601')).toEqual(['order.created', 'order.paid']);
  expect(await eventsOf('pos:P-1602')).toEqual(['order.created']);
  // delivered once more: nothing new
  const third = await syncOrders(emu, 'pos', [o]);
  expect(third.json.data.results[0]).toMatchObject({ ok: true, transitions: [], replayed: true });
  expect(await eventsOf('pos:P-1601')).toEqual(['order.created', 'order.paid']);
});

test('S5 sync: a refund that arrives before the payment → refunded state, transitions once, points reversed in proportion', async () => {
  const me = await as(emu, 'o_s5_refund').ok('member', 'login', {});
  const base = {
    orderNo: 'P-2001',
    customer: [{ type: 'openid', value: 'o_s5_refund' }],
    totalFen: 20_000,
    createdAt: minutes(-60),
  };
  const refund = order({
    ...base,
    status: 'partially_refunded',
    paidAt: minutes(-59),
    refunds: [{ refundNo: 'R-1', amountFen: 5_000 }],
    updatedAt: minutes(-10),
  });
  const created = order({ ...base, status: 'created' });
  const paid = order({ ...base, status: 'paid', paidAt: minutes(-59) });

  const first = await syncOrders(emu, 'pos', [refund]);
  expect(first.json.data.results[0]).toMatchObject({
    ok: true,
    status: 'partially_refunded',
    transitions: ['order.created', 'order.paid', 'order.refunded'],
  });
  const late = await syncOrders(emu, 'pos', [paid, created]);
  expect(late.json.data.results.map((r: { transitions: string[] }) => r.transitions)).toEqual([[], []]);

  const stored = (await db.collection('orders').doc('pos:P-2001').get()).data;
  expect(stored).toMatchObject({
    status: 'partially_refunded',
    paidFen: 20_000,
    refundedFen: 5_000,
    memberId: me.memberId,
  });
  expect(await eventsOf('pos:P-2001')).toEqual(['order.created', 'order.paid', 'order.refunded']);
  const rows = await ledgerOf(me.memberId);
  const earned = rows.find((r) => r.kind === 'earn')!.amount;
  const reversed = -rows.find((r) => r.kind === 'reverse')!.amount;
  expect(rows).toHaveLength(2);
  expect(reversed).toBe(Math.floor(earned / 4));
  expect((await db.collection('members').doc(me.memberId).get()).data.points).toBe(earned - reversed);

  // and the rest refunded later: the rest of the points go back, once
  const full = order({
    ...base,
    status: 'refunded',
    paidAt: minutes(-59),
    refunds: [
      { refundNo: 'R-1', amountFen: 5_000 },
      { refundNo: 'R-2', amountFen: 15_000 },
    ],
    updatedAt: minutes(-5),
  });
  // order-count segments read the latest counted orders' paid times: a partial refund still counts
  const latestPaid = async () => (await db.collection('members').doc(me.memberId).get()).data.lifecycle.latestPaid;
  expect((await latestPaid()).n1).toBeInstanceOf(Date);
  await syncOrders(emu, 'pos', [full]);
  await syncOrders(emu, 'pos', [full]);
  expect((await db.collection('orders').doc('pos:P-2001').get()).data).toMatchObject({
    status: 'refunded',
    refundedFen: 20_000,
  });
  expect((await db.collection('members').doc(me.memberId).get()).data.points).toBe(0);
  // fully refunded, it no longer counts: the stored time is cleared, not left behind by a merging update
  expect(await latestPaid()).toEqual({ n1: null, n2: null, n3: null, n4: null, n5: null });
  expect((await ledgerOf(me.memberId)).filter((r) => r.kind === 'reverse')).toHaveLength(2);
});

test('S5 sync: forged, stale and replayed requests are refused with distinct codes and write nothing', async () => {
  const o = order({ orderNo: 'P-3001', totalFen: 5_000, createdAt: minutes(-5) });
  const ordersBefore = await count('orders');
  const eventsBefore = await count('events');

  const forged = await syncOrders(emu, 'pos', [o], { secret: 'not-the-secret' });
  expect(forged).toMatchObject({ status: 401, json: { ok: false, error: { code: 'SIGNATURE_INVALID' } } });
  const stale = await syncOrders(emu, 'pos', [o], { at: new Date((await emulatorNow(emu)).getTime() - 6 * 60_000) });
  expect(stale).toMatchObject({ status: 401, json: { ok: false, error: { code: 'SIGNATURE_EXPIRED' } } });
  const unknownSource = await syncOrders(emu, 'nobody!', [o]);
  expect(unknownSource.json.error.code).toBe('UNKNOWN_SOURCE');
  expect(await count('orders')).toBe(ordersBefore);
  expect(await count('events')).toBe(eventsBefore);

  const nonce = 'replay-nonce-0001';
  const ok = await syncOrders(emu, 'pos', [o], { nonce });
  expect(ok.status).toBe(200);
  const afterOk = { orders: await count('orders'), events: await count('events') };
  const replay = await syncOrders(emu, 'pos', [order({ orderNo: 'P-3002', createdAt: minutes(-5) })], { nonce });
  expect(replay).toMatchObject({ status: 409, json: { ok: false, error: { code: 'NONCE_REUSED' } } });
  expect({ orders: await count('orders'), events: await count('events') }).toEqual(afterOk);
  expect(await count('orders', { orderNo: 'P-3002' })).toBe(0);
});

test('S5 sync: a batch reports per-order results: malformed, negative amount, unknown currency, wrong source; good orders stored', async () => {
  const good = order({ orderNo: 'P-4001', createdAt: minutes(-3) });
  const malformed = { ...order({ orderNo: 'P-4002', createdAt: minutes(-3) }), status: 'teleported' };
  const negative = order({ orderNo: 'P-4003', totalFen: -100, createdAt: minutes(-3) });
  const currency = order({ orderNo: 'P-4004', currency: 'USD', createdAt: minutes(-3) });
  const otherSource = order({ orderNo: 'P-4005', source: 'shop', createdAt: minutes(-3) });
  const r = await syncOrders(emu, 'pos', [good, malformed, negative, currency, otherSource]);
  expect(r.status).toBe(200);
  expect(r.json.data).toMatchObject({ accepted: 1, rejected: 4 });
  expect(
    r.json.data.results.map((x: { ok: boolean; error?: { code: string } }) => (x.ok ? 'ok' : x.error!.code)),
  ).toEqual(['ok', 'ORDER_MALFORMED', 'ORDER_NEGATIVE_AMOUNT', 'ORDER_UNKNOWN_CURRENCY', 'ORDER_SOURCE_MISMATCH']);
  const ids = ['pos:P-4001', 'pos:P-4002', 'pos:P-4003', 'pos:P-4004', 'shop:P-4005'];
  const stored = (
    await db
      .collection('orders')
      .where({ _id: db.command.in(ids) })
      .get()
  ).data.map((d: { _id: string }) => d._id);
  expect(stored).toEqual(['pos:P-4001']);

  const tooMany = await syncOrders(
    emu,
    'pos',
    Array.from({ length: 501 }, (_, i) => order({ orderNo: `X-${i}`, createdAt: minutes(-1) })),
  );
  expect(tooMany).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
});

test("S5 sync: an unknown customer's order is kept, then attached with its points the moment a link makes the customer known", async () => {
  const o = order({
    orderNo: 'P-5001',
    customer: [{ type: 'externalId', value: 'C-77' }],
    totalFen: 30_000,
    createdAt: minutes(-20),
    paidAt: minutes(-19),
  });
  const r = await syncOrders(emu, 'pos', [o]);
  expect(r.json.data.results[0]).toMatchObject({ ok: true, memberId: null });
  expect((await db.collection('orders').doc('pos:P-5001').get()).data).toMatchObject({
    memberId: null,
    refIds: ['external:pos:C-77'],
  });

  const me = await as(emu, 'o_s5_later', { unionid: 'u_s5_later' }).ok('member', 'login', {});
  const link = await signedPost(
    emu,
    'pos',
    { source: 'pos', externalId: 'C-77', identities: [{ type: 'unionid', value: 'u_s5_later' }] },
    { path: '/http/member/link' },
  );
  expect(link.status).toBe(200);
  expect(link.json.data).toMatchObject({ memberId: me.memberId, linked: ['external:pos:C-77'], ordersAttached: 1 });
  expect((await db.collection('orders').doc('pos:P-5001').get()).data).toMatchObject({ memberId: me.memberId });
  const earn = (await ledgerOf(me.memberId)).filter((x) => x.kind === 'earn');
  expect(earn).toHaveLength(1);
  expect(await eventsOf('pos:P-5001')).toEqual(['order.attached', 'order.created', 'order.paid']);

  // the hourly sweep finds nothing left to attach, and a later update earns nothing twice
  await setClock(emu, { advance: '1h' });
  expect((await ledgerOf(me.memberId)).filter((x) => x.kind === 'earn')).toHaveLength(1);
  await syncOrders(emu, 'pos', [
    order({
      ...{
        orderNo: 'P-5001',
        customer: [{ type: 'externalId', value: 'C-77' }],
        totalFen: 30_000,
        createdAt: minutes(-20),
        paidAt: minutes(-19),
      },
      status: 'completed',
      updatedAt: minutes(-1),
    }),
  ]);
  expect((await ledgerOf(me.memberId)).filter((x) => x.kind === 'earn')).toHaveLength(1);
  expect((await db.collection('orders').doc('pos:P-5001').get()).data).toMatchObject({
    memberId: me.memberId,
    status: 'completed',
  });
});

test('S3 S5 phone binding: a POS order waiting under a phone number reaches the member the moment they bind that phone', async () => {
  const o = order({
    orderNo: 'P-5003',
    customer: [{ type: 'phone', value: '13800005003' }],
    totalFen: 8_800,
    createdAt: minutes(-30),
    paidAt: minutes(-29),
  });
  expect((await syncOrders(emu, 'pos', [o])).json.data.results[0]).toMatchObject({ ok: true, memberId: null });
  const me = await as(emu, 'o_s5_phone').ok('member', 'login', {});
  await as(emu, 'o_s5_phone').ok('member', 'bindPhone', { code: 'phone:13800005003' });
  // no timer has run: the bind itself attached the order and earned its points
  expect((await db.collection('orders').doc('pos:P-5003').get()).data).toMatchObject({ memberId: me.memberId });
  expect((await ledgerOf(me.memberId)).filter((x) => x.kind === 'earn')).toHaveLength(1);
  expect(await eventsOf('pos:P-5003')).toEqual(['order.attached', 'order.created', 'order.paid']);
});

test('S5 sync: an order whose link was recorded without attaching (a crash in between) is attached by the hourly sweep', async () => {
  const o = order({
    orderNo: 'P-5002',
    customer: [{ type: 'phone', value: '13800005002' }],
    totalFen: 12_000,
    createdAt: minutes(-20),
    paidAt: minutes(-19),
  });
  expect((await syncOrders(emu, 'pos', [o])).json.data.results[0]).toMatchObject({ ok: true, memberId: null });
  const me = await as(emu, 'o_s5_swept').ok('member', 'login', {});
  // the identity as linkIdentities writes it, with the attach step never run
  await db
    .collection('identities')
    .doc('phone:13800005002')
    .set({ data: { type: 'phone', value: '13800005002', memberId: me.memberId, linkedAt: minutes(0), via: 'test' } });

  const fired = await setClock(emu, { advance: '1h' });
  expect(fired.some((f) => f.trigger === 'attachOrders')).toBe(true);
  expect((await db.collection('orders').doc('pos:P-5002').get()).data).toMatchObject({ memberId: me.memberId });
  expect((await ledgerOf(me.memberId)).filter((x) => x.kind === 'earn')).toHaveLength(1);
});

test('S5 orders.mine: an order shows its refunds and the points it earned and had taken back', async () => {
  const me = await as(emu, 'o_s5_mine_points').ok('member', 'login', {});
  const base = {
    orderNo: 'P-7001',
    customer: [{ type: 'openid', value: 'o_s5_mine_points' }],
    totalFen: 20_000,
    createdAt: minutes(-60),
    paidAt: minutes(-59),
  };
  await syncOrders(emu, 'pos', [order({ ...base, status: 'paid' })]);
  await syncOrders(emu, 'pos', [
    order({
      ...base,
      status: 'partially_refunded',
      refunds: [{ refundNo: 'R-9', amountFen: 5_000 }],
      updatedAt: minutes(-5),
    }),
  ]);
  await syncOrders(emu, 'pos', [
    order({ orderNo: 'P-7002', customer: base.customer, totalFen: 3_000, status: 'created', createdAt: minutes(-30) }),
  ]);

  const rows = await ledgerOf(me.memberId);
  const earned = rows.find((r) => r.kind === 'earn')!.amount;
  const reversed = rows.find((r) => r.kind === 'reverse')!.amount;
  expect(earned).toBeGreaterThan(0);
  const { items } = await as(emu, 'o_s5_mine_points').ok('orders', 'mine', {});
  expect(items.map((o) => [o.orderNo, o.points])).toEqual([
    ['P-7002', { earned: 0, reversed: 0 }],
    ['P-7001', { earned, reversed }],
  ]);
  expect(items[1]).toMatchObject({
    status: 'partially_refunded',
    refundedFen: 5_000,
    refunds: [{ refundNo: 'R-9', amountFen: 5_000 }],
  });
});

test('S5 orders.mine: the member sees their orders from every channel, newest first, 20 a page', async () => {
  await as(emu, 'o_s5_mine').ok('member', 'login', {});
  const who = [{ type: 'openid', value: 'o_s5_mine' }];
  const pos = Array.from({ length: 15 }, (_, i) =>
    order({ orderNo: `M-${i}`, customer: who, createdAt: minutes(-100 + i) }),
  );
  const shop = Array.from({ length: 10 }, (_, i) =>
    order({ source: 'shop', orderNo: `W-${i}`, customer: who, createdAt: minutes(-50 + i) }),
  );
  expect((await syncOrders(emu, 'pos', pos)).json.data.accepted).toBe(15);
  expect((await syncOrders(emu, 'shop', shop)).json.data.accepted).toBe(10);

  const p1 = await as(emu, 'o_s5_mine').ok('orders', 'mine', {});
  const p2 = await as(emu, 'o_s5_mine').ok('orders', 'mine', { page: 2 });
  expect(p1.items).toHaveLength(20);
  expect(p1.hasMore).toBe(true);
  expect(p2.items).toHaveLength(5);
  expect(p2.hasMore).toBe(false);
  const all = [...p1.items, ...p2.items];
  expect(new Set(all.map((o) => o.source))).toEqual(new Set(['pos', 'shop']));
  expect(all[0]!.orderId).toBe('shop:W-9');
  const times = all.map((o) => Date.parse(o.createdAt));
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  // someone else sees none of them
  await as(emu, 'o_s5_other').ok('member', 'login', {});
  expect((await as(emu, 'o_s5_other').ok('orders', 'mine', {})).items).toEqual([]);
});

test('S5 sync: an order stored with its dates as text (an older document) takes its refund: refunded once, points reversed', async () => {
  const me = await as(emu, 'o_s5_text_dates').ok('member', 'login', {});
  const base = {
    orderNo: 'P-3001',
    customer: [{ type: 'openid', value: 'o_s5_text_dates' }],
    totalFen: 40_000,
    createdAt: minutes(-120),
  };
  await syncOrders(emu, 'pos', [order({ ...base, status: 'paid', paidAt: minutes(-119) })]);
  const stored = (await db.collection('orders').doc('pos:P-3001').get()).data;
  // the same document as older code or an import left it: every instant as ISO text
  const text = (d: unknown) => new Date(d as Date).toISOString();
  await db
    .collection('orders')
    .doc('pos:P-3001')
    .update({
      data: {
        createdAt: text(stored.createdAt),
        paidAt: text(stored.paidAt),
        version: { ...stored.version, updatedAt: text(stored.version.updatedAt) },
      },
    });
  const refund = order({
    ...base,
    status: 'refunded',
    paidAt: minutes(-119),
    refunds: [{ refundNo: 'R-9', amountFen: 40_000 }],
    updatedAt: minutes(-5),
  });
  const r = await syncOrders(emu, 'pos', [refund]);
  expect(r.json.data.results[0]).toMatchObject({ ok: true, status: 'refunded', transitions: ['order.refunded'] });
  expect((await syncOrders(emu, 'pos', [refund])).json.data.results[0]).toMatchObject({ ok: true, transitions: [] });
  const events = await eventsOf('pos:P-3001');
  for (const type of ['order.created', 'order.paid', 'order.refunded'])
    expect(events.filter((e) => e === type)).toHaveLength(1);
  expect((await ledgerOf(me.memberId)).map((x) => x.kind).sort()).toEqual(['earn', 'reverse']);
  expect((await db.collection('members').doc(me.memberId).get()).data.points).toBe(0);
});
