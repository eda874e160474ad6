import type { Emulator } from '../../../emulator/emulator';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';
import { createLogger } from '../../../server/kit/logger';
import { settleReferral } from '../../../server/referral/settle';
import {
  emulatorNow,
  follow,
  joined,
  orderEvents,
  referralEmulator,
  seedReferralConfig,
  tick,
  visit,
} from './fixtures';

/** Referral through the emulator with the real wx-server-sdk: share, open, follow, join, rewards. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await referralEmulator();
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
});
afterAll(() => emu?.close());

const vouchers = async (memberId: string) =>
  (await db.collection('coupons').where({ memberId, templateId: 'tpl_referral_20' }).count()).total as number;
const eventsOf = async (memberId: string, type: string) =>
  (await db.collection('events').where({ memberId, type }).get()).data as { data: Record<string, unknown> }[];
const referral = async (friendId: string) => (await db.collection('referrals').doc(friendId).get()).data;

async function sharer(openid: string, name: string, unionid?: string) {
  const v = await joined(emu, openid, name, { scene: 's=store_sh_xintiandi', ...(unionid ? { unionid } : {}) });
  const share = await v.c.ok('referral', 'shareToken', {});
  return { ...v, token: share.token };
}

test('S11 referral: Nancy joins from a store QR, shares, Lizzy opens and joins → both get a 20 RMB voucher once', async () => {
  const nancy = await sharer('o_nancy', '南希', 'u_nancy');
  expect((await db.collection('members').doc(nancy.memberId).get()).data.attribution.first.storeId).toBe(
    'store_sh_xintiandi',
  );
  const share = await nancy.c.ok('referral', 'shareToken', { poster: true });
  expect(share.path).toBe(`packageReferral/pages/landing/index?ref=${encodeURIComponent(share.token)}`);
  expect(share.scene.length).toBeLessThanOrEqual(32);
  expect(share.poster?.imageBase64.length).toBeGreaterThan(100);
  expect(emu.openapi.list({ apiName: 'wxacode.getUnlimited' }).map((c) => c.params.scene)).toEqual([share.scene]);

  // Lizzy opens the poster (scene) on her phone, sees who invited her, follows the OA only
  const lizzy = await visit(emu, 'o_lizzy', { unionid: 'u_lizzy', query: { scene: encodeURIComponent(share.scene) } });
  const land = await lizzy.c.ok('referral', 'landing', { token: share.scene });
  expect(land).toMatchObject({
    valid: true,
    referrer: { name: '南*' },
    offer: { templateId: 'tpl_referral_20', amountFen: 2000 },
    rewardOn: 'join',
  });
  expect(await lizzy.c.ok('referral', 'open', { token: share.scene })).toEqual({ recorded: true, reason: null });
  await follow(emu, 'oa_lizzy', 'u_lizzy');
  await tick(emu);
  expect(await referral(lizzy.memberId)).toMatchObject({
    referrerId: nancy.memberId,
    rewards: { referrer: 'none', friend: 'none' },
  });
  expect(await eventsOf(lizzy.memberId, 'referral.friend_followed')).toHaveLength(1);
  expect((await nancy.c.ok('referral', 'mine', {})).friends).toEqual([
    expect.objectContaining({ status: 'followed', reward: 'none' }),
  ]);

  // later she joins and buys; the timer rewards both sides once, whatever the replays
  await lizzy.c.ok('member', 'claimCard', {
    name: '丽兹',
    birthday: '1996-09-02',
    consents: { privacyVersion: '2026-01', marketingOptIn: true },
  });
  await tick(emu);
  expect([await vouchers(nancy.memberId), await vouchers(lizzy.memberId)]).toEqual([1, 1]);
  const now = await emulatorNow(emu);
  await orderEvents(emu, lizzy.memberId, 'L-1', 32_000);
  const [joinedEvent] = await eventsOf(lizzy.memberId, 'member.joined');
  await db
    .collection('events')
    .add({ data: { ...joinedEvent, _id: undefined, type: 'member.joined', memberId: lizzy.memberId, at: now } }); // a replayed event
  await tick(emu);
  await tick(emu);
  expect([await vouchers(nancy.memberId), await vouchers(lizzy.memberId)]).toEqual([1, 1]);
  const mine = await nancy.c.ok('referral', 'mine', {});
  expect(mine).toEqual({
    page: 0,
    pageSize: 20,
    hasMore: false,
    total: 1,
    friends: [expect.objectContaining({ name: '丽*', status: 'purchased', reward: 'granted' })],
    rewards: { earned: 1, pending: 0, cancelled: 0 },
  });
  expect(await eventsOf(nancy.memberId, 'referral.reward_granted')).toHaveLength(1);
}, 60_000);

test('S11 anti-fraud: self-referral through a second identity → no reward (same UnionID at once, same phone after a merge)', async () => {
  const grace = await sharer('o_grace', '格蕾丝', 'u_grace');
  // a second Mini Program identity with the same UnionID is the same person
  const twin = await visit(emu, 'o_grace_2', { unionid: 'u_grace' });
  expect(twin.memberId).toBe(grace.memberId);
  expect(await twin.c.ok('referral', 'open', { token: grace.token })).toEqual({
    recorded: false,
    reason: 'self_referral',
  });

  // a fresh account is accepted at first, joins, then binds Grace's phone: merged → the reward is cancelled
  await grace.c.ok('member', 'bindPhone', { code: 'phone:13900000001' });
  const alt = await visit(emu, 'o_grace_alt');
  expect((await alt.c.ok('referral', 'open', { token: grace.token })).recorded).toBe(true);
  await alt.c.ok('member', 'claimCard', {
    name: '格格',
    birthday: '1990-01-01',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  await alt.c.ok('member', 'bindPhone', { code: 'phone:13900000001' });
  await tick(emu);
  const r = (await db.collection('referrals').where({ referrerId: grace.memberId }).get()).data;
  expect(r).toHaveLength(1);
  expect(r[0].rewards).toEqual({ referrer: 'cancelled', friend: 'cancelled' });
  expect(await vouchers(grace.memberId)).toBe(0);
  expect(await vouchers(alt.memberId)).toBe(0);
}, 60_000);

test('S11 anti-fraud: two inviters → the first wins', async () => {
  const a = await sharer('o_inviter_a', '阿美');
  const b = await sharer('o_inviter_b', '贝贝');
  const friend = await visit(emu, 'o_friend_ab');
  expect(await friend.c.ok('referral', 'open', { token: a.token })).toEqual({ recorded: true, reason: null });
  expect(await friend.c.ok('referral', 'open', { token: b.token })).toEqual({
    recorded: false,
    reason: 'already_referred',
  });
  expect(await friend.c.ok('referral', 'open', { token: a.token })).toEqual({
    recorded: false,
    reason: 'already_referred',
  });
  await friend.c.ok('member', 'claimCard', {
    name: '朋友',
    birthday: '1995-05-05',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  });
  await tick(emu);
  expect([await vouchers(a.memberId), await vouchers(b.memberId), await vouchers(friend.memberId)]).toEqual([1, 0, 1]);
  // two first opens racing: one referral document, one referrer
  const c = await sharer('o_inviter_c', '晨晨');
  const d = await sharer('o_inviter_d', '丹丹');
  const racer = await visit(emu, 'o_friend_race');
  const results = await Promise.all([c, d, c, d].map((s) => racer.c.ok('referral', 'open', { token: s.token })));
  expect(results.filter((x) => x.recorded)).toHaveLength(1);
  expect(await referral(racer.memberId)).toMatchObject({ refereeId: racer.memberId });
}, 60_000);

test('S11 anti-fraud: concurrent joins of one friend → one reward pair', async () => {
  const host = await sharer('o_host', '红红');
  const friend = await visit(emu, 'o_friend_conc');
  await friend.c.ok('referral', 'open', { token: host.token });
  const claim = {
    name: '并发',
    birthday: '1994-04-04',
    consents: { privacyVersion: '2026-01', marketingOptIn: false },
  };
  await Promise.all(Array.from({ length: 6 }, () => friend.c.call('member', 'claimCard', claim)));
  // the timer, a retry and a second instance all settle the same referral at once
  await db
    .collection('referrals')
    .doc(friend.memberId)
    .update({ data: { joinedAt: await emulatorNow(emu), dueAt: await emulatorNow(emu) } });
  const now = await emulatorNow(emu);
  const ctx = { db, now: () => now, log: createLogger({ test: 'referral' }), requestId: 'test' };
  const applied = await Promise.all(Array.from({ length: 6 }, () => settleReferral(ctx, friend.memberId)));
  expect(applied.reduce((a, b) => a + b, 0)).toBe(2); // two actions (one per side) in all six runs
  expect([await vouchers(host.memberId), await vouchers(friend.memberId)]).toEqual([1, 1]);
  await tick(emu); // the join event itself, read later, changes nothing
  expect([await vouchers(host.memberId), await vouchers(friend.memberId)]).toEqual([1, 1]);
  expect(await referral(friend.memberId)).toMatchObject({
    rewards: { referrer: 'granted', friend: 'granted' },
    dueAt: null,
  });
}, 60_000);

test('S11 anti-fraud: a tampered or unknown token is ignored and login still works', async () => {
  const owner = await sharer('o_owner', '欧文');
  const [id, day, sig] = owner.token.split('.');
  const tampered = [
    `m_someone_else.${day}.${sig}`,
    `${id}.${day}.AAAAAAAA`,
    `${id}.zz.${sig}`,
    'r=nonexistent',
    'garbage',
  ];
  const visitor = await visit(emu, 'o_tamper', { query: { ref: tampered[0] as string } });
  expect(visitor.memberId).toMatch(/^m_/);
  for (const token of tampered) {
    expect(await visitor.c.ok('referral', 'open', { token })).toEqual({ recorded: false, reason: 'invalid_token' });
    expect((await visitor.c.ok('referral', 'landing', { token })).valid).toBe(false);
  }
  expect(await referral(visitor.memberId)).toBeNull();
  // never logged in: refused quietly
  expect(await as(emu, 'o_never_logged').ok('referral', 'open', { token: owner.token })).toEqual({
    recorded: false,
    reason: 'not_logged_in',
  });
  // only card members share
  const r = await visitor.c.call('referral', 'shareToken', {});
  expect(r).toMatchObject({ ok: false, error: { code: 'REFERRAL_NOT_MEMBER' } });
}, 60_000);

test('S12 follower-only friend is kept as referred and emits the follow event', async () => {
  const nancy = await sharer('o_nancy_s12', '南茜');
  const friend = await visit(emu, 'o_fan', { unionid: 'u_fan' });
  await friend.c.ok('referral', 'open', { token: nancy.token });
  await follow(emu, 'oa_fan', 'u_fan');
  await tick(emu);
  await follow(emu, 'oa_fan', 'u_fan'); // the platform's retry, and a re-follow later, keep one follow event
  await tick(emu);
  const m = (await db.collection('members').doc(friend.memberId).get()).data;
  expect(m).toMatchObject({ state: 'follower', referredBy: nancy.memberId });
  expect(m.tags.map((t: { tagId: string }) => t.tagId)).toContain('referred');
  const followed = await eventsOf(friend.memberId, 'referral.friend_followed');
  expect(followed).toHaveLength(1);
  expect(followed[0]?.data).toMatchObject({ referrerId: nancy.memberId });
  expect((await eventsOf(friend.memberId, 'segment.entered')).map((e) => e.data.segmentId)).toEqual(['hi-po']);
  expect(await referral(friend.memberId)).toMatchObject({
    referrerId: nancy.memberId,
    followEmitted: true,
    joinedAt: null,
    rewards: { referrer: 'none', friend: 'none' },
  });
  expect(await vouchers(nancy.memberId)).toBe(0);
}, 60_000);

test("S11 the referrer's page: friends newest first, 20 a page; reward counts cover every friend, not just the page", async () => {
  await seedReferralConfig(emu, { capPerDay: 100 }); // the default 10 a day would stop the 11th friend
  const host = await sharer('o_host_pages', '主人');
  for (let i = 0; i < 45; i++) {
    const friend = await visit(emu, `o_pager_${String(i).padStart(2, '0')}`);
    expect(await friend.c.ok('referral', 'open', { token: host.token })).toMatchObject({ recorded: true });
  }
  // three of them join: their rewards (on join) are granted by the timer
  for (const i of [0, 1, 2])
    await as(emu, `o_pager_0${i}`).ok('member', 'claimCard', {
      name: `朋友${i}`,
      birthday: '1995-01-01',
      consents: { privacyVersion: '2026-01', marketingOptIn: false },
    });
  await tick(emu);

  const pages = [];
  for (let page = 0; page < 3; page++) pages.push(await host.c.ok('referral', 'mine', { page }));
  expect(pages.map((p) => [p.friends.length, p.hasMore, p.total])).toEqual([
    [20, true, 45],
    [20, true, 45],
    [5, false, 45],
  ]);
  for (const p of pages) expect(p.rewards).toEqual({ earned: 3, pending: 42, cancelled: 0 });
  const opened = pages.flatMap((p) => p.friends.map((f) => f.openedAt));
  expect([...opened].sort().reverse()).toEqual(opened);
  expect(pages.flatMap((p) => p.friends).filter((f) => f.status === 'joined')).toHaveLength(3);
  expect(await host.c.call('referral', 'mine', { page: -1 })).toMatchObject({
    ok: false,
    error: { code: 'INVALID_INPUT' },
  });
}, 120_000);
