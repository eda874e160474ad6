import type { z } from 'zod';
import type { ErrorCode } from '../../core/errors';
import { SIGNING_HEADERS, verifyRequest, type SignatureCheck } from '../../core/signing/hmac';
import { ORDER_SOURCE_ID } from '../../core/orders/schema';
import type { HttpRequest, HttpResponse } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { isDuplicateKey } from '../db/insert';
import { configuredSource, type SignedSource } from './sources';

const NONCE_TTL_MS = 15 * 60_000;
/** A nonce is kept while a request carrying it could still pass the time check: the whole window on both sides. */
const nonceTtlMs = (skewSeconds: number): number => Math.max(NONCE_TTL_MS, 2 * skewSeconds * 1000 + 60_000);

export const json = (statusCode: number, body: unknown): HttpResponse => ({
  statusCode,
  headers: { 'content-type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
export const httpError = (statusCode: number, code: ErrorCode, message: string) =>
  json(statusCode, { ok: false, error: { code, message } });

/** A request body read for a handler: the value, or the answer that refuses the request. */
export type BodyRead<T> = { ok: true; data: T } | { ok: false; response: HttpResponse };

/** The body as JSON, or a 400 when it is not JSON. */
export function jsonBody(req: HttpRequest): BodyRead<unknown> {
  try {
    return { ok: true, data: JSON.parse(req.body.toString('utf8')) as unknown };
  } catch {
    return { ok: false, response: httpError(400, 'INVALID_INPUT', 'body is not JSON') };
  }
}

/** A value checked by its contract, or a 400 naming each field that failed. */
export function contractBody<T extends z.ZodType>(schema: T, raw: unknown): BodyRead<z.output<T>> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  return { ok: false, response: httpError(400, 'INVALID_INPUT', issues) };
}

/** The JSON body checked by its contract, or the 400 that refuses it. */
export function parsedBody<T extends z.ZodType>(schema: T, req: HttpRequest): BodyRead<z.output<T>> {
  const raw = jsonBody(req);
  return raw.ok ? contractBody(schema, raw.data) : raw;
}

export interface SignedRequest extends HttpRequest {
  source: string;
  nonce: string;
}

type SourceKeys = Pick<SignedSource, 'secrets' | 'maxClockSkewSeconds'>;

export interface SignedEndpointOptions {
  /** The source by id, or undefined when unknown. Default: the brand configuration's `orderSync.sources`. */
  sources?: (source: string) => SourceKeys | undefined;
  handler: (req: SignedRequest, ctx: SystemContext) => Promise<HttpResponse>;
}

/** The signature check of a source's request: the first secret that verifies, else the current one's answer. */
export function checkSignature(source: SourceKeys, req: HttpRequest, now: Date): SignatureCheck {
  const h = req.headers;
  const timestamp = h[SIGNING_HEADERS.timestamp] ?? '';
  const nonce = h[SIGNING_HEADERS.nonce] ?? '';
  const parts = { method: req.method, path: req.path, timestamp, nonce, body: req.body };
  const signature = h[SIGNING_HEADERS.signature];
  const window = source.maxClockSkewSeconds;
  const checks = source.secrets.map((secret) => verifyRequest(secret, parts, signature, now, window));
  return checks.find((c) => c.ok || c.code === 'SIGNATURE_EXPIRED') ?? checks[0]!;
}

/**
 * A server-to-server endpoint (member link, POS, order sync) signed as `core/signing/hmac.ts`
 * describes. Checks run before anything is written: a source the brand configured, method POST,
 * signature, timestamp within the source's `maxClockSkewSeconds`; then the nonce is recorded in
 * `nonces` (id `<source>:<nonce>`), whose insert fails if it was seen before, so a nonce is
 * accepted once only.
 */
export function signedEndpoint(opts: SignedEndpointOptions) {
  const sourceOf = opts.sources ?? ((name: string) => configuredSource(name));
  return async (req: HttpRequest, ctx: SystemContext): Promise<HttpResponse> => {
    if (req.method !== 'POST') return httpError(405, 'METHOD_NOT_ALLOWED', 'POST only');
    const source = req.headers[SIGNING_HEADERS.source] ?? '';
    const known = ORDER_SOURCE_ID.test(source) ? sourceOf(source) : undefined;
    if (!known?.secrets.length) {
      if (known) ctx.log.error('signed source has no secret set', { source });
      return httpError(401, 'UNKNOWN_SOURCE', `unknown source "${source.slice(0, 32)}"`);
    }
    const now = ctx.now();
    const nonce = req.headers[SIGNING_HEADERS.nonce] ?? '';
    const check = checkSignature(known, req, now);
    if (!check.ok) {
      ctx.log.warn('signed request refused', { source, code: check.code, path: req.path });
      return httpError(401, check.code, 'signature refused');
    }
    try {
      const expiresAt = new Date(now.getTime() + nonceTtlMs(known.maxClockSkewSeconds));
      await ctx.db.collection('nonces').add({ data: { _id: `${source}:${nonce}`, source, at: now, expiresAt } });
    } catch (e) {
      if (isDuplicateKey(e)) return httpError(409, 'NONCE_REUSED', 'nonce already used');
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

/** Timer: forgets nonces past their time-to-live (older requests fail their source's time check anyway). */
export async function purgeNonces(ctx: SystemContext): Promise<{ removed: number }> {
  const _ = ctx.db.command;
  const r = (await ctx.db
    .collection('nonces')
    .where({ expiresAt: _.lt(ctx.now()) })
    .remove()) as { stats?: { removed?: number } };
  return { removed: r.stats?.removed ?? 0 };
}
