import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { DomainError, ErrorCodes } from '../../core/errors';
import type { ActionContract, ActionResult } from '../../core/contracts/common';
import { database, sdk } from '../runtime/cloud';
import { platformClock } from '../runtime/clock';
import type { ActionContext, SystemContext } from './context';
import { startInvocation } from '../db/transaction';
import { toFailure } from './errors';
import { createLogger } from './logger';
import { inputProblem, type InputProblem } from './input-guard';
import { auditRefusal, isAuditedRefusal } from '../staff/refusals';
import { exclusiveRun } from './timer-lease';

export interface Action<C extends ActionContract> {
  contract: C;
  handle(input: z.output<C['input']>, ctx: ActionContext): Promise<z.input<C['output']>>;
}

/** An action's handler, typed by its contract: `export const x: Handler<typeof contract> = async (input, ctx) => …`. */
export type Handler<C extends ActionContract> = Action<C>['handle'];

export const action = <C extends ActionContract>(contract: C, handle: Action<C>['handle']): Action<C> => ({
  contract,
  handle,
});

export type TimerHandler = (ctx: SystemContext, event: { triggerName: string; time: string }) => Promise<unknown>;

/**
 * An action for a caller with no WeChat identity (a server SDK holding the environment's keys);
 * the handler proves who sent it itself (e.g. a signature), its input parsed by the contract.
 */
export interface SystemAction<C extends ActionContract> {
  contract: C;
  handle(input: z.output<C['input']>, ctx: SystemContext): Promise<z.input<C['output']>>;
}
export const systemAction = <C extends ActionContract>(
  contract: C,
  handle: SystemAction<C>['handle'],
): SystemAction<C> => ({ contract, handle });

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
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own input type; the registry holds them side by side
  actions: Record<string, Action<any>>;
  timers?: Record<string, TimerHandler>;
  http?: HttpHandler;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each action has its own input type; the registry holds them side by side
  system?: Record<string, SystemAction<any>>;
  /** Codes of this function's own that mean a refused attempt (audited like NOT_STAFF and FORBIDDEN). */
  refusals?: readonly string[];
}

const PLATFORM_FIELDS = new Set(['action', 'userInfo']);

/**
 * Builds a cloud function's `main`: routes a Mini Program call by its `action`, a timer by its
 * trigger name, an HTTP access request to the HTTP handler. Input is parsed by the action's
 * contract; the caller's identity comes from the platform context only.
 */
export function createFunction(spec: FunctionSpec) {
  // the platform's context gives the invocation's time limit, which bounds transaction reruns
  return async function main(
    event: Record<string, unknown>,
    context?: { time_limit_in_ms?: number },
  ): Promise<unknown> {
    const requestId = randomBytes(6).toString('hex');
    const started = Date.now();
    startInvocation(started, context?.time_limit_in_ms);
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
      const result = await exclusiveRun(system, `${spec.name}:${name}`, () =>
        timer(system, { triggerName: name, time: String(event.Time) }),
      );
      log.info('timer', { trigger: name, ms: Date.now() - started });
      return result;
    }

    if (typeof event?.httpMethod === 'string') {
      if (!spec.http)
        return { statusCode: 404, body: JSON.stringify({ code: ErrorCodes.NOT_FOUND, message: 'no HTTP handler' }) };
      const raw = typeof event.body === 'string' ? event.body : '';
      const req: HttpRequest = {
        method: event.httpMethod,
        path: String(event.path ?? '/'),
        headers: Object.fromEntries(
          Object.entries((event.headers as Record<string, string>) ?? {}).map(([k, v]) => [k.toLowerCase(), String(v)]),
        ),
        query: (event.queryStringParameters as Record<string, string>) ?? {},
        body: event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8'),
      };
      return spec.http(req, system);
    }

    const name = typeof event?.action === 'string' ? event.action : '';
    const openid = typeof caller.OPENID === 'string' ? caller.OPENID : '';
    const isSystem = !fromUser && spec.system && Object.prototype.hasOwnProperty.call(spec.system, name);
    const sys = isSystem ? spec.system?.[name] : undefined;
    if (sys) return runSystemAction(sys, event, system);
    const act = Object.prototype.hasOwnProperty.call(spec.actions, name) ? spec.actions[name] : undefined;
    let result: ActionResult<unknown>;
    let fields: string[] = [];
    try {
      if (!act)
        throw new DomainError(
          ErrorCodes.UNKNOWN_ACTION,
          `未知操作 / unknown action "${name}" for function ${spec.name}`,
        );
      const wx = caller;
      if (!openid)
        throw new DomainError(ErrorCodes.UNAUTHENTICATED, '请在微信中打开 / no WeChat identity on this call');
      const raw = Object.fromEntries(Object.entries(event).filter(([k]) => !PLATFORM_FIELDS.has(k)));
      const problem = inputProblem(raw);
      if (problem) {
        if (problem.kind === 'forbiddenKey') fields = [problem.path];
        throw refusedInput(problem);
      }
      const parsed = act.contract.input.safeParse(raw);
      if (!parsed.success) {
        fields = unknownFields(parsed.error);
        throw parsed.error;
      }
      const input = parsed.data;
      const ctx: ActionContext = {
        ...system,
        openid,
        unionid: typeof wx.UNIONID === 'string' ? wx.UNIONID : undefined,
        appid: typeof wx.APPID === 'string' ? wx.APPID : undefined,
        source: typeof wx.SOURCE === 'string' ? wx.SOURCE : undefined,
      };
      const output = await act.handle(input, ctx);
      result = { ok: true, data: act.contract.output.parse(output) };
    } catch (e) {
      const failure = toFailure(e);
      if (!failure.expected) log.error('action failed', { action: name, error: (e as Error)?.stack ?? String(e) });
      result = failure.result;
    }
    if (!result.ok && act && openid) {
      const refusal = { fn: spec.name, action: name, code: result.error.code, fields };
      if (isAuditedRefusal(refusal, spec.refusals)) {
        await auditRefusal(system.db, openid, system.now(), refusal).catch((e: Error) => {
          log.error('refusal audit failed', { action: name, error: e.message });
        });
      }
    }
    log.info('action', {
      action: name,
      ms: Date.now() - started,
      ok: result.ok,
      ...(result.ok ? {} : { code: result.error.code }),
    });
    return result;
  };
}

async function runSystemAction(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any system action of the registry, whatever its input
  sys: SystemAction<any>,
  event: Record<string, unknown>,
  ctx: SystemContext,
): Promise<ActionResult<unknown>> {
  try {
    const raw = Object.fromEntries(Object.entries(event).filter(([k]) => !PLATFORM_FIELDS.has(k)));
    const input = sys.contract.input.parse(raw);
    return { ok: true, data: sys.contract.output.parse(await sys.handle(input, ctx)) };
  } catch (e) {
    const failure = toFailure(e);
    if (!failure.expected) ctx.log.error('system action failed', { error: (e as Error)?.stack ?? String(e) });
    return failure.result;
  }
}

/** Keys the strict contract refused as unknown, with their place: `role`, `items.0.extra`. */
function unknownFields(e: z.ZodError): string[] {
  return e.issues.flatMap((i) => (i.code === 'unrecognized_keys' ? i.keys.map((k) => [...i.path, k].join('.')) : []));
}

function refusedInput(p: InputProblem): DomainError {
  const message =
    p.kind === 'forbiddenKey'
      ? `${p.path}: 不允许的字段 / key not allowed`
      : p.kind === 'tooDeep'
        ? '嵌套过深 / input nested too deep'
        : '输入过大 / input too large';
  const issues = [{ path: p.kind === 'forbiddenKey' ? p.path : '', message }];
  return new DomainError(ErrorCodes.INVALID_INPUT, `输入有误 / invalid input: ${message}`, { issues });
}
