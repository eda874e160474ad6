import fc from 'fast-check';
import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import type { Sdk } from '../../support/sdk';
import { counts, oaEventXml, oaQuery, demoEmulator, setClock, signedPost } from './helpers';

/** Identities, merges, the signed link endpoint and the Official Account callback, through the emulator. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  ({ emu, db } = await demoEmulator());
  for (const c of ['orders']) await db.createCollection(c).catch(() => undefined);
});
afterAll(() => emu.close());

const LINK = '/http/member/link';
const oaPost = (xml: string, query = oaQuery()) =>
  fetch(`${emu.url}/http/oa/callback?${query}`, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml });

test('S3 OA: the echo check answers echostr only with a valid token signature', async () => {
  const good = await fetch(`${emu.url}/http/oa/callback?${oaQuery(undefined, { echostr: 'echo-123' })}`);
  expect(good.status).toBe(200);
  expect(await good.text()).toBe('echo-123');
  const forged = await fetch(`${emu.url}/http/oa/callback?${oaQuery('wrong-token', { echostr: 'echo-123' })}`);
  expect(forged.status).toBe(401);
});

test('S3 identity: OA follower, then Mini Program user, then POS customer → one member with their identities', async () => {
  const xml = oaEventXml({
    from: 'oa_grace',
    event: 'subscribe',
    key: 'qrscene_s=store_sh_xintiandi',
    unionid: 'u_grace',
  });
  expect((await oaPost(xml)).status).toBe(200);
  expect((await oaPost(xml)).status).toBe(200); // the platform retries: stored once
  const follower = (await db.collection('identities').doc('oa_openid:oa_grace').get()).data;
  const before = (await db.collection('members').doc(follower.memberId).get()).data;
  expect(before).toMatchObject({ state: 'follower', oaFollowing: true });

  const mp = await as(emu, 'o_grace', { unionid: 'u_grace' }).ok('member', 'login', {});
  expect(mp).toMatchObject({ memberId: follower.memberId, state: 'follower', isNew: false });

  const pos = await signedPost(emu, LINK, {
    source: 'pos',
    externalId: 'C-1001',
    identities: [{ type: 'unionid', value: 'u_grace' }],
  });
  expect(pos.status).toBe(200);
  expect(pos.json?.data).toMatchObject({ memberId: follower.memberId, created: false, merged: [] });

  const ids = (await db.collection('identities').where({ memberId: follower.memberId }).get()).data
    .map((i: { _id: string }) => i._id)
    .sort();
  expect(ids).toEqual(['external:pos:C-1001', 'mp_openid:o_grace', 'oa_openid:oa_grace', 'unionid:u_grace']);
  expect((await db.collection('members').where({ unionid: 'u_grace' }).count()).total).toBe(1);
  const oaEvents = (await db.collection('events').where({ memberId: follower.memberId, type: 'oa.subscribed' }).get())
    .data;
  expect(oaEvents).toHaveLength(1);
  expect(oaEvents[0].data).toEqual({ scene: 's=store_sh_xintiandi' });

  await oaPost(oaEventXml({ from: 'oa_grace', event: 'CLICK', key: 'MENU_CARD', at: 1777600100 }));
  await oaPost(oaEventXml({ from: 'oa_grace', event: 'unsubscribe', at: 1777600200 }));
  const after = (await db.collection('members').doc(follower.memberId).get()).data;
  expect(after).toMatchObject({ oaFollowing: false, state: 'visitor' });
  expect(
    (await db.collection('events').where({ memberId: follower.memberId, type: 'oa.menu_clicked' }).count()).total,
  ).toBe(1);
});

test('S3 OA: a forged signature is rejected and nothing is written', async () => {
  const before = await counts(db);
  const r = await oaPost(oaEventXml({ from: 'oa_mallory', event: 'subscribe' }), oaQuery('not-the-token'));
  expect(r.status).toBe(401);
  const broken = await oaPost('<xml><FromUserName>oa_x</FromUserName><Oops></xml>');
  expect(broken.status).toBe(200); // acknowledged so the platform stops retrying, but ignored
  expect(await counts(db)).toEqual(before);
});

test('S3 link: forged, replayed, stale or malformed requests are rejected and nothing is written', async () => {
  const payload = { source: 'pos', externalId: 'C-666', identities: [{ type: 'phone', value: '13900000666' }] };
  const before = await counts(db);
  expect((await signedPost(emu, LINK, payload, { secret: 'guessed' })).json?.error?.code).toBe('SIGNATURE_INVALID');
  expect(
    (await signedPost(emu, LINK, payload, { at: new Date(Date.now() - 3_600_000 * 24 * 400) })).json?.error?.code,
  ).toBe('SIGNATURE_EXPIRED');
  expect((await signedPost(emu, LINK, payload, { source: 'nobody!' })).json?.error?.code).toBe('UNKNOWN_SOURCE');
  expect(await counts(db)).toEqual(before);

  const ok = await signedPost(emu, LINK, payload, { nonce: 'fixed-nonce-1' });
  expect(ok.status).toBe(200);
  const afterOne = await counts(db);
  const replay = await signedPost(emu, LINK, payload, { nonce: 'fixed-nonce-1' });
  expect(replay).toMatchObject({ status: 409, json: { error: { code: 'NONCE_REUSED' } } });
  const bad = await signedPost(emu, LINK, {
    source: 'pos',
    externalId: '',
    identities: [{ type: 'mp_openid', value: 'x' }],
  });
  expect(bad).toMatchObject({ status: 400, json: { error: { code: 'INVALID_INPUT' } } });
  const mismatch = await signedPost(emu, LINK, { ...payload, source: 'shop' });
  expect(mismatch.json?.error?.code).toBe('SOURCE_MISMATCH');
  const { nonces, ...rest } = await counts(db);
  const { nonces: noncesBefore, ...restBefore } = afterOne;
  expect(rest).toEqual(restBefore);
  expect(nonces).toBe((noncesBefore ?? 0) + 2); // only the two well-signed requests used their nonces
});

interface History {
  ledger: number[];
  coupons: number;
  orders: number[];
}
const history = fc.record({
  ledger: fc.array(
    fc.integer({ min: -500, max: 2000 }).filter((n) => n !== 0),
    { maxLength: 6 },
  ),
  coupons: fc.nat(4),
  orders: fc.array(fc.integer({ min: 100, max: 100_000 }), { maxLength: 4 }),
});

let seq = 0;
async function memberWithHistory(h: History, unionid?: string): Promise<string> {
  const openid = `o_hist_${++seq}`;
  const v = await as(emu, openid, unionid ? { unionid } : {}).ok('member', 'login', {});
  const points = h.ledger.reduce((a, b) => a + b, 0);
  await db.collection('members').doc(v.memberId).update({ data: { points } });
  for (const [i, amount] of h.ledger.entries())
    await db.collection('points_ledger').add({
      data: {
        memberId: v.memberId,
        kind: amount > 0 ? 'earn' : 'spend',
        amount,
        idempotencyKey: `${v.memberId}:${i}`,
        at: new Date(),
      },
    });
  for (let i = 0; i < h.coupons; i++)
    await db
      .collection('coupons')
      .add({ data: { memberId: v.memberId, code: `${v.memberId}-c${i}`, status: 'active' } });
  for (const totalFen of h.orders) await db.collection('orders').add({ data: { memberId: v.memberId, totalFen } });
  return v.memberId;
}

async function totals(memberId: string) {
  const ledger = (await db.collection('points_ledger').where({ memberId }).limit(1000).get()).data as {
    amount: number;
  }[];
  const orders = (await db.collection('orders').where({ memberId }).limit(1000).get()).data as { totalFen: number }[];
  return {
    points: ledger.reduce((a, r) => a + r.amount, 0),
    ledgerRows: ledger.length,
    coupons: (await db.collection('coupons').where({ memberId }).count()).total as number,
    ordersFen: orders.reduce((a, r) => a + r.totalFen, 0),
    orderRows: orders.length,
    cache: (await db.collection('members').doc(memberId).get()).data.points as number,
  };
}

test('S3 merge: over random histories, the survivor holds exactly the sum of both members (nothing lost or doubled)', async () => {
  await fc.assert(
    fc.asyncProperty(history, history, async (ha, hb) => {
      const n = ++seq;
      const a = await memberWithHistory(ha, `u_a_${n}`);
      const b = await memberWithHistory(hb, `u_b_${n}`);
      const [ta, tb] = [await totals(a), await totals(b)];
      const r = await signedPost(
        emu,
        LINK,
        {
          source: 'shop',
          externalId: `S-${n}`,
          identities: [
            { type: 'unionid', value: `u_a_${n}` },
            { type: 'unionid', value: `u_b_${n}` },
          ],
        },
        { source: 'shop' },
      );
      expect(r).toMatchObject({ status: 200, json: { ok: true } });
      const survivor = r.json?.data?.memberId as string;
      expect([a, b]).toContain(survivor);
      const loser = survivor === a ? b : a;
      const t = await totals(survivor);
      expect(t).toEqual({
        points: ta.points + tb.points,
        ledgerRows: ta.ledgerRows + tb.ledgerRows,
        coupons: ta.coupons + tb.coupons,
        ordersFen: ta.ordersFen + tb.ordersFen,
        orderRows: ta.orderRows + tb.orderRows,
        cache: ta.cache + tb.cache,
      });
      expect((await totals(loser)).ledgerRows).toBe(0);
      expect((await db.collection('members').doc(loser).get()).data.mergedInto).toBe(survivor);
      expect((await db.collection('merges').where({ loserId: loser }).get()).data).toEqual([
        expect.objectContaining({ survivorId: survivor, status: 'done' }),
      ]);
    }),
    { numRuns: 6 },
  );
});

test('S3 merge: the old member id resolves to the survivor (its openid logs into the survivor)', async () => {
  const a = await memberWithHistory({ ledger: [100], coupons: 0, orders: [] });
  const b = await memberWithHistory({ ledger: [50], coupons: 1, orders: [] }, 'u_old');
  await as(emu, `o_hist_${seq - 1}`).ok('member', 'bindPhone', { code: 'phone:13911112222' });
  const r = await signedPost(emu, LINK, {
    source: 'pos',
    externalId: 'C-old',
    identities: [
      { type: 'phone', value: '13911112222' },
      { type: 'unionid', value: 'u_old' },
    ],
  });
  const survivor = r.json?.data?.memberId as string;
  const loserOpenid = survivor === a ? `o_hist_${seq}` : `o_hist_${seq - 1}`;
  const loser = survivor === a ? b : a;
  const seenBefore = (await db.collection('members').doc(loser).get()).data.lastSeenAt;
  await setClock(emu, { advance: '1h' });
  const v = await as(emu, loserOpenid).ok('member', 'login', {});
  expect(v.memberId).toBe(survivor);
  expect([a, b]).toContain(survivor);
  // last-seen moves on the survivor only: the merged-away document is left as the merge wrote it
  const survivorDoc = (await db.collection('members').doc(survivor).get()).data;
  expect(new Date(survivorDoc.lastSeenAt).toISOString()).toBe(v.lastSeenAt);
  expect((await db.collection('members').doc(loser).get()).data.lastSeenAt).toEqual(seenBefore);
});

test('S3 merge: concurrent merges of one pair give one result', async () => {
  const a = await memberWithHistory({ ledger: [300, -100], coupons: 2, orders: [5000] }, 'u_con_a');
  const b = await memberWithHistory({ ledger: [700], coupons: 1, orders: [2500, 100] }, 'u_con_b');
  const rs = await Promise.all(
    Array.from({ length: 5 }, (_, i) =>
      signedPost(emu, LINK, {
        source: 'pos',
        externalId: `C-con-${i % 2}`,
        identities: [
          { type: 'unionid', value: i % 2 ? 'u_con_a' : 'u_con_b' },
          { type: 'unionid', value: i % 2 ? 'u_con_b' : 'u_con_a' },
        ],
      }),
    ),
  );
  const survivors = new Set(rs.map((r) => r.json?.data?.memberId));
  expect(rs.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
  expect(survivors.size).toBe(1);
  const survivor = [...survivors][0] as string;
  const loser = survivor === a ? b : a;
  expect((await db.collection('merges').where({ loserId: loser }).count()).total).toBe(1);
  expect((await db.collection('events').where({ type: 'member.merged', 'data.loserId': loser }).count()).total).toBe(1);
  expect(await totals(survivor)).toMatchObject({ points: 900, coupons: 3, ordersFen: 7600, cache: 900 });
});

test('S3 phone: binding a phone that belongs to another member merges them', async () => {
  const first = await as(emu, 'o_henry_old').ok('member', 'login', {});
  await as(emu, 'o_henry_old').ok('member', 'claimCard', {
    name: '何先生',
    birthday: '1985-01-01',
    language: 'zh',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  await as(emu, 'o_henry_old').ok('member', 'bindPhone', { code: 'phone:13722223333' });
  await as(emu, 'o_henry_new').ok('member', 'login', {});
  const r = await as(emu, 'o_henry_new').ok('member', 'bindPhone', { code: 'phone:13722223333' });
  expect(r).toMatchObject({ memberId: first.memberId, merged: true });
  const home = await as(emu, 'o_henry_new').ok('member', 'login', {});
  expect(home).toMatchObject({ memberId: first.memberId, state: 'member' });
});

test('signed endpoint: nonces past their time-to-live are purged by the daily timer', async () => {
  await signedPost(emu, LINK, { source: 'pos', externalId: 'C-purge', identities: [] }, { nonce: 'purge-me-0001' });
  expect((await db.collection('nonces').doc('pos:purge-me-0001').get()).data).toBeTruthy();
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '20m' }) });
  // fired as the platform fires a timer: no user in the context
  const inv = await emu.runtime.invoke(
    'member',
    { Type: 'Timer', TriggerName: 'purgeNonces', Time: emu.clock.now().toISOString() },
    { source: 'timer', trigger: 'timer' },
  );
  expect((inv.result as { removed: number }).removed).toBeGreaterThan(0);
  expect((await db.collection('nonces').where({ _id: 'pos:purge-me-0001' }).count()).total).toBe(0);
});
