import { SIGNING_HEADERS, verifyRequest } from '../../core/signing/hmac';
import type { HttpRequest, HttpResponse } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { syncSecret } from './secrets';

const NONCE_TTL_MS = 15 * 60_000;
const SOURCE = /^[a-z][a-z0-9_]{0,31}$/;

export const json = (statusCode: number, body: unknown): HttpResponse => ({ statusCode, headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body) });
export const httpError = (statusCode: number, code: string, message: string) => json(statusCode, { ok: false, error: { code, message } });

export interface SignedRequest extends HttpRequest {
  source: string;
  nonce: string;
}

export interface SignedEndpointOptions {
  /** The HMAC secret of a source id, or undefined when the source is unknown. Default: env ORDER_SYNC_SECRET_<SOURCE>. */
  sources?: (source: string) => string | undefined;
  handler: (req: SignedRequest, ctx: SystemContext) => Promise<HttpResponse>;
}

/**
 * A server-to-server endpoint (member link, POS, order sync) signed as `core/signing/hmac.ts`
 * describes. Checks run before anything is written: known source, method POST, signature,
 * ±5-minute timestamp; then the nonce is recorded in `nonces` (id `<source>:<nonce>`), whose
 * insert fails if it was seen before, so a nonce is accepted once only.
 */
export function signedEndpoint(opts: SignedEndpointOptions) {
  const secretOf = opts.sources ?? syncSecret;
  return async (req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> => {
    if (req.method !== 'POST') return httpError(405, 'METHOD_NOT_ALLOWED', 'POST only');
    const source = req.headers[SIGNING_HEADERS.source] ?? '';
    const secret = SOURCE.test(source) ? secretOf(source) : undefined;
    if (!secret) return httpError(401, 'UNKNOWN_SOURCE', `unknown source "${source.slice(0, 32)}"`);
    const now = ctx.now();
    const timestamp = req.headers[SIGNING_HEADERS.timestamp] ?? '';
    const nonce = req.headers[SIGNING_HEADERS.nonce] ?? '';
    const check = verifyRequest(secret, { method: req.method, path: req.path, timestamp, nonce, body: req.body }, req.headers[SIGNING_HEADERS.signature], now);
    if (!check.ok) {
      ctx.log.warn('signed request refused', { source, code: check.code, path: req.path });
      return httpError(401, check.code, 'signature refused');
    }
    try {
      await ctx.db.collection('nonces').add({ data: { _id: `${source}:${nonce}`, source, at: now, expiresAt: new Date(now.getTime() + NONCE_TTL_MS) } });
    } catch (e) {
      if (/E11000|duplicate/i.test((e as Error).message ?? '')) return httpError(409, 'NONCE_REUSED', 'nonce already used');
      throw e;
    }
    return opts.handler({ ...req, source, nonce }, ctx);
  };
}

/** Dispatches an HTTP access request by `METHOD path` (or `* path`). */
export function httpRouter(routes: Record<string, (req: HttpRequest, ctx: SystemContext) => Promise<HttpResponse>>) {
  return async (req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> => {
    const h = routes[`${req.method} ${req.path}`] ?? routes[`* ${req.path}`];
    if (!h) return httpError(404, 'NOT_FOUND', `no route ${req.method} ${req.path}`);
    try {
      return await h(req, ctx);
    } catch (e) {
      ctx.log.error('http handler failed', { path: req.path, error: (e as Error)?.stack ?? String(e) });
      return httpError(500, 'INTERNAL', 'internal error');
    }
  };
}

/** Timer: forgets nonces past their time-to-live (older requests fail the ±5-minute check anyway). */
export async function purgeNonces(ctx: SystemContext): Promise<{ removed: number }> {
  const _ = ctx.db.command;
  const r = (await ctx.db.collection('nonces').where({ expiresAt: _.lt(ctx.now()) }).remove()) as { stats?: { removed?: number } };
  return { removed: r.stats?.removed ?? 0 };
}
