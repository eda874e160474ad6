import type { Emulator } from '../../../emulator/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';
import { joined, orderEvents, referralEmulator, setClock, tick, visit } from './fixtures';

/** Rewards on the friend's first paid order, held for a 7-day refund window. */
let emu: Emulator;
let db: Sdk['db'];

beforeAll(async () => {
  emu = await referralEmulator({ rewardOn: 'first_paid_order', holdDays: 7 });
  ({ db } = connectSdk(emu, { throwOnNotFound: false }));
});
afterAll(() => emu?.close());

const vouchers = async (memberId: string) =>
  (await db.collection('coupons').where({ memberId, templateId: 'tpl_referral_20' }).count()).total as number;

test('S11 referral: a refund within the window cancels the held rewards; an order kept past it is rewarded', async () => {
  const nancy = await joined(emu, 'o_nancy_r', '南希', { scene: 's=store_sh_xintiandi' });
  const { token } = await nancy.c.ok('referral', 'shareToken', {});
  const refunder = await visit(emu, 'o_refunder');
  const keeper = await visit(emu, 'o_keeper');
  for (const f of [refunder, keeper]) {
    await f.c.ok('referral', 'open', { token });
    await f.c.ok('member', 'claimCard', {
      name: '好友',
      birthday: '1993-03-03',
      consents: { privacyVersion: '2026-01', marketingOptIn: false },
    });
  }
  await tick(emu);
  // joining alone earns nothing under this rule
  expect((await nancy.c.ok('referral', 'mine', {})).rewards).toEqual({ earned: 0, pending: 2, cancelled: 0 });

  await orderEvents(emu, refunder.memberId, 'R-1', 25_000);
  await orderEvents(emu, keeper.memberId, 'K-1', 18_000);
  await tick(emu);
  const held = (await db.collection('referrals').doc(refunder.memberId).get()).data;
  expect(held.rewards).toEqual({ referrer: 'held', friend: 'held' });
  expect(await vouchers(nancy.memberId)).toBe(0);
  const page = await nancy.c.ok('referral', 'mine', {});
  expect(page.friends.map((f) => [f.status, f.reward, f.rewardReleaseAt !== null])).toEqual([
    ['purchased', 'held', true],
    ['purchased', 'held', true],
  ]);

  await setClock(emu, { advance: '3d' });
  await orderEvents(emu, refunder.memberId, 'R-1', 25_000, 25_000);
  await tick(emu);
  expect((await db.collection('referrals').doc(refunder.memberId).get()).data.rewards).toEqual({
    referrer: 'cancelled',
    friend: 'cancelled',
  });

  await setClock(emu, { advance: '5d' }); // past the window: the timer releases the kept order's rewards
  expect((await db.collection('referrals').doc(keeper.memberId).get()).data.rewards).toEqual({
    referrer: 'granted',
    friend: 'granted',
  });
  expect([await vouchers(nancy.memberId), await vouchers(refunder.memberId), await vouchers(keeper.memberId)]).toEqual([
    1, 0, 1,
  ]);
  // a refund after the window takes nothing back
  await orderEvents(emu, keeper.memberId, 'K-1', 18_000, 18_000);
  await tick(emu);
  expect(await vouchers(keeper.memberId)).toBe(1);
  expect((await nancy.c.ok('referral', 'mine', {})).rewards).toEqual({ earned: 1, pending: 0, cancelled: 1 });
}, 60_000);
