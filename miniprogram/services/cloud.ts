import type { ActionName, ActionResult, Contracts, FunctionName, InputOf, OutputOf } from '../../core/contracts';

/**
 * The one place that calls `wx.cloud.callFunction`. Request and response types come from
 * `core/contracts` (type-only: nothing of the server reaches the Mini Program bundle).
 */
export type CallInput<F extends FunctionName, A extends ActionName<F>> = InputOf<Contracts[F][A]>;
export type CallOutput<F extends FunctionName, A extends ActionName<F>> = OutputOf<Contracts[F][A]>;

/** Client-side codes; server codes (e.g. `INVALID_INPUT`) pass through unchanged. */
export const ClientErrorCodes = {
  NETWORK: 'NETWORK_ERROR',
  CALL_FAILED: 'CALL_FAILED',
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

export class ServiceError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ServiceError';
  }
}

export interface CallOptions {
  /** Extra attempts after a network failure (not after an answer from the function). */
  retries?: number;
  /** First back-off; doubles on each retry. */
  backoffMs?: number;
}

interface PlatformFailure {
  errCode?: number;
  errMsg?: string;
}

/** Failures worth retrying: the request may never have reached the function. */
export function isNetworkFailure(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const { errCode, errMsg } = err as PlatformFailure;
  const msg = typeof errMsg === 'string' ? errMsg : String((err as Error).message ?? '');
  return errCode === -1 || /timeout|timed out|network/i.test(msg);
}

let callCount = 0;
/**
 * How many calls this client has sent since launch (the "one call on launch" budget).
 * @public tests read it on the built app, out of the static import graph
 */
export const callsMade = (): number => callCount;
/** @public tests reset it on the built app between cases */
export const resetCallCount = (): void => {
  callCount = 0;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function unwrap<T>(result: unknown): T {
  const envelope = result as ActionResult<T> | undefined;
  if (!envelope || typeof envelope !== 'object' || typeof envelope.ok !== 'boolean') {
    throw new ServiceError(ClientErrorCodes.BAD_RESPONSE, '服务返回格式错误 / malformed response');
  }
  if (envelope.ok) return envelope.data;
  const { code, message, details } = envelope.error;
  throw new ServiceError(code, message, details);
}

/** `call('member', 'login', { scene })` → the action's data, or a thrown `ServiceError`. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: CallInput<F, A>,
  options: CallOptions = {},
): Promise<CallOutput<F, A>> {
  const retries = options.retries ?? 2;
  const backoffMs = options.backoffMs ?? 300;
  for (let attempt = 0; ; attempt++) {
    let answer: { result?: unknown };
    try {
      callCount++;
      answer = await wx.cloud.callFunction({ name: fn, data: { ...(input as object), action } });
    } catch (err) {
      const network = isNetworkFailure(err);
      if (network && attempt < retries) {
        await sleep(backoffMs * 2 ** attempt);
        continue;
      }
      const msg = (err as PlatformFailure)?.errMsg ?? String((err as Error)?.message ?? err);
      throw new ServiceError(network ? ClientErrorCodes.NETWORK : ClientErrorCodes.CALL_FAILED, msg);
    }
    return unwrap<CallOutput<F, A>>(answer.result);
  }
}
