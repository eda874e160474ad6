import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * Chromium for the preview when an automator client connects and no browser is attached:
 * CHROMIUM or Debian's /usr/bin/chromium, headless, showing the preview as `persona`.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-sync',
];

export async function openPreviewPage(url: string, persona = 'visitor'): Promise<{ browser: Browser; page: Page }> {
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`no browser is attached and Chromium is missing at ${executablePath} (set CHROMIUM)`);
  }
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: 760, height: 880 }, deviceScaleFactor: 2 });
    await page.goto(`${url}/?persona=${encodeURIComponent(persona)}&auto=1`);
    // strings, not functions: this file is compiled for Node, the expressions run in the page
    await page.waitForFunction('document.body.dataset.ready !== undefined', undefined, { timeout: 30_000 });
    if ((await page.evaluate('document.body.dataset.ready')) !== 'true') {
      throw new Error(`preview failed to boot: ${await page.locator('#pv-body').textContent()}`);
    }
    return { browser, page };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
