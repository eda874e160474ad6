import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { SOLD_OUT_MEMO_MS } from '../../../server/coupons/sold-out-memo';
import {
  lastInvocation as lastOf,
  limitedTemplateDraft as draft,
  seededValueEmulator,
  seedMembers,
  setClock,
  STAFF,
} from '../points/value-fixtures';
import type { Sdk } from '../../support/sdk';

/**
 * S10 sold-out rush: one instance, so every call meets what the previous ones left in it. A template
 * this instance saw sold out refuses from one read (the coupon the request would have made); a
 * retry still gets its coupon; a restock here is seen at once, one made elsewhere within SOLD_OUT_MEMO_MS.
 */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await seededValueEmulator({ maxInstancesPerFunction: 1 }));
});
afterAll(() => emu?.close());

const lastInvocation = () => lastOf(emu);

test('S10 sold-out rush: late claims are refused from one read, a retry still gets its coupon, a restock here is seen at once', async () => {
  await as(emu, STAFF.admin).ok('coupons', 'templates.create', draft('tpl_rush_2', 2));
  const openids = Array.from({ length: 6 }, (_, i) => `o_rush_${i}`);
  await seedMembers(emu, openids);
  const claim = (i: number, requestId = `rush-claim-${i}`) =>
    as(emu, openids[i]!).call('coupons', 'claim', { templateId: 'tpl_rush_2', requestId });

  const won = await claim(0);
  expect(won).toMatchObject({ ok: true, data: { replayed: false } });
  expect(await claim(1)).toMatchObject({ ok: true });
  // the claim that finds every shard empty marks the template and teaches this instance
  expect(await claim(2)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK', message: '券已领完' } });
  expect(await claim(3)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
  expect((await lastInvocation()).dbCalls).toBe(1);
  // a visitor without a member card gets the same answer: nothing about the caller is read
  expect(
    await as(emu, 'o_rush_visitor').call('coupons', 'claim', {
      templateId: 'tpl_rush_2',
      requestId: 'rush-claim-visitor',
    }),
  ).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
  // the winner's retry is answered with its own coupon, found by the id its request gives
  const retry = await claim(0);
  expect(retry).toMatchObject({
    ok: true,
    data: {
      replayed: true,
      coupon: { couponId: (won as { data: { coupon: { couponId: string } } }).data.coupon.couponId },
    },
  });
  expect((await lastInvocation()).dbCalls).toBe(1);

  await as(emu, STAFF.admin).ok('coupons', 'templates.stock', {
    templateId: 'tpl_rush_2',
    delta: 1,
    requestId: 'rush-restock-1',
  });
  expect(await claim(3)).toMatchObject({ ok: true, data: { replayed: false } });
  expect(await db.collection('coupons').where({ templateId: 'tpl_rush_2' }).count()).toMatchObject({ total: 3 });
}, 120_000);

test('S10 sold-out rush: a restock made by another instance is seen once the memory of the sell-out is older than SOLD_OUT_MEMO_MS', async () => {
  await as(emu, STAFF.admin).ok('coupons', 'templates.create', draft('tpl_rush_1', 1));
  const openids = Array.from({ length: 3 }, (_, i) => `o_rush1_${i}`);
  await seedMembers(emu, openids);
  const claim = (i: number) =>
    as(emu, openids[i]!).call('coupons', 'claim', { templateId: 'tpl_rush_1', requestId: `rush1-${i}-${Date.now()}` });
  expect(await claim(0)).toMatchObject({ ok: true });
  expect(await claim(1)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });

  // what another instance's restock leaves: one shard refilled, the stock version bumped past the sold-out mark
  const shard = (
    await db.collection('coupon_stock').where({ templateId: 'tpl_rush_1', left: 0, issued: 0 }).limit(1).get()
  ).data[0] as { _id: string };
  await db
    .collection('coupon_stock')
    .doc(shard._id)
    .update({ data: { left: 1 } });
  await db
    .collection('coupon_templates')
    .doc('tpl_rush_1')
    .update({ data: { totalStock: 2, stockVersion: 1 } });

  expect(await claim(1)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
  expect((await lastInvocation()).dbCalls).toBe(1);
  await setClock(emu, { advance: `${Math.ceil(SOLD_OUT_MEMO_MS / 1000)}s` });
  expect(await claim(1)).toMatchObject({ ok: true });
  expect(await claim(2)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
}, 120_000);
