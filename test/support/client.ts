import type { ActionName, Contracts, FunctionName, InputOf, OutputOf, ActionResult } from '../../core/contracts';
import type { Emulator } from '../../emulator/emulator';

type Contract<F extends FunctionName, A extends ActionName<F>> = Contracts[F][A];

export interface CallOptions {
  unionid?: string;
  appid?: string;
}

/**
 * Acts as `wx.cloud.callFunction` for one WeChat user: the emulator puts this OpenID into the
 * function's context, as the platform does for a signed-in Mini Program user.
 */
export class TestClient {
  constructor(
    private readonly emu: Emulator,
    readonly openid: string,
    private readonly opts: CallOptions = {},
  ) {}

  /** The raw platform answer: `{ result }` or `{ errCode, errMsg }`. */
  async raw(
    fn: string,
    data: Record<string, unknown>,
  ): Promise<{ result?: unknown; errCode?: number; errMsg?: string }> {
    const res = await fetch(`${this.emu.url}/invoke/${fn}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ openid: this.openid, data, ...this.opts }),
    });
    return (await res.json()) as { result?: unknown; errCode?: number; errMsg?: string };
  }

  /** A typed action call: the envelope as the Mini Program receives it. */
  async call<F extends FunctionName, A extends ActionName<F>>(
    fn: F,
    action: A,
    input: InputOf<Contract<F, A>>,
  ): Promise<ActionResult<OutputOf<Contract<F, A>>>> {
    const answer = await this.raw(fn, { action, ...(input as object) });
    if (answer.errCode !== undefined) throw new Error(`callFunction failed: ${answer.errCode} ${answer.errMsg}`);
    return answer.result as ActionResult<OutputOf<Contract<F, A>>>;
  }

  /** Like `call`, but the action must succeed: returns its data. */
  async ok<F extends FunctionName, A extends ActionName<F>>(
    fn: F,
    action: A,
    input: InputOf<Contract<F, A>>,
  ): Promise<OutputOf<Contract<F, A>>> {
    const r = await this.call(fn, action, input);
    if (!r.ok) throw new Error(`${fn}.${action} failed: ${r.error.code} ${r.error.message}`);
    return r.data;
  }
}

export const as = (emu: Emulator, openid: string, opts?: CallOptions) => new TestClient(emu, openid, opts);
