import type { Emulator } from '../../../emulator/emulator';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { DEMO_MEMBER, playDemoStory } from '../../../scripts/seed/demo-story';
import { seedDemo, setClock } from './helpers';

/**
 * The demo brand as `npm start` and `npm run preview` load it: its set-up as documents (fixtures:
 * stores, staff, templates, services), its story played through the product; every figure the
 * member persona sees is read back through the product's own actions.
 */
let emu: Emulator;

beforeAll(async () => {
  emu = await testEmulator({ timerFunctions: [] });
  seedDemo(emu);
  // Monday 10:00 in Shanghai
  await setClock(emu, { set: '2026-05-04T02:00:00Z' });
}, 60_000);
afterAll(() => emu.close());

type Row = { source: string; orderId?: string; amount: number };

async function figures() {
  const me = as(emu, DEMO_MEMBER.openid);
  const [home, summary, history, wallet, bookings] = await Promise.all([
    me.ok('member', 'login', {}),
    me.ok('points', 'summary', {}),
    me.ok('points', 'history', {}),
    me.ok('coupons', 'list', {}),
    me.ok('appointments', 'mine', {}),
  ]);
  return {
    card: home.card?.points,
    tier: home.card?.tier,
    balance: summary.balance,
    spendable: summary.spendable,
    ledger: history.items.reduce((sum: number, r: { amount: number }) => sum + r.amount, 0),
    rows: history.items.map((r: Row) => `${r.orderId ?? r.source}:${r.amount}`).sort(),
    coupons: wallet.items.map((c: { templateId: string }) => c.templateId).sort(),
    bookings: bookings.items.length,
  };
}

test("the demo member's card, points page, history, wallet and bookings tell one story", async () => {
  const story = await playDemoStory(emu);
  expect(story.played).toBe(true);
  expect(await figures()).toEqual({
    card: 1280,
    tier: 'silver',
    balance: 1280,
    spendable: 1280,
    ledger: 1280,
    rows: ['pos:SU-SH-0001:880', 'signup:100', 'tmall:TM-7001:300'],
    coupons: ['tpl_spring_50', 'tpl_welcome_10off'],
    bookings: 1,
  });
});

test('starting again on the same data plays nothing twice', async () => {
  const before = await figures();
  const again = await playDemoStory(emu);
  expect(again.played).toBe(false);
  expect(await figures()).toEqual(before);
});

test('S4 join: seed 003 replays from the first scan: Nancy scans, claims, gets the 10% offer', async () => {
  const { scene } = await playDemoStory(emu);
  const nancy = as(emu, 'o_nancy_003');
  const first = await nancy.ok('member', 'login', { scene });
  expect(first.attribution.first).toMatchObject({ storeId: 'store_sh_xintiandi', advisorId: 'staff_advisor_sh' });
  const consents = { privacyVersion: '2026-01', marketingOptIn: true };
  const profile = { name: 'Nancy', birthday: '1993-02-14', language: 'en' as const, consents };
  const claimed = await nancy.ok('member', 'claimCard', profile);
  expect(claimed.card.points).toBe(100);
  const wallet = await nancy.ok('coupons', 'list', {});
  const tenPercentOff = { templateId: 'tpl_welcome_10off', benefit: { kind: 'percentOff', percent: 10 } };
  expect(wallet.items).toEqual([expect.objectContaining(tenPercentOff)]);
});
