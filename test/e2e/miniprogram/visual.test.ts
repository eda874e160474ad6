import { join } from 'node:path';
import type { Locator } from 'playwright-core';
import { as } from '../../support/client';
import { compareWithReference, type Comparison } from '../../support/pixel-diff';
import { runStatsTimer } from '../../../scripts/local-cloud';
import { SHOTS_DIR, eventually, fresh, usePreview } from '../../support/preview';

/**
 * The key pages at 375 px in Chinese, compared pixel by pixel with the committed references in
 * `test/e2e/miniprogram/reference/`. The screen is made the same on every run: the emulator and the
 * phone start at one fixed instant, the personas are seeded from it, animations are stopped and a
 * screenshot is taken only once two in a row agree. The member code changes every minute, so its
 * symbols and number are masked (they are read by the code decoders in scannable-codes.test.ts), and
 * so is the card number, which the product draws at random when the card is claimed.
 * A changed page writes `test-artifacts/miniprogram/visual/<name>-diff.png`; after an intended
 * change, `UPDATE_REFERENCES=1 npx jest test/e2e/miniprogram/visual.test.ts` rewrites the references.
 */

jest.setTimeout(600_000);

const START = new Date('2026-05-12T02:00:00.000Z'); // a Tuesday, 10:00 in Shanghai
/** Share of pixels allowed to differ (beyond pixelmatch's colour threshold) before a page counts as changed. */
const MAX_CHANGED = 0.002;
const OUT = join(SHOTS_DIR, 'visual');

const app = usePreview({ persona: 'member', lang: 'zh_CN', startAt: START });

interface Stop {
  name: string;
  persona: string;
  path: string;
  /** After the page loaded: what a person does before the shot. */
  then?: () => Promise<void>;
  /** Parts that change by themselves (the rotating member code). */
  mask?: string[];
}

/** The parts around the card (points progress, what expires, the next booking, picks) have been read. */
async function homeExtrasLoaded(): Promise<void> {
  const home = await app.settled('pages/home/index');
  await eventually(async () => expect(((await home.data('extras')) as { loaded: boolean }).loaded).toBe(true));
}

async function showMemberCode(): Promise<void> {
  await homeExtrasLoaded();
  const home = await app.settled('pages/home/index');
  await fresh(async () => (await home.$('#code-toggle'))!.tap());
  await eventually(async () => expect(await home.data('codeStatus')).toBe('ready'));
}

const STOPS: Stop[] = [
  { name: 'home', persona: 'member', path: 'pages/home/index', then: homeExtrasLoaded },
  {
    name: 'member-code',
    persona: 'member',
    path: 'pages/home/index',
    then: showMemberCode,
    mask: ['canvas', '[class*="code-text"]'],
  },
  { name: 'me', persona: 'member', path: 'pages/me/index' },
  { name: 'points', persona: 'member', path: 'packageMember/pages/points/index' },
  { name: 'orders', persona: 'member', path: 'packageMember/pages/orders/index' },
  { name: 'coupons', persona: 'member', path: 'pages/coupons/index' },
  { name: 'dashboard', persona: 'manager', path: 'packageAdmin/pages/dashboard/index' },
];

/** A screenshot of the phone once two taken in a row are the same (late answers, images and fonts have landed). */
async function steadyShot(mask: Locator[]): Promise<Buffer> {
  const phone = app.h.page.locator('#phone');
  await app.h.page.evaluate(() => document.fonts.ready.then(() => undefined));
  let last: Buffer | undefined;
  for (let i = 0; i < 20; i++) {
    const shot = await phone.screenshot({
      animations: 'disabled',
      caret: 'hide',
      scale: 'css',
      mask,
      maskColor: '#9e9e9e',
    });
    if (last?.equals(shot)) return shot;
    last = shot;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error('the screen kept changing');
}

test('key pages at 375 px in Chinese look as the committed references do', async () => {
  // the statistics timers run as they do just after midnight, so the dashboard charts the personas' day
  await runStatsTimer(app.h.emulator);
  const results: Comparison[] = [];
  for (const stop of STOPS) {
    await app.h.relaunch(stop.persona, { lang: 'zh_CN', width: 375, path: stop.path });
    await app.settled(stop.path, { timeoutMs: 20_000 });
    await stop.then?.();
    const page = app.h.page.locator('#pv-body .pv-page:not([hidden])');
    const cardNumber = page.getByText(/^\d{4} \d{4} \d{4}$/);
    const shot = await steadyShot([...(stop.mask ?? []).map((s) => page.locator(s)), cardNumber]);
    results.push(compareWithReference(stop.name, shot, OUT));
  }
  const changed = results
    .filter((r) => r.ratio > MAX_CHANGED)
    .map((r) => `${r.name}: ${(r.ratio * 100).toFixed(2)}% (${r.diffPath ?? 'size'})`);
  expect(changed).toEqual([]);
});

test('S8 points: the balance, "available", the history and the tier progress the member earned agree', async () => {
  await app.h.relaunch('member', { lang: 'zh_CN', width: 375, path: 'pages/home/index' });
  const home = await app.settled('pages/home/index', { status: 'ready' });
  const card = (await home.data('card')) as { points: string; tier: string };
  await app.h.relaunch('member', { lang: 'zh_CN', width: 375, path: 'packageMember/pages/points/index' });
  const page = await app.settled('packageMember/pages/points/index', { status: 'ready' });
  const text = async (selector: string) => fresh(async () => ((await (await page.$(selector))?.text()) ?? '').trim());
  const number = (s: string) => Number(/-?\d+/.exec(s.replace(/,/g, ''))?.[0]);
  const balance = number(await text('#balance-value'));
  const history = (await page.data('history')) as { amount: string }[];

  expect(balance).toBeGreaterThan(0);
  expect(number(await text('#spendable'))).toBe(balance);
  expect(history.reduce((sum, row) => sum + number(row.amount), 0)).toBe(balance);
  expect(number(card.points)).toBe(balance);
  expect(await text('#tier')).toContain(card.tier);

  const summary = await as(app.h.emulator, 'o_preview_member').ok('points', 'summary', {});
  expect(summary.balance).toBe(balance);
  // progress counts what was earned toward the tier (not the sign-up bonus): within what the history shows earned
  const earned = history
    .map((row) => number(row.amount))
    .filter((n) => n > 0)
    .reduce((a, b) => a + b, 0);
  expect(summary.progress.value).toBeGreaterThan(0);
  expect(summary.progress.value).toBeLessThanOrEqual(earned);
  expect(await text('#tier-message')).toContain(String(summary.progress.missing));
  const percent = Number(((await page.data('header')) as { percent: number }).percent);
  expect(percent).toBe(Math.round(100 * summary.progress.ratio));
});
