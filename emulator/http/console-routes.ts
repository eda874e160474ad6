import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { find } from '../db/engine';
import { committedView } from '../db/engine';
import { decodeWire, encodeDoc } from '../db/values';
import type { Route } from './routes';
import { sendJson } from './io';
import { CONSOLE_DIR } from '../paths';

/** The console page and the JSON it reads: collections, invocations, functions, the clock. */
const page: Route = async (_req, res) => {
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

const collections: Route = async (_req, res, _url, emu) => {
  const store = emu.db.store;
  sendJson(res, 200, { collections: store.listCollections().map((name) => ({ name, count: store.count(name), indexes: store.specsOf(name) })) });
};

const documents: Route = async (_req, res, url, emu) => {
  const name = decodeURIComponent(url.pathname.slice('/api/collections/'.length));
  try {
    emu.db.requireCollection(name);
    const text = url.searchParams.get('query') || '{}';
    const query = decodeWire(text, () => emu.clock.now()) as Record<string, unknown>;
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 50) || 50, 200);
    const skip = Math.max(Number(url.searchParams.get('skip') ?? 0) || 0, 0);
    const view = committedView(emu.db.store);
    const docs = find(view, name, query, { limit, offset: skip, order: { _id: 1 } });
    sendJson(res, 200, { collection: name, skip, limit, docs: docs.map((d) => JSON.parse(encodeDoc(d)) as unknown) });
  } catch (e) {
    sendJson(res, 400, { code: 'BAD_QUERY', message: (e as Error).message });
  }
};

const invocations: Route = async (_req, res, url, emu) => {
  sendJson(res, 200, { invocations: emu.runtime.invocations(Number(url.searchParams.get('limit') ?? 100), url.searchParams.get('fn') ?? undefined) });
};

const functions: Route = async (_req, res, _url, emu) => {
  sendJson(res, 200, { functions: [...emu.runtime.functions.values()].map((f) => ({ name: f.name, timeout: f.config.timeout, triggers: f.config.triggers })) });
};

const info: Route = async (_req, res, _url, emu) => {
  sendJson(res, 200, { envId: emu.options.envId, appid: emu.options.appid, serviceUrl: emu.serviceUrl, now: emu.clock.now().toISOString(), limits: emu.limits });
};

export function consoleRoutes(method: string, path: string): Route | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/' || path === '/index.html') return page;
  if (path === '/api/info') return info;
  if (path === '/api/collections') return collections;
  if (path.startsWith('/api/collections/')) return documents;
  if (path === '/api/invocations') return invocations;
  if (path === '/api/functions') return functions;
  return undefined;
}
