import type { CustomElement } from 'miniprogram-automator/out/Element';
import { moveClock } from '../../../emulator/functions/timers';
import { eventually, usePreview, fresh, type AppPage } from '../../support/preview';
import { oaEventXml, oaQuery } from '../../integration/member/helpers';
import { order, syncOrders } from '../../integration/orders/support';

/**
 * The staff dashboard (S21, seed 000) in the browser preview: the daily statistics are made by the
 * product — people follow the Official Account (signed callbacks), followers buy (signed order
 * sync), and the orders function's `dailyStats` timer runs at 00:05 of each next day on the
 * emulator's clock — then a store manager opens the dashboard and sees the trend drawn by uCharts.
 */

// eslint-disable-next-line @typescript-eslint/no-require-imports -- pngjs ships no typings; the shape used is declared here
const { PNG } = require('pngjs') as {
  PNG: { sync: { read(b: Buffer): { width: number; height: number; data: Buffer } } };
};

jest.setTimeout(180_000);

const DASHBOARD = '/packageAdmin/pages/dashboard/index';
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** Local midnight (Shanghai) of the day `back` days before today, as an instant. */
function midnight(back: number, now: Date): Date {
  const local = new Date(now.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
  return new Date(Date.parse(`${local}T00:00:00Z`) - SHANGHAI_MS - back * DAY_MS);
}
const localDate = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);

async function follow(oaOpenid: string): Promise<void> {
  const at = Math.floor(app.h.emulator.clock.now().getTime() / 1000);
  const res = await fetch(`${app.h.emulator.url}/http/oa/callback?${oaQuery()}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: oaEventXml({ from: oaOpenid, event: 'subscribe', unionid: `u_${oaOpenid}`, at }),
  });
  expect(res.status).toBe(200);
}

async function buy(oaOpenid: string, orderNo: string): Promise<void> {
  const at = new Date(app.h.emulator.clock.now().getTime() - 60_000);
  const r = await syncOrders(app.h.emulator, 'pos', [
    order({ orderNo, customer: [{ type: 'openid', value: oaOpenid }], createdAt: at, paidAt: at }),
  ]);
  expect(r.status).toBe(200);
}

/**
 * Four days of business, each followed by the real `dailyStats` timer at 00:05 the next day:
 * followers 4, 4, 5, 5; paying followers 0, 1, 2, 3.
 */
const DAYS: { back: number; follows: string[]; buys: string[] }[] = [
  { back: 4, follows: ['oa_s21_a', 'oa_s21_b', 'oa_s21_c', 'oa_s21_d'], buys: [] },
  { back: 3, follows: [], buys: ['oa_s21_a'] },
  { back: 2, follows: ['oa_s21_e'], buys: ['oa_s21_b'] },
  { back: 1, follows: [], buys: ['oa_s21_c'] },
];

async function runBusinessDays(): Promise<string[]> {
  const now = app.h.emulator.clock.now();
  const dates: string[] = [];
  for (const d of DAYS) {
    const noon = new Date(midnight(d.back, now).getTime() + 12 * 3_600_000);
    app.h.emulator.clock.set(noon);
    for (const who of d.follows) await follow(who);
    for (const who of d.buys) await buy(who, `S21-${who}`);
    // just before and after 00:05 of the next day: only the statistics timer is due
    const next = midnight(d.back - 1, now);
    app.h.emulator.clock.set(new Date(next.getTime() + 4 * 60_000));
    const fired = await moveClock(app.h.emulator.runtime, app.h.emulator.clock, new Date(next.getTime() + 6 * 60_000), {
      only: ['orders'],
    });
    expect(fired.map((f) => [f.trigger, f.ok])).toEqual([['dailyStats', true]]);
    dates.push(localDate(noon));
  }
  app.h.emulator.clock.set(new Date(now.getTime() + 60_000));
  return dates;
}

type Page = AppPage;

/** How many times the trend-chart component has finished drawing (its own data: a custom component). */
async function drawnCount(page: Page): Promise<number> {
  const chart = (await page.$('#trend-chart')) as unknown as CustomElement | null;
  return Number(await chart?.data('drawn'));
}

async function openDashboard(): Promise<Page> {
  await app.mp.navigateTo(DASHBOARD);
  return app.settled(DASHBOARD.slice(1), { status: 'ready', timeoutMs: 20_000 });
}

/** Pixels of the first chart canvas: how many are drawn, and how many in the brand colour (the trend line). */
async function trendPixels(): Promise<{ width: number; painted: number; brand: number }> {
  return app.h.page.evaluate(() => {
    const canvas = document.querySelector('#pv-body canvas.pv-canvas') as HTMLCanvasElement | null;
    if (!canvas || !canvas.width) return { width: 0, painted: 0, brand: 0 };
    const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    let brand = 0;
    for (let i = 0; i < px.length; i += 4) {
      if (px[i + 3]! > 0) painted++;
      if (
        Math.abs(px[i]! - 140) < 30 &&
        Math.abs(px[i + 1]! - 47) < 30 &&
        Math.abs(px[i + 2]! - 57) < 30 &&
        px[i + 3]! > 200
      )
        brand++;
    }
    return { width: canvas.width, painted, brand };
  });
}

async function showTrend(): Promise<void> {
  await app.h.page.evaluate(() =>
    document.querySelector('#pv-body canvas.pv-canvas')?.scrollIntoView({ block: 'center' }),
  );
}

const app = usePreview({ persona: 'manager' });

test('S21 dashboard: a store manager sees the paid-among-followers trend chart', async () => {
  const dates = await runBusinessDays();

  const page = await openDashboard();
  const call = app.h.emulator.runtime
    .invocations(20, 'admin')
    .find((i) => (i.input as { action?: string }).action === 'dashboard.summary');
  expect(call).toMatchObject({ openid: 'o_demo_manager', ok: true });
  const days = (call!.result as { data: { days: { date: string }[] } }).data.days;
  expect(days.map((d) => d.date)).toEqual(dates);

  // seed 000: the share of paying customers among followers, day by day
  const trend = (await page.data('trend')) as { categories: string[]; series: { data: number[] }[] };
  expect(trend.categories).toEqual(dates.map((d) => d.slice(5)));
  expect(trend.series[0]!.data).toEqual([0, 1 / 4, 2 / 5, 3 / 5]);
  const figures = (await page.data('figures')) as { id: string; value: string }[];
  expect(figures.find((f) => f.id === 'paid-share')?.value).toBe('60.0%');
  expect(figures.find((f) => f.id === 'followers')?.value).toBe('5');
  expect(((await (await page.$('#figure-paid-share'))!.text()) ?? '').replace(/\s+/g, '')).toContain('60.0%');

  // the chart is really drawn: pixels on the canvas, among them the brand-coloured line
  await eventually(async () => expect(await drawnCount(page)).toBeGreaterThanOrEqual(1), 10_000);
  const pixels = await trendPixels();
  expect(pixels.width).toBeGreaterThan(300); // CSS width × pixel ratio
  expect(pixels.painted).toBeGreaterThan(1000);
  expect(pixels.brand).toBeGreaterThan(50);
  await app.h.screenshot('21-dashboard-zh');
  await showTrend();
  await app.h.screenshot('21-dashboard-trend-zh');

  // the 7-day preset asks for exactly the last seven complete days
  await fresh(async () => (await page.$('#preset-7'))!.tap());
  await eventually(async () => expect(await page.data('preset')).toBe(7));
  const last = app.h.emulator.runtime.invocations(5, 'admin')[0]!;
  const to = localDate(new Date(Date.now() - DAY_MS));
  expect(last.input).toMatchObject({
    action: 'dashboard.summary',
    from: localDate(new Date(Date.now() - 7 * DAY_MS)),
    to,
  });
});

/** The painted box of the page's n-th chart canvas as the screen shows it (CSS pixels): where it is not white. */
async function paintedBox(nth: number): Promise<{ width: number; height: number }> {
  const canvas = app.h.page.locator('#pv-body .pv-page:not([hidden]) canvas.pv-canvas').nth(nth);
  await canvas.scrollIntoViewIfNeeded();
  const png = PNG.sync.read(await canvas.screenshot());
  let [left, top, right, bottom] = [png.width, png.height, -1, -1];
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const i = (y * png.width + x) * 4;
      if (png.data[i]! > 240 && png.data[i + 1]! > 240 && png.data[i + 2]! > 240) continue;
      [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
    }
  }
  const scale = 2; // the harness's device pixel ratio
  return { width: (right - left + 1) / scale, height: (bottom - top + 1) / scale };
}

test('S21 dashboard: the stage ring is round and the count axis has whole numbers only', async () => {
  const page = await openDashboard();
  const ring = (await page.$('#stages-chart')) as unknown as CustomElement;
  await eventually(async () => expect(Number(await ring.data('drawn'))).toBeGreaterThanOrEqual(1), 10_000);
  const box = await paintedBox(1); // trend, stages, daily, rates: the page's charts in order
  expect(box.width).toBeGreaterThan(100);
  expect(Math.abs(box.width - box.height)).toBeLessThanOrEqual(2);

  const daily = (await page.$('#daily-chart')) as unknown as CustomElement;
  await eventually(async () => expect(Number(await daily.data('drawn'))).toBeGreaterThanOrEqual(1), 10_000);
  const labels = (await daily.data('yLabels')) as string[];
  expect(labels.length).toBeGreaterThan(1);
  for (const label of labels) expect(label).toMatch(/^\d+$/);
  await app.h.screenshot('21-dashboard-ring-axis-zh');
});

test('S21 dashboard in English: the same trend with English figures', async () => {
  await app.h.relaunch('manager', { lang: 'en_US' });
  const page = await openDashboard();
  expect(await page.data('lang')).toBe('en');
  const figures = (await page.data('figures')) as { id: string; label: string; value: string }[];
  expect(figures[0]).toMatchObject({ id: 'paid-share', label: 'Paid customers among followers', value: '60.0%' });
  await eventually(async () => expect(await drawnCount(page)).toBeGreaterThanOrEqual(1), 10_000);
  expect((await trendPixels()).brand).toBeGreaterThan(50);
  await app.h.screenshot('21-dashboard-en');
  await showTrend();
  await app.h.screenshot('21-dashboard-trend-en');
});
