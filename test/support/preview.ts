import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import automator from 'miniprogram-automator';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/emulator';
import { seedDocuments } from '../../emulator/seed';
import { startPreview, type PreviewServer } from '../../preview/server';
import { personaAt } from '../../preview/personas';
import { personaDocuments } from '../../preview/seed';
import { buildMiniprogram } from '../../scripts/build-miniprogram';
import { demoBrand } from '../../scripts/seed/demo-brand';
import { launchBrowser } from './browser';
import { testEmulator } from './emulator';

export type MiniProgram = Awaited<ReturnType<typeof automator.connect>>;

export interface PreviewHarness {
  miniProgram: MiniProgram;
  emulator: Emulator;
  preview: PreviewServer;
  /** The Chromium page showing the phone (for what automator cannot reach: the tab bar, the persona switch). */
  page: Page;
  /** Saves the phone frame to `test-artifacts/miniprogram/<name>.png` and returns the path. */
  screenshot(name: string): Promise<string>;
  /** Opens the app afresh as another persona (same emulator, same automator connection); `path` launches at that page, as a share card does. */
  relaunch(persona: string, options?: { lang?: string; path?: string }): Promise<void>;
  close(): Promise<void>;
}

export const SHOTS_DIR = join(__dirname, '..', '..', 'test-artifacts', 'miniprogram');

async function open(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForFunction(() => document.body.dataset.ready !== undefined, undefined, { timeout: 30_000 });
  const state = await page.evaluate(() => document.body.dataset.ready);
  if (state !== 'true') throw new Error(`preview failed to boot: ${await page.locator('#pv-body').textContent()}`);
}

/**
 * The real Mini Program in Chromium against a fresh emulator (product functions and schema, the
 * demo brand and persona documents), driven through miniprogram-automator. One per test file.
 */
export async function startPreviewHarness(options: { persona?: string; lang?: string } = {}): Promise<PreviewHarness> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  const { outDir } = buildMiniprogram({ outDir: join(mkdtempSync(join(tmpdir(), 'mp-preview-')), 'miniprogram') });
  const emulator = await testEmulator();
  seedDocuments(emulator, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  seedDocuments(emulator, personaDocuments(emulator.clock.now()));
  const preview = await startPreview({ appDir: outDir, emulatorUrl: emulator.url });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 760, height: 880 }, deviceScaleFactor: 2 });
    page.on('pageerror', (e) => console.error('[preview]', e.message));
    const address = (persona: string, lang?: string) => `${preview.url}/?persona=${persona}&auto=1${lang ? `&lang=${lang}` : ''}`;
    await open(page, address(options.persona ?? 'visitor', options.lang));
    preview.attach(page);
    const miniProgram = await automator.connect({ wsEndpoint: preview.wsEndpoint });
    const b = browser;
    return {
      miniProgram,
      emulator,
      preview,
      page,
      screenshot: async (name) => {
        const path = join(SHOTS_DIR, `${name}.png`);
        await page.locator('#phone').screenshot({ path });
        return path;
      },
      relaunch: (persona, o = {}) => open(page, address(o.path ? encodeURIComponent(personaAt(persona, o.path)) : persona, o.lang)),
      close: async () => {
        miniProgram.disconnect();
        await b.close();
        await preview.close();
        await emulator.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await preview.close();
    await emulator.close();
    throw e;
  }
}

/** Retries `check` until it passes (the app answers cloud calls asynchronously). */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 150));
    }
  }
}
