import { z } from 'zod';
import { TcbCodes, TcbError } from '../db/errors';
import { parseDuration } from '../clock';
import { handleOpenApi, handleWechatApi, oaUsersOf, WECHAT_API_PREFIX } from '../openapi';
import { databaseActions, type CallerContext } from '../wire/database-actions';
import type { Route } from './host';
import type { Invocation } from '../functions/invocation';
import { parseJson, readBody, requestId, sendJson, sendTcbError } from './io';
import { consoleRoutes } from './console-routes';
import { waitLatency } from './latency';

const READS = new Set([
  'database.getDocument',
  'database.calculateDocument',
  'database.aggregateDocuments',
  'database.getInTransaction',
]);
const TRANSACTION_CONTROL = new Set([
  'database.startTransaction',
  'database.commitTransaction',
  'database.abortTransaction',
]);

/** A function's database call in its invocation's figures (billing counts reads and writes apart). */
function countCall(inv: Invocation, action: string): void {
  if (!action.startsWith('database.')) return;
  inv.dbCalls += 1;
  if (READS.has(action)) inv.dbReads += 1;
  else if (!TRANSACTION_CONTROL.has(action)) inv.dbWrites += 1;
}

/** A parse failure as one line: each issue's path and message. */
const issuesOf = (e: z.ZodError): string => e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
const messageOf = (e: unknown): string => (e instanceof z.ZodError ? issuesOf(e) : (e as Error).message);

export type { Route } from './host';

/** What the SDK sends to `serviceUrl`: JSON actions, or multipart for cloud.openapi. */
const adminRoute: Route = async (req, res, _url, emu) => {
  if ((req.headers['content-type'] ?? '').startsWith('multipart/form-data')) {
    await handleOpenApi(req, res, {
      recorder: emu.openapi,
      now: () => emu.clock.now(),
      context: { appid: emu.options.appid },
      callerFromToken: (token) => {
        const caller = emu.runtime.fromToken(token);
        if (!caller) return undefined;
        const permissions = emu.runtime.functions.get(caller.inv.fn)?.config.permissions?.openapi;
        return {
          openid: caller.ctx.openid,
          appid: caller.ctx.appid ?? emu.options.appid,
          openapiPermissions: permissions,
        };
      },
    });
    return;
  }
  try {
    const body = parseJson(await readBody(req, emu.limits.maxRequestBytes));
    const action = String(body.action ?? '');
    const caller = emu.runtime.fromToken(body.wxCloudApiToken);
    if (caller) countCall(caller.inv, action);
    if (action === 'functions.invokeFunction') {
      const b = z.object({ function_name: z.string().min(1), request_data: z.string().default('{}') }).parse(body);
      const data = JSON.parse(b.request_data) as unknown;
      const inv = await emu.runtime.invoke(b.function_name, data, {
        ...(caller?.ctx ?? {}),
        source: 'wx_function',
        trigger: undefined,
      });
      if (!inv.ok)
        throw new TcbError(inv.error?.code ?? TcbCodes.functionFailed, inv.error?.message ?? 'function failed');
      sendJson(res, 200, { requestId: requestId(), data: { response_data: JSON.stringify(inv.result) } });
      return;
    }
    const handler = databaseActions[action];
    if (!handler) throw new TcbError(TcbCodes.action, `unknown action "${action}"`);
    const ctx: CallerContext = { client: false, now: () => emu.clock.now() };
    await waitLatency(emu.options.latency, 'database');
    const answer = await handler(body, emu.db, ctx);
    if (
      emu.runtime.faults.takeLostAnswer({
        action,
        collection: typeof body.collectionName === 'string' ? body.collectionName : undefined,
        fn: caller?.inv.fn,
      })
    ) {
      res.destroy(); // done and committed, but the caller never hears so
      return;
    }
    sendJson(res, 200, { requestId: requestId(), ...answer });
  } catch (e) {
    sendTcbError(
      res,
      e instanceof z.ZodError ? new TcbError(TcbCodes.invalidParam, e.issues.map((i) => i.message).join('; ')) : e,
    );
  }
};

/**
 * `data` is handed to the function as it was sent: a JSON object checked, not copied, so own keys
 * such as `__proto__` reach the function's router like they do on the platform.
 */
const isObject = (v: unknown) => !!v && typeof v === 'object' && !Array.isArray(v);
const jsonObject = z.custom<Record<string, unknown>>(isObject, 'expected an object');

const invokeBody = z.object({
  data: jsonObject.default({}),
  openid: z.string().min(1).max(128),
  unionid: z.string().max(128).optional(),
  appid: z.string().max(64).optional(),
  source: z.string().max(32).default('wx_client'),
});

/**
 * `wx.cloud.callFunction` as a Mini Program user: the emulator puts the OpenID into the context.
 * Like the platform, the client gets `{ result }` or `{ errCode, errMsg }`.
 */
const invokeRoute: Route = async (req, res, url, emu) => {
  const fn = decodeURIComponent(url.pathname.slice('/invoke/'.length));
  try {
    const b = invokeBody.parse(parseJson(await readBody(req, emu.limits.maxRequestBytes)));
    const userInfo = { appId: b.appid ?? emu.options.appid, openId: b.openid };
    // spread defines own properties (no prototype setter): a `__proto__` key of the payload stays a key
    const inv = await emu.runtime.invoke(
      fn,
      { ...b.data, userInfo },
      { openid: b.openid, unionid: b.unionid, appid: b.appid, source: b.source },
    );
    if (inv.ok) sendJson(res, 200, { result: inv.result, requestId: inv.id });
    else
      sendJson(res, 200, {
        errCode: errCodeOf(inv.error?.code),
        errMsg: `cloud.callFunction:fail ${inv.error?.message}`,
        requestId: inv.id,
      });
  } catch (e) {
    const err = e instanceof z.ZodError ? new TcbError(TcbCodes.invalidParam, issuesOf(e)) : e;
    const code = err instanceof TcbError ? err.code : TcbCodes.functionFailed;
    const errMsg = `cloud.callFunction:fail ${(err as Error).message}`;
    sendJson(res, statusOf(code), { errCode: errCodeOf(code), errMsg });
  }
};

/** The HTTP status of a refused invoke request: the body's fault is 4xx, never 200. */
function statusOf(code: string): number {
  if (code === TcbCodes.limit) return 413;
  if (code === TcbCodes.invalidParam) return 400;
  if (code === TcbCodes.functionMissing) return 404;
  return 500;
}

/** errCodes a Mini Program sees from callFunction. */
function errCodeOf(code: string | undefined): number {
  if (code === TcbCodes.functionMissing) return -501000;
  if (code === TcbCodes.timeout) return -504003;
  if (code === TcbCodes.invalidParam || code === TcbCodes.limit) return -501007;
  return -404011;
}

const only = z.array(z.string().min(1)).max(100).optional();
const overlap = z.boolean().optional();
const clockBody = z.union([
  z.object({ advance: z.union([z.string(), z.number()]), only, overlap }),
  z.object({ set: z.union([z.string(), z.number()]), only, overlap }),
]);

const clockRoute: Route = async (req, res, _url, emu) => {
  try {
    if (req.method === 'POST') {
      const b = clockBody.parse(parseJson(await readBody(req, 64 * 1024)));
      const to = 'advance' in b ? new Date(emu.clock.now().getTime() + parseDuration(b.advance)) : new Date(b.set);
      if (Number.isNaN(to.getTime())) throw new Error('set must be an ISO date or epoch milliseconds');
      const fired = await emu.moveClock(to, b.only, b.overlap);
      sendJson(res, 200, { now: emu.clock.now().toISOString(), fired });
      return;
    }
    sendJson(res, 200, { now: emu.clock.now().toISOString(), offsetMs: emu.clock.offset });
  } catch (e) {
    sendJson(res, 400, {
      code: 'INVALID_CLOCK',
      message:
        e instanceof z.ZodError
          ? 'send { "advance": "47h" } or { "set": "2026-01-01T00:00:00Z" }, optionally with "only": ["messaging:dispatch"]'
          : (e as Error).message,
    });
  }
};

const openapiCallsRoute: Route = async (req, res, url, emu) => {
  if (req.method === 'DELETE') {
    emu.openapi.clear();
    sendJson(res, 200, { cleared: true });
    return;
  }
  const since = url.searchParams.get('since');
  sendJson(res, 200, {
    calls: emu.openapi.list({
      apiName: url.searchParams.get('apiName') ?? undefined,
      touser: url.searchParams.get('touser') ?? undefined,
      since: since ? Number(since) : undefined,
    }),
  });
};

const faultBody = z.object({
  apiName: z.string().min(1),
  errcode: z.number().int().optional(),
  errmsg: z.string().optional(),
  delayMs: z.number().int().min(0).optional(),
  times: z.number().int().min(1).optional(),
  forMs: z.number().int().min(1).optional(),
});

const openapiFaultsRoute: Route = async (req, res, _url, emu) => {
  try {
    if (req.method === 'DELETE') {
      emu.openapi.clearFaults();
      sendJson(res, 200, { cleared: true });
      return;
    }
    const b = faultBody.parse(parseJson(await readBody(req, 64 * 1024)));
    const window = { times: b.times, ...(b.forMs === undefined ? {} : { forMs: b.forMs }) };
    if (b.delayMs !== undefined) emu.openapi.inject(b.apiName, { delayMs: b.delayMs, ...window });
    else if (b.errcode !== undefined)
      emu.openapi.inject(b.apiName, { errcode: b.errcode, errmsg: b.errmsg, ...window });
    else throw new Error('give errcode or delayMs');
    sendJson(res, 200, { injected: b });
  } catch (e) {
    sendJson(res, 400, { code: 'INVALID_FAULT', message: (e as Error).message });
  }
};

/** The fake WeChat HTTP API (Official Account: access token, follower info). */
const runtimeFaultBody = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('kill'),
    fn: z.string().min(1),
    afterMs: z.number().int().min(0),
    times: z.number().int().min(1).optional(),
  }),
  z.object({
    kind: z.literal('lostAnswer'),
    action: z.string().startsWith('database.'),
    collection: z.string().min(1).optional(),
    fn: z.string().min(1).optional(),
    times: z.number().int().min(1).optional(),
  }),
]);

/** Faults around functions: an instance killed mid-invocation, a database answer lost after the write (emulator/functions/faults.ts). */
const functionFaultsRoute: Route = async (req, res, _url, emu) => {
  try {
    if (req.method === 'DELETE') emu.runtime.faults.clear();
    else if (req.method === 'POST')
      emu.runtime.faults.inject(runtimeFaultBody.parse(parseJson(await readBody(req, 64 * 1024))));
    sendJson(res, 200, { faults: emu.runtime.faults.pending() });
  } catch (e) {
    sendJson(res, 400, { code: 'INVALID_FAULT', message: messageOf(e) });
  }
};

const wechatApiRoute: Route = (req, res, url, emu) =>
  handleWechatApi(req, res, url, { recorder: emu.openapi, users: oaUsersOf(emu.openapi), now: () => emu.clock.now() });

const oaUserBody = z.object({
  oaOpenid: z.string().min(1).max(128),
  unionid: z.string().min(1).max(128).nullable().default(null),
  subscribed: z.boolean().default(true),
});

/** Who the fake WeChat says an Official Account follower is (user/info): set, list, clear. */
const oaUsersRoute: Route = async (req, res, _url, emu) => {
  const users = oaUsersOf(emu.openapi);
  try {
    if (req.method === 'DELETE') users.clear();
    else if (req.method === 'POST') {
      const user = users.set(oaUserBody.parse(parseJson(await readBody(req, 64 * 1024))));
      sendJson(res, 200, { user });
      return;
    }
    sendJson(res, 200, { users: users.list() });
  } catch (e) {
    sendJson(res, 400, { code: 'INVALID_OA_USER', message: messageOf(e) });
  }
};

/** Mini Program database calls (wx.cloud.database()): client limits apply. */
const clientDatabaseRoute: Route = async (req, res, _url, emu) => {
  try {
    const body = parseJson(await readBody(req, emu.limits.maxRequestBytes));
    const openid = z.string().min(1).parse(body.openid);
    const action = String(body.action ?? '');
    const handler =
      action.startsWith('database.') && !action.includes('Transaction') ? databaseActions[action] : undefined;
    if (!handler) throw new TcbError(TcbCodes.action, `action "${action}" is not available to clients`);
    emu.rules.check(action, String(body.collectionName ?? ''), openid);
    await waitLatency(emu.options.latency, 'database');
    const answer = await handler(body, emu.db, { client: true, openid, now: () => emu.clock.now() });
    sendJson(res, 200, { requestId: requestId(), ...answer });
  } catch (e) {
    sendTcbError(res, e);
  }
};

/** Transaction figures since start (started, committed, conflicts at a write and at commit): reruns per commit. */
const transactionStatsRoute: Route = async (_req, res, _url, emu) =>
  sendJson(res, 200, { ...emu.db.transactions.stats, active: emu.db.transactions.active });

/** HTTP access service: a declared path invokes a function with the platform's HTTP event. */
const httpAccessRoute: Route = async (req, res, url, emu) => {
  const route = emu.options.httpRoutes.find((r) => url.pathname === r.path || url.pathname.startsWith(`${r.path}/`));
  if (!route) {
    sendJson(res, 404, { code: 'HTTPSERVICE_NONACTIVATED', message: `no HTTP access route for ${url.pathname}` });
    return;
  }
  try {
    const body = await readBody(req, emu.limits.maxRequestBytes);
    const event = {
      path: url.pathname,
      httpMethod: req.method,
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      ),
      queryStringParameters: Object.fromEntries(url.searchParams),
      body: body.toString('base64'),
      isBase64Encoded: true,
    };
    const inv = await emu.runtime.invoke(route.fn, event, { source: 'wx_http' });
    if (!inv.ok) {
      sendJson(res, 502, { code: inv.error?.code, message: inv.error?.message });
      return;
    }
    const out = inv.result as {
      statusCode?: number;
      headers?: Record<string, string>;
      body?: string;
      isBase64Encoded?: boolean;
    } | null;
    if (out && typeof out === 'object' && 'statusCode' in out) {
      res.writeHead(out.statusCode ?? 200, out.headers ?? { 'content-type': 'application/json; charset=utf-8' });
      res.end(out.isBase64Encoded ? Buffer.from(out.body ?? '', 'base64') : (out.body ?? ''));
    } else sendJson(res, 200, out);
  } catch (e) {
    const status = e instanceof TcbError && e.code === TcbCodes.limit ? 413 : 400;
    sendJson(res, status, { code: e instanceof TcbError ? e.code : 'BAD_REQUEST', message: (e as Error).message });
  }
};

export function route(method: string, path: string): Route | undefined {
  if (path === '/admin' && method === 'POST') return adminRoute;
  if (path.startsWith('/invoke/') && method === 'POST') return invokeRoute;
  if (path === '/clock') return clockRoute;
  if (path === '/openapi/calls') return openapiCallsRoute;
  if (path === '/transactions' && method === 'GET') return transactionStatsRoute;
  if (path === '/openapi/faults') return openapiFaultsRoute;
  if (path === '/functions/faults') return functionFaultsRoute;
  if (path === '/openapi/oa-users') return oaUsersRoute;
  if (path.startsWith(`${WECHAT_API_PREFIX}/`)) return wechatApiRoute;
  if (path === '/client/database' && method === 'POST') return clientDatabaseRoute;
  if (path.startsWith('/http/')) return httpAccessRoute;
  return consoleRoutes(method, path);
}
