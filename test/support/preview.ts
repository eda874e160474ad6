import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import automator from 'miniprogram-automator';
import type { Browser, Page } from 'playwright-core';
import type { Emulator } from '../../emulator/emulator';
import type { Invocation } from '../../emulator/functions/invocation';
import { seedDocuments } from '../../emulator/seed';
import { startPreview, type PreviewServer } from '../../preview/server';
import { personaAt, personaById } from '../../preview/personas';
import { playPersonaStories } from '../../preview/seed';
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
  relaunch(persona: string, options?: { lang?: string; path?: string; width?: number }): Promise<void>;
  /** Cloud calls since the app first opened, newest first: the personas' past, played before, is left out. */
  appCalls(limit?: number): Invocation[];
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
 * demo brand, the personas' past played through the product), driven through miniprogram-automator.
 * One per test file.
 */
export interface PreviewOptions {
  persona?: string;
  lang?: string;
  /** Starts the emulator's and the phone's clocks here (screens that show dates stay the same from run to run). */
  startAt?: Date;
}

export async function startPreviewHarness(options: PreviewOptions = {}): Promise<PreviewHarness> {
  mkdirSync(SHOTS_DIR, { recursive: true });
  if (process.env.AUTOMATOR_WS) return startDevtoolsHarness(process.env.AUTOMATOR_WS, options);
  const { outDir } = buildMiniprogram({ outDir: join(mkdtempSync(join(tmpdir(), 'mp-preview-')), 'miniprogram') });
  const emulator = await testEmulator(options.startAt ? { startAt: options.startAt } : {});
  seedDocuments(emulator, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  await playPersonaStories(emulator);
  const openedAt = emulator.clock.now().toISOString();
  const appCalls = (limit = 100) => emulator.runtime.invocations(limit).filter((i) => i.at >= openedAt);
  const preview = await startPreview({ appDir: outDir, emulatorUrl: emulator.url });
  let browser: Browser | undefined;
  try {
    browser = await launchBrowser();
    const page = await browser.newPage({ viewport: { width: 760, height: 880 }, deviceScaleFactor: 2 });
    page.on('pageerror', (e) => console.error('[preview]', e.message));
    if (options.startAt) {
      // the phone's clock starts where the emulator's does and runs on (a frozen one stalls the app's own waits)
      await page.clock.install({ time: options.startAt });
      await page.clock.resume();
    }
    const address = (persona: string, lang?: string, width?: number) =>
      `${preview.url}/?persona=${persona}&auto=1${lang ? `&lang=${lang}` : ''}${width ? `&width=${width}` : ''}`;
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
      relaunch: (persona, o = {}) =>
        open(page, address(o.path ? encodeURIComponent(personaAt(persona, o.path)) : persona, o.lang, o.width)),
      appCalls,
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

/** A page of the running app, as automator hands it out. */
export type AppPage = NonNullable<Awaited<ReturnType<MiniProgram['currentPage']>>>;

export interface SettleOptions {
  timeoutMs?: number;
  /** The status to wait for; by default any status but `loading`. */
  status?: string;
}

/** The current page once it is `path` and has loaded (its `status` is no longer `loading`, or is `status`). */
export async function settled(mp: MiniProgram, path: string, options: SettleOptions = {}): Promise<AppPage> {
  return eventually(async () => {
    const page = await mp.currentPage();
    if (!page) throw new Error('no current page yet');
    expect(page.path).toBe(path);
    const status = await page.data('status');
    if (options.status) expect(status).toBe(options.status);
    else expect(status).not.toBe('loading');
    return page;
  }, options.timeoutMs ?? 15_000);
}

/** One preview per test file: started before its tests (then `ready`), closed after them. */
export interface FilePreview {
  readonly h: PreviewHarness;
  readonly mp: MiniProgram;
  settled(path: string, options?: SettleOptions): Promise<AppPage>;
}

export function usePreview(options: PreviewOptions, ready?: (h: PreviewHarness) => Promise<void>): FilePreview {
  let started: PreviewHarness | undefined;
  beforeAll(async () => {
    started = await startPreviewHarness(options);
    await ready?.(started);
  }, 600_000);
  afterAll(async () => {
    await started?.close();
  });
  const harness = (): PreviewHarness => {
    if (!started) throw new Error('the preview has not started (use it inside tests and hooks)');
    return started;
  };
  return {
    get h() {
      return harness();
    },
    get mp() {
      return harness().miniProgram;
    },
    settled: (path, o) => settled(harness().miniProgram, path, o),
  };
}

/** An element of a page of the running app. */
export type AppElement = NonNullable<Awaited<ReturnType<AppPage['$']>>>;

/** The element at `selector` once the page shows it. */
export async function element(page: AppPage, selector: string): Promise<AppElement> {
  return eventually(async () => {
    const el = await page.$(selector);
    expect(el).not.toBeNull();
    return el!;
  });
}

/** Types `value` into the input at `selector`. */
export const typeInto = (page: AppPage, selector: string, value: string) =>
  fresh(async () => ((await element(page, selector)) as unknown as { input(v: string): Promise<void> }).input(value));

/** Taps the element at `selector`. */
export const tapOn = (page: AppPage, selector: string) => fresh(async () => (await element(page, selector)).tap());

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

/** Taps the journey editor's simulate button and waits for the timeline it shows. */
export async function simulateJourney(editor: AppPage): Promise<{ kind: string; detail: string }[]> {
  await tapOn(editor, '#simulate-journey');
  return eventually(async () => {
    const rows = (await editor.data('timeline')) as { kind: string; detail: string }[];
    expect(rows.length).toBeGreaterThan(0);
    return rows;
  }, 20_000);
}

/**
 * Runs a query-then-use step again when the page rendered anew between finding the element and using
 * it (the preview, like DevTools, refuses a handle whose element a re-render replaced).
 */
export async function fresh<T>(step: () => Promise<T>, tries = 5): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await step();
    } catch (e) {
      if (i >= tries || !/is no longer on the page/.test(String((e as Error)?.message))) throw e;
    }
  }
}

/** Storage keys the DevTools build's cloud shim reads (scripts/test-devtools.ts writes the shim). */
export const DEVTOOLS_OPENID_KEY = '__emulator_openid';

/**
 * `npm run test:devtools`: the same harness against WeChat DevTools on `AUTOMATOR_WS`
 * (`cli auto --auto-port`). A fresh emulator per test file listens on `EMULATOR_PORT`, where the
 * DevTools build's cloud shim sends every `wx.cloud.callFunction` with the OpenID kept in storage.
 * A persona switch saves this persona's storage, restores the next one's, sets the OpenID and
 * language, writes the launch page, query and scene as the project's compile condition and restarts
 * the project (`DEVTOOLS_CLI` + `DEVTOOLS_PROJECT`), so its launch login runs as that persona.
 * `h.page` and `h.preview` do not exist there (the tab bar, toasts and persona switch are DevTools' own).
 */
async function startDevtoolsHarness(
  wsEndpoint: string,
  options: { persona?: string; lang?: string },
): Promise<PreviewHarness> {
  const port = Number(process.env.EMULATOR_PORT ?? 3910);
  const emulator = await testEmulator({ port });
  seedDocuments(emulator, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  await playPersonaStories(emulator);
  const openedAt = emulator.clock.now().toISOString();
  const appCalls = (limit = 100) => emulator.runtime.invocations(limit).filter((i) => i.at >= openedAt);
  let current = await automator.connect({ wsEndpoint });
  // tests keep `h.miniProgram`: it forwards to whichever connection is live after a restart
  const miniProgram = new Proxy({} as MiniProgram, {
    get: (_t, key) => {
      const value = (current as unknown as Record<string | symbol, unknown>)[key];
      return typeof value === 'function' ? value.bind(current) : value;
    },
  });
  const saved = new Map<string, Record<string, unknown>>();
  let persona = '';

  async function storageOf(): Promise<Record<string, unknown>> {
    const { keys } = (await current.callWxMethod('getStorageInfoSync')) as { keys: string[] };
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = await current.callWxMethod('getStorageSync', k);
    return out;
  }

  async function restart(
    projectPath: string,
    launch: { path: string; query: Record<string, string>; scene: number },
  ): Promise<void> {
    const configFile = join(projectPath, 'project.private.config.json');
    let config: Record<string, unknown> = {};
    try {
      config = JSON.parse(readFileSync(configFile, 'utf8')) as Record<string, unknown>;
    } catch {
      // first run: DevTools writes it when the project is opened
    }
    const condition = {
      name: 'automator',
      pathName: launch.path,
      query: new URLSearchParams(launch.query).toString(),
      scene: launch.scene,
      launchMode: 'default',
    };
    writeFileSync(
      configFile,
      JSON.stringify({ ...config, condition: { miniprogram: { list: [condition], current: 0 } } }, null, 2),
    );
    const port = Number(new URL(wsEndpoint).port);
    await current.close();
    current = await automator.launch({
      cliPath: process.env.DEVTOOLS_CLI,
      projectPath,
      port,
      trustProject: true,
    } as Parameters<typeof automator.launch>[0]);
  }

  async function relaunch(id: string, o: { lang?: string; path?: string } = {}): Promise<void> {
    const next = personaById(o.path ? personaAt(id, o.path) : id);
    if (persona) saved.set(persona, await storageOf());
    await current.callWxMethod('clearStorageSync');
    for (const [k, v] of Object.entries(saved.get(next.id) ?? {})) await current.callWxMethod('setStorageSync', k, v);
    await current.callWxMethod('setStorageSync', DEVTOOLS_OPENID_KEY, next.openid);
    // the preview sets the system language; DevTools has its own, so the choice is saved as the app's own
    if (o.lang)
      await current.callWxMethod('setStorageSync', 'lang', o.lang.toLowerCase().startsWith('en') ? 'en' : 'zh');
    persona = next.id;
    const project = process.env.DEVTOOLS_PROJECT;
    if (project) await restart(project, next.launch);
    const query = new URLSearchParams(next.launch.query).toString();
    // without a restart (or if the compile condition was not applied) at least open the persona's page
    await current.reLaunch(`/${next.launch.path}${query ? `?${query}` : ''}`);
  }

  const unavailable = (what: string) => () => {
    throw new Error(`h.${what} is the browser preview's; there is no counterpart in WeChat DevTools`);
  };
  try {
    await relaunch(options.persona ?? 'visitor', { lang: options.lang });
  } catch (e) {
    current.disconnect();
    await emulator.close();
    throw e;
  }
  const harness = {
    miniProgram,
    emulator,
    screenshot: async (name: string) => {
      const path = join(SHOTS_DIR, `${name}.png`);
      await current.screenshot({ path });
      return path;
    },
    relaunch,
    appCalls,
    close: async () => {
      current.disconnect();
      await emulator.close();
    },
  };
  Object.defineProperty(harness, 'page', { get: unavailable('page') });
  Object.defineProperty(harness, 'preview', { get: unavailable('preview') });
  return harness as unknown as PreviewHarness;
}
