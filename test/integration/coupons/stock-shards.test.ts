import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import {
  lastInvocation as lastOf,
  limitedTemplateDraft,
  seededValueEmulator,
  seedMembers,
  seedTemplate,
  STAFF,
  templateDoc,
} from '../points/value-fixtures';
import type { Sdk } from '../../support/sdk';

/** S10: a template's stock lives in shards (`coupon_stock`); claims, grants and staff changes all go through them. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await seededValueEmulator({ maxInstancesPerFunction: 8 }));
});
afterAll(() => emu?.close());

const admin = () => as(emu, STAFF.admin);
const count = async (coll: string, where: Record<string, unknown>) =>
  (await db.collection(coll).where(where).count()).total as number;

async function stockOf(templateId: string) {
  const shards = (await db.collection('coupon_stock').where({ templateId }).limit(100).get()).data as {
    left: number;
    issued: number;
  }[];
  return {
    shards: shards.length,
    issued: shards.reduce((s, x) => s + x.issued, 0),
    left: shards.reduce((s, x) => s + x.left, 0),
    lowest: Math.min(...shards.map((x) => x.left)),
  };
}

const lastInvocation = () => lastOf(emu);
const draft = (templateId: string, totalStock: number, patch: Record<string, unknown> = {}) =>
  limitedTemplateDraft(templateId, totalStock, { name: { zh: '分片库存券' }, ...patch });

test('S10 stock shards: the last unit goes, then a clear sold-out refusal without a transaction; a retry still returns its coupon; a restock voids the mark', async () => {
  await admin().ok('coupons', 'templates.create', draft('tpl_shards_3', 3));
  expect(await stockOf('tpl_shards_3')).toEqual({ shards: 16, issued: 0, left: 3, lowest: 0 });
  const openids = Array.from({ length: 6 }, (_, i) => `o_shard_${i}`);
  await seedMembers(emu, openids);
  const claim = (i: number, requestId = `shard-claim-${i}`) =>
    as(emu, openids[i]!).call('coupons', 'claim', { templateId: 'tpl_shards_3', requestId });

  const first = await Promise.all([0, 1, 2].map((i) => claim(i)));
  expect(first.every((r) => r.ok)).toBe(true);
  expect(await claim(3)).toEqual({
    ok: false,
    error: expect.objectContaining({ code: 'COUPON_OUT_OF_STOCK', message: '券已领完' }),
  });
  expect(await stockOf('tpl_shards_3')).toEqual({ shards: 16, issued: 3, left: 0, lowest: 0 });
  const marked = await templateDoc(db, 'tpl_shards_3');
  expect(marked).toMatchObject({ stockVersion: 0, soldOutVersion: 0 });

  // marked sold out: refused from three reads (the coupon this request would have made, template,
  // identity), or from the first alone in an instance that saw it sold out (sold-out.test.ts); no shard read, no transaction
  expect(await claim(4)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
  expect([1, 3]).toContain((await lastInvocation()).dbCalls);
  // a winner's retry after the sell-out is answered with its own coupon
  const retry = await claim(0);
  expect(retry).toMatchObject({
    ok: true,
    data: {
      replayed: true,
      coupon: { couponId: (first[0] as { data: { coupon: { couponId: string } } }).data.coupon.couponId },
    },
  });
  const centre = await as(emu, openids[5]!).ok('coupons', 'claimCentre', {});
  expect(centre.items.find((t) => t.templateId === 'tpl_shards_3')).toMatchObject({
    remaining: 0,
    claimable: false,
    blocked: { code: 'COUPON_OUT_OF_STOCK' },
  });

  const restocked = await admin().ok('coupons', 'templates.stock', {
    templateId: 'tpl_shards_3',
    delta: 2,
    requestId: 'shards-plus-2',
  });
  expect(restocked.template).toMatchObject({ totalStock: 5, claimed: 3, stockLeft: 2 });
  expect((await templateDoc(db, 'tpl_shards_3')).stockVersion).toBe(marked.stockVersion + 1);
  expect(await claim(3)).toMatchObject({ ok: true });
  expect(await claim(4)).toMatchObject({ ok: true });
  expect(await claim(5)).toMatchObject({ ok: false, error: { code: 'COUPON_OUT_OF_STOCK' } });
  expect(await stockOf('tpl_shards_3')).toEqual({ shards: 16, issued: 5, left: 0, lowest: 0 });
  expect(await count('coupons', { templateId: 'tpl_shards_3' })).toBe(5);
}, 120_000);

test('S10 stock shards: a template stored before shards keeps what its own counter issued; its shards are made once under concurrent first claims', async () => {
  await seedTemplate(emu, {
    templateId: 'tpl_legacy',
    name: { zh: '旧库存券' },
    benefit: { kind: 'amountOff', amountFen: 500 },
    validity: { kind: 'daysAfterClaim', days: 7 },
    totalStock: 5,
    issued: 3,
    perMemberLimit: 1,
    channels: ['claimCentre'],
  });
  const openids = Array.from({ length: 8 }, (_, i) => `o_legacy_${i}`);
  await seedMembers(emu, openids);
  const results = await Promise.all(
    openids.map((o, i) =>
      as(emu, o).call('coupons', 'claim', { templateId: 'tpl_legacy', requestId: `legacy-claim-${i}` }),
    ),
  );
  expect(results.filter((r) => r.ok)).toHaveLength(2);
  expect(new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])))).toEqual(new Set(['COUPON_OUT_OF_STOCK']));
  expect(await stockOf('tpl_legacy')).toEqual({ shards: 16, issued: 2, left: 0, lowest: 0 });
  const listed = (await admin().ok('coupons', 'templates.list', {})).items.find((t) => t.templateId === 'tpl_legacy');
  expect(listed).toMatchObject({ totalStock: 5, claimed: 5, stockLeft: 0 });
}, 120_000);

test('S10 stock shards: claims and staff grants of one template at once never oversell, and one member never gets more than the limit', async () => {
  await admin().ok('coupons', 'templates.create', draft('tpl_mixed', 10, { channels: ['claimCentre', 'grant'] }));
  const openids = Array.from({ length: 14 }, (_, i) => `o_mixed_${i}`);
  const ids = await seedMembers(emu, openids);
  const results = await Promise.all([
    // every member asks three times at once (different request ids), limit 1
    ...openids.flatMap((o, i) =>
      [0, 1, 2].map((k) =>
        as(emu, o).call('coupons', 'claim', { templateId: 'tpl_mixed', requestId: `mixed-${i}-${k}-x` }),
      ),
    ),
    ...ids
      .slice(0, 4)
      .map((memberId) =>
        as(emu, STAFF.advisor).call('coupons', 'grant', { templateId: 'tpl_mixed', memberId, reason: '并发测试' }),
      ),
  ]);
  const refusals = new Set(results.flatMap((r) => (r.ok ? [] : [r.error.code])));
  expect([...refusals].every((c) => c === 'COUPON_OUT_OF_STOCK' || c === 'COUPON_LIMIT_REACHED')).toBe(true);
  const coupons = (await db.collection('coupons').where({ templateId: 'tpl_mixed' }).limit(100).get()).data as {
    memberId: string;
  }[];
  expect(coupons).toHaveLength(10);
  expect(new Set(coupons.map((c) => c.memberId)).size).toBe(10);
  expect(await stockOf('tpl_mixed')).toEqual({ shards: 16, issued: 10, left: 0, lowest: 0 });
  const counters = (await db.collection('coupon_claims').where({ templateId: 'tpl_mixed' }).limit(100).get()).data as {
    count: number;
  }[];
  expect(counters.reduce((s, c) => s + c.count, 0)).toBe(10);
  expect(counters.every((c) => c.count === 1)).toBe(true);
}, 120_000);
