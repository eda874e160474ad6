import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { ActionContract, ActionResult } from '../../core/contracts/common';
import { database, sdk } from '../runtime/cloud';
import { platformClock } from '../runtime/clock';
import type { ActionContext, SystemContext } from './context';
import { toFailure } from './errors';
import { createLogger } from './logger';
import { exclusiveRun } from './timer-lease';

export interface Action<C extends ActionContract> {
  contract: C;
  handle(input: z.output<C['input']>, ctx: ActionContext): Promise<z.input<C['output']>>;
}

export const action = <C extends ActionContract>(contract: C, handle: Action<C>['handle']): Action<C> => ({ contract, handle });

export type TimerHandler = (ctx: SystemContext, event: { triggerName: string; time: string }) => Promise<unknown>;

export interface HttpRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: Buffer;
}
export interface HttpResponse {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}
export type HttpHandler = (req: HttpRequest, ctx: SystemContext) => Promise<HttpResponse>;

export interface FunctionSpec {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  actions: Record<string, Action<any>>;
  timers?: Record<string, TimerHandler>;
  http?: HttpHandler;
}

const PLATFORM_FIELDS = new Set(['action', 'userInfo']);

/**
 * Builds a cloud function's `main`: routes a Mini Program call by its `action`, a timer by its
 * trigger name, an HTTP access request to the HTTP handler. Input is parsed by the action's
 * contract; the caller's identity comes from the platform context only.
 */
export function createFunction(spec: FunctionSpec) {
  return async function main(event: Record<string, unknown>): Promise<unknown> {
    const requestId = randomBytes(6).toString('hex');
    const started = Date.now();
    const log = createLogger({ fn: spec.name, requestId });
    const system: SystemContext = { db: database(), now: platformClock, log, requestId };

    // Timers and HTTP access requests carry no WeChat user: a Mini Program call dressed as one is refused.
    const caller = sdk().getWXContext();
    const fromUser = typeof caller.OPENID === 'string' && caller.OPENID !== '';
    if (fromUser && (event?.Type === 'Timer' || typeof event?.httpMethod === 'string')) {
      log.warn('refused: user call shaped as a timer or HTTP event', { openid: caller.OPENID });
      return { ok: false, error: { code: ErrorCodes.FORBIDDEN, message: '不允许的调用 / not allowed' } };
    }

    if (event?.Type === 'Timer') {
      const name = String(event.TriggerName);
      const timer = spec.timers?.[name];
      if (!timer) throw new Error(`${spec.name}: no timer handler named ${name}`);
      const result = await exclusiveRun(system, `${spec.name}:${name}`, () => timer(system, { triggerName: name, time: String(event.Time) }));
      log.info('timer', { trigger: name, ms: Date.now() - started });
      return result;
    }

    if (typeof event?.httpMethod === 'string') {
      if (!spec.http) return { statusCode: 404, body: JSON.stringify({ code: ErrorCodes.NOT_FOUND, message: 'no HTTP handler' }) };
      const raw = typeof event.body === 'string' ? event.body : '';
      const req: HttpRequest = {
        method: event.httpMethod,
        path: String(event.path ?? '/'),
        headers: Object.fromEntries(Object.entries((event.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)])),
        query: (event.queryStringParameters as Record<string, string>) ?? {},
        body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
      };
      return spec.http(req, system);
    }

    const name = typeof event?.action === 'string' ? event.action : '';
    let result: ActionResult<unknown>;
    try {
      const act = Object.prototype.hasOwnProperty.call(spec.actions, name) ? spec.actions[name] : undefined;
      if (!act) throw new DomainError(ErrorCodes.UNKNOWN_ACTION, `未知操作 / unknown action "${name}" for function ${spec.name}`);
      const wx = caller;
      const openid = typeof wx.OPENID === 'string' ? wx.OPENID : '';
      if (!openid) throw new DomainError(ErrorCodes.UNAUTHENTICATED, '请在微信中打开 / no WeChat identity on this call');
      const raw = Object.fromEntries(Object.entries(event).filter(([k]) => !PLATFORM_FIELDS.has(k)));
      const input = act.contract.input.parse(raw);
      const ctx: ActionContext = { ...system, openid, unionid: typeof wx.UNIONID === 'string' ? wx.UNIONID : undefined, appid: typeof wx.APPID === 'string' ? wx.APPID : undefined, source: typeof wx.SOURCE === 'string' ? wx.SOURCE : undefined };
      const output = await act.handle(input, ctx);
      result = { ok: true, data: act.contract.output.parse(output) };
    } catch (e) {
      const failure = toFailure(e);
      if (!failure.expected) log.error('action failed', { action: name, error: (e as Error)?.stack ?? String(e) });
      result = failure.result;
    }
    log.info('action', { action: name, ms: Date.now() - started, ok: result.ok, ...(result.ok ? {} : { code: result.error.code }) });
    return result;
  };
}
