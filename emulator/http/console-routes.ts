import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { committedView, count, find } from '../db/engine';
import { decodeWire, encodeDoc } from '../db/values';
import type { Route } from './host';
import { sendJson } from './io';
import { CONSOLE_DIR } from '../paths';
import { isKind, type InvocationKind } from '../functions/invocation';

/** The console page, its script and the JSON it reads: collections, invocations, functions, faults. */
const page: Route = async (_req, res) => {
  const html = readFileSync(join(CONSOLE_DIR, 'index.html'));
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(html);
};

let compiledScript: string | undefined;

/** The console's script is TypeScript (`console/app.ts` and its modules): bundled on first request, then kept for the life of the process. */
function consoleScript(): string {
  compiledScript ??=
    buildSync({
      entryPoints: [join(CONSOLE_DIR, 'app.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      platform: 'browser',
      logLevel: 'silent',
    }).outputFiles[0]?.text ?? '';
  return compiledScript;
}

const script: Route = async (_req, res) => {
  try {
    const code = consoleScript();
    res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' });
    res.end(code);
  } catch (e) {
    sendJson(res, 500, { code: 'CONSOLE_BUILD_FAILED', message: (e as Error).message });
  }
};

const collections: Route = async (_req, res, _url, emu) => {
  const store = emu.db.store;
  sendJson(res, 200, {
    collections: store
      .listCollections()
      .map((name) => ({ name, count: store.count(name), indexes: store.specsOf(name) })),
  });
};

const intParam = (url: URL, key: string, fallback: number) => {
  const n = Number(url.searchParams.get(key) ?? fallback);
  return Number.isFinite(n) ? Math.trunc(n) : fallback;
};

const documents: Route = async (_req, res, url, emu) => {
  const name = decodeURIComponent(url.pathname.slice('/api/collections/'.length));
  if (!emu.db.store.hasCollection(name)) {
    sendJson(res, 404, { code: 'COLLECTION_NOT_FOUND', message: `collection "${name}" does not exist` });
    return;
  }
  const limit = Math.min(Math.max(intParam(url, 'limit', 50), 1), 200);
  const skip = Math.max(intParam(url, 'skip', 0), 0);
  let query: Record<string, unknown>;
  try {
    const decoded = decodeWire(url.searchParams.get('query') || '{}', () => emu.clock.now());
    if (!decoded || typeof decoded !== 'object' || Array.isArray(decoded) || decoded instanceof Date)
      throw new Error('the query must be a JSON object, e.g. {"state":"member"}');
    query = decoded as Record<string, unknown>;
  } catch (e) {
    sendJson(res, 400, { code: 'BAD_QUERY', message: (e as Error).message });
    return;
  }
  try {
    const view = committedView(emu.db.store);
    const docs = find(view, name, query, { limit, offset: skip, order: { _id: 1 } });
    const total = count(view, name, query);
    sendJson(res, 200, {
      collection: name,
      skip,
      limit,
      total,
      docs: docs.map((d) => JSON.parse(encodeDoc(d)) as unknown),
    });
  } catch (e) {
    // mingo rejects unknown operators and malformed operands here
    sendJson(res, 400, { code: 'BAD_QUERY', message: (e as Error).message });
  }
};

const KINDS: InvocationKind[] = ['all', 'user', 'timer', 'errors'];

/** `?fn=` one function, `?kind=` user calls, timer runs or failures (all by default), `?limit=` newest first. */
const invocations: Route = async (_req, res, url, emu) => {
  const kind = (url.searchParams.get('kind') || 'all') as InvocationKind;
  if (!KINDS.includes(kind)) {
    sendJson(res, 400, { code: 'BAD_KIND', message: `kind must be one of ${KINDS.join(', ')}, got "${kind}"` });
    return;
  }
  const limit = Math.max(intParam(url, 'limit', 100), 0);
  const all = emu.runtime.invocations(Number.MAX_SAFE_INTEGER, url.searchParams.get('fn') || undefined);
  sendJson(res, 200, { invocations: all.filter((i) => isKind(i, kind)).slice(0, limit) });
};

const functions: Route = async (_req, res, _url, emu) => {
  sendJson(res, 200, {
    functions: [...emu.runtime.functions.values()].map((f) => ({
      name: f.name,
      timeout: f.config.timeout,
      triggers: f.config.triggers,
    })),
  });
};

const faults: Route = async (_req, res, _url, emu) => {
  sendJson(res, 200, {
    faults: emu.openapi.pendingFaults().map((f) => ({ ...f, left: Number.isFinite(f.left) ? f.left : 'always' })),
  });
};

const info: Route = async (_req, res, _url, emu) => {
  sendJson(res, 200, {
    envId: emu.options.envId,
    appid: emu.options.appid,
    serviceUrl: emu.serviceUrl,
    now: emu.clock.now().toISOString(),
    limits: emu.limits,
  });
};

export function consoleRoutes(method: string, path: string): Route | undefined {
  if (method !== 'GET') return undefined;
  if (path === '/' || path === '/index.html') return page;
  if (path === '/console.js') return script;
  if (path === '/api/info') return info;
  if (path === '/api/collections') return collections;
  if (path.startsWith('/api/collections/')) return documents;
  if (path === '/api/invocations') return invocations;
  if (path === '/api/functions') return functions;
  if (path === '/api/openapi/faults') return faults;
  return undefined;
}
