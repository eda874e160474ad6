import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import automator from 'miniprogram-automator';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../support/browser';
import { fresh } from '../support/preview';

/** `npm run preview` on its own: an outside script connects with automator; a person opens the page. */

jest.setTimeout(180_000);

const ROOT = join(__dirname, '..', '..');
let child: ChildProcess | undefined;
let browser: Browser | undefined;
let banner = '';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

beforeAll(async () => {
  const port = await freePort();
  const { DATA_DIR: _kept, ...env } = process.env; // in memory, whatever this shell keeps
  child = spawn(process.execPath, ['scripts/run-ts.js', 'scripts/preview.ts'], {
    cwd: ROOT,
    env: { ...env, PORT: String(port), EMULATOR_PORT: '0' },
  });
  await new Promise<void>((resolve, reject) => {
    child!.stdout!.on('data', (b: Buffer) => {
      banner += b.toString();
      if (/automator\s+ws:\S+/.test(banner)) resolve();
    });
    child!.stderr!.on('data', (b: Buffer) => (banner += b.toString()));
    child!.once('exit', (code) => reject(new Error(`npm run preview ended (${code}): ${banner}`)));
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  child?.kill('SIGTERM');
});

const line = (name: string) =>
  banner
    .split('\n')
    .find((l) => l.trim().startsWith(name))!
    .trim()
    .split(/\s+/)[1]!
    .replace(/\/$/, '');

test('automator.connect alone drives the preview: Chromium is started for it, as the visitor', async () => {
  const mp = await automator.connect({ wsEndpoint: line('automator') });
  try {
    const page = (await mp.currentPage())!;
    expect(page.path).toBe('pages/home/index');
    await page.waitFor(async () => (await page.data('status')) === 'ready');
    expect(await fresh(async () => (await page.$('#welcome'))!.text())).toBe('欢迎来到苏韵');
  } finally {
    mp.disconnect();
  }
});

test('the preview page gives the phone its full 375 px width, even in a narrow window', async () => {
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
  await page.goto(`${line('preview')}/?persona=visitor`).catch((e: Error) => {
    throw new Error(`${e.message}\n${banner}`);
  });
  await page.waitForFunction(() => document.body.dataset.ready === 'true');
  expect(await page.locator('#phone').evaluate((el) => el.getBoundingClientRect().width)).toBe(375);
  expect(await page.locator('#pv-body').evaluate((el) => el.clientWidth)).toBe(375);
});
