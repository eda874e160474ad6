import { buildSync } from 'esbuild';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocketServer, type WebSocket } from 'ws';
import { packageApp, type AppPackage } from './package';
import { shellHtml } from './shell';

/**
 * The preview server on 127.0.0.1: the shell page, the browser runtime (bundled on first
 * request), the app package, cloud calls forwarded to the emulator, codes for `scanCode`, and a
 * WebSocket that speaks miniprogram-automator's protocol by running each method in the attached
 * Chromium page.
 */

export interface PreviewOptions {
  /** The built Mini Program (`buildMiniprogram({ outDir })`). */
  appDir: string;
  /** The emulator's base URL; cloud calls go to `<url>/invoke/<fn>`. */
  emulatorUrl: string;
  port?: number;
  host?: string;
  /**
   * Opens a browser on the preview when an automator client sends a message and none is attached
   * (`npm run preview` passes Chromium's), so an outside script can drive the preview on its own.
   */
  openBrowser?: (url: string) => Promise<{ page: Page; close(): Promise<void> }>;
}

export interface PreviewServer {
  url: string;
  /** `automator.connect({ wsEndpoint })`. */
  wsEndpoint: string;
  /** Where automator methods run: a Chromium page showing `url`. */
  attach(page: Page): void;
  close(): Promise<void>;
}

/** Where scanCode's picker finds codes: collection → fields that hold a scannable code. */
const CODE_SOURCES: Record<string, string[]> = {
  members: ['cardNo', 'card.number', 'card.cardNo'],
  member_coupons: ['code'],
  coupons: ['code'],
  appointments: ['code'],
};

let runtimeCode: string | undefined;
export function runtimeScript(): string {
  runtimeCode ??=
    buildSync({
      entryPoints: [join(__dirname, 'runtime', 'main.ts')],
      bundle: true,
      write: false,
      platform: 'browser',
      format: 'iife',
      target: 'es2020',
      define: { global: 'globalThis' },
      logLevel: 'silent',
    }).outputFiles[0]?.text ?? '';
  return runtimeCode;
}

const IMAGE_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.gif': 'image/gif',
};

function send(res: ServerResponse, status: number, type: string, body: string | Buffer): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) =>
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(value));

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const pick = (doc: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), doc);

async function scannableCodes(emulatorUrl: string): Promise<{ label: string; result: string }[]> {
  const out: { label: string; result: string }[] = [];
  for (const [collection, fields] of Object.entries(CODE_SOURCES)) {
    const res = await fetch(`${emulatorUrl}/api/collections/${collection}?limit=50`);
    if (!res.ok) continue;
    const { docs } = (await res.json()) as { docs: unknown[] };
    for (const doc of docs) {
      for (const f of fields) {
        const v = pick(doc, f);
        if (typeof v === 'string' && v) out.push({ label: collection, result: v });
      }
    }
  }
  return out;
}

export async function startPreview(options: PreviewOptions): Promise<PreviewServer> {
  let pkg: AppPackage | undefined;
  let page: Page | undefined;
  let opened: Promise<{ page: Page; close(): Promise<void> }> | undefined;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://preview');
    const route = async () => {
      if (url.pathname === '/' && req.method === 'GET')
        return send(res, 200, 'text/html; charset=utf-8', shellHtml(options.emulatorUrl));
      if (url.pathname === '/runtime.js') return send(res, 200, 'text/javascript; charset=utf-8', runtimeScript());
      if (url.pathname === '/app-package.json') return json(res, 200, (pkg ??= packageApp(options.appDir)));
      if (url.pathname === '/codes') return json(res, 200, await scannableCodes(options.emulatorUrl));
      if (url.pathname.startsWith('/cloud/') && req.method === 'POST') {
        const fn = url.pathname.slice('/cloud/'.length);
        const answer = await fetch(`${options.emulatorUrl}/invoke/${fn}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: await readBody(req),
        });
        return send(res, answer.status, 'application/json; charset=utf-8', await answer.text());
      }
      const image = IMAGE_TYPES[extname(url.pathname)];
      if (image && req.method === 'GET') {
        // the package's own images (icons, tab bar), never a path outside it
        const file = normalize(join(options.appDir, decodeURIComponent(url.pathname)));
        if (file.startsWith(normalize(options.appDir) + sep))
          return send(res, 200, image, await readFile(file).catch(() => Buffer.alloc(0)));
      }
      return json(res, 404, { code: 'NOT_FOUND', message: `${req.method} ${url.pathname}` });
    };
    route().catch((e: Error) => {
      if (!res.headersSent) json(res, 500, { code: 'PREVIEW_ERROR', message: e.message });
    });
  });

  const wss = new WebSocketServer({ noServer: true });
  const events = new AutomatorEvents(wss);
  server.on('upgrade', (req, socket, head) => {
    if (new URL(req.url ?? '/', 'http://preview').pathname !== '/automator') return socket.destroy();
    wss.handleUpgrade(req, socket, head, (ws) => serveAutomator(ws, pageOf, events));
  });

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host}:${port}`;
  const attach = (p: Page) => {
    page = p;
    events.watch(p);
  };
  async function pageOf(): Promise<Page> {
    if (page) return page;
    if (!options.openBrowser) {
      throw new Error('no browser is attached to the preview (open it in Chromium and call attach(page))');
    }
    opened ??= options.openBrowser(url);
    const { page: p } = await opened;
    if (!page) attach(p);
    return page ?? p;
  }
  return {
    url,
    wsEndpoint: `ws://${host}:${port}/automator`,
    attach,
    close: async () => {
      await (await opened?.catch(() => undefined))?.close();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * What the app sends without being asked: `App.logAdded` (after `App.enableLog`), `App.exceptionThrown`
 * and `App.bindingCalled` (a function exposed with `App.addBinding`, called in the app), to every client.
 */
class AutomatorEvents {
  private logging = false;
  private watched = new WeakSet<Page>();

  constructor(private readonly wss: WebSocketServer) {}

  enableLog(): void {
    this.logging = true;
  }

  watch(page: Page): void {
    if (this.watched.has(page)) return;
    this.watched.add(page);
    page.on('console', (m) => {
      if (!this.logging || m.text().startsWith('[preview]')) return;
      this.send('App.logAdded', { type: m.type(), args: [m.text()] });
    });
    page.on('pageerror', (e) => this.send('App.exceptionThrown', { message: e.message, stack: e.stack ?? '' }));
    const called = (_source: unknown, name: string, args: unknown[]) => this.send('App.bindingCalled', { name, args });
    void page.exposeBinding('__pvBindingCalled', called);
  }

  private send(method: string, params: unknown): void {
    const text = JSON.stringify({ method, params });
    for (const client of this.wss.clients) client.send(text);
  }
}

/** One automator client: each `{ id, method, params }` runs in the page; the answer is `{ id, result }` or `{ id, error }`. */
function serveAutomator(ws: WebSocket, pageOf: () => Promise<Page>, events: AutomatorEvents): void {
  ws.on('message', async (raw) => {
    let id: string | undefined;
    try {
      const msg = JSON.parse(raw.toString()) as { id: string; method: string; params?: unknown };
      id = msg.id;
      const page = await pageOf();
      if (msg.method === 'App.enableLog') events.enableLog();
      let result: unknown;
      if (msg.method === 'App.captureScreenshot')
        result = { data: (await page.locator('#phone').screenshot()).toString('base64') };
      else
        result = await page.evaluate(
          ([m, p]) =>
            (globalThis as unknown as { __automator: (m: string, p: unknown) => Promise<unknown> }).__automator(m, p),
          [msg.method, msg.params ?? {}] as const,
        );
      ws.send(JSON.stringify({ id, result }));
    } catch (e) {
      const message = (e as Error).message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0];
      ws.send(JSON.stringify({ id, error: { message } }));
    }
  });
}
