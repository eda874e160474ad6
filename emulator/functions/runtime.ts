import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { TcbCodes, TcbError } from '../db/errors';
import type { EmulatorClock } from '../clock';
import { discoverFunctions, type FunctionDef } from './config';
import { FunctionPool } from './pool';
import type { Invocation } from './invocation';
import { RuntimeFaults } from './faults';
import { waitLatency, type LatencyModel } from '../http/latency';

export type { Invocation };
import { BUNDLED_WORKER, WORKER_SOURCE, isBundled } from '../paths';
import { WECHAT_API_PREFIX, emulatorOaCredentials } from '../openapi';

export interface InvokeContext {
  openid?: string;
  unionid?: string;
  appid?: string;
  /** the platform's SOURCE: wx_client, wx_devtools, wx_http, wx_function, timer… */
  source: string;
  trigger?: 'timer';
}

/** A forked process needs plain JavaScript: the bundled emulator ships the worker beside it; from source it is compiled once per start. */
function compileWorker(outDir: string): string {
  if (isBundled()) return BUNDLED_WORKER;
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'function-worker.js');
  buildSync({
    entryPoints: [WORKER_SOURCE],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'error',
  });
  return outfile;
}

/** Runs the built cloud functions: one pool of instances per function, an invocation log, call accounting. */
export class FunctionRuntime {
  readonly functions = new Map<string, FunctionDef>();
  /** kills and lost database answers tests inject (`POST /functions/faults`) */
  readonly faults = new RuntimeFaults();
  private readonly pools = new Map<string, FunctionPool>();
  private readonly log: Invocation[] = [];
  private readonly live = new Map<string, { inv: Invocation; ctx: InvokeContext }>();
  private workerScript?: string;

  constructor(
    private readonly opts: {
      functionsDir: string;
      workDir: string;
      serviceUrl: string;
      envId: string;
      appid: string;
      maxInstances: number;
      clock: EmulatorClock;
      logSize?: number;
      latency?: LatencyModel;
    },
  ) {
    this.reload();
  }

  reload(): void {
    for (const p of this.pools.values()) p.close();
    this.pools.clear();
    this.functions.clear();
    for (const def of discoverFunctions(this.opts.functionsDir)) this.functions.set(def.name, def);
  }

  close(): void {
    for (const p of this.pools.values()) p.close();
  }

  warm(perFunction: number): void {
    for (const name of this.functions.keys()) this.pool(name).warm(perFunction);
  }

  /** Instances of a function started so far (warm or busy). */
  instanceCount(name: string): number {
    return this.pools.get(name)?.size ?? 0;
  }

  invocations(limit = 100, fn?: string): Invocation[] {
    return this.log
      .filter((i) => !fn || i.fn === fn)
      .slice(-limit)
      .reverse();
  }

  /** The invocation a request came from, by the API token the SDK sends along (`wxCloudApiToken`). */
  fromToken(token: unknown): { inv: Invocation; ctx: InvokeContext } | undefined {
    return typeof token === 'string' && token ? this.live.get(token) : undefined;
  }

  private pool(name: string): FunctionPool {
    const def = this.functions.get(name);
    if (!def)
      throw new TcbError(
        TcbCodes.functionMissing,
        `FunctionName parameter could not be found: function ${name} does not exist`,
      );
    let pool = this.pools.get(name);
    if (!pool) {
      const baseEnv: Record<string, string> = {
        PATH: process.env.PATH ?? '',
        NODE_ENV: process.env.NODE_ENV ?? 'development',
        TENCENTCLOUD: 'true',
        TENCENTCLOUD_SECRETID: 'emulator',
        TENCENTCLOUD_SECRETKEY: 'emulator',
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: this.opts.serviceUrl }),
        TCB_ENV: this.opts.envId,
        SCF_NAMESPACE: this.opts.envId,
        TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SOURCE',
        SILENCE: 'true',
        // the Official Account API is the emulator's fake WeChat, with its test appid/secret unless configured
        WECHAT_API_BASE: `${new URL(this.opts.serviceUrl).origin}${WECHAT_API_PREFIX}`,
        OA_APP_ID: emulatorOaCredentials().appId,
        OA_APP_SECRET: emulatorOaCredentials().secret,
        ...(process.env.EMULATOR_ECHO_LOGS ? { EMULATOR_ECHO_LOGS: process.env.EMULATOR_ECHO_LOGS } : {}),
      };
      this.workerScript ??= compileWorker(this.opts.workDir);
      pool = new FunctionPool(def, this.workerScript, baseEnv, this.opts.maxInstances);
      this.pools.set(name, pool);
    }
    return pool;
  }

  async invoke(fn: string, event: unknown, ctx: InvokeContext): Promise<Invocation> {
    const pool = this.pool(fn);
    const token = `inv_${randomBytes(9).toString('hex')}`;
    const started = Date.now();
    const inv: Invocation = {
      id: token,
      fn,
      source: ctx.source,
      openid: ctx.openid,
      at: this.opts.clock.now().toISOString(),
      durationMs: 0,
      input: event,
      ok: false,
      logs: [],
      dbCalls: 0,
      dbReads: 0,
      dbWrites: 0,
    };
    const env: Record<string, string> = {
      WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID,WX_UNIONID,WX_CLIENTIP,WX_API_TOKEN',
      WX_APPID: ctx.appid ?? this.opts.appid,
      WX_CLIENTIP: '127.0.0.1',
      WX_API_TOKEN: token,
      TCB_SOURCE: ctx.source,
      MEMBER_CENTRE_CLOCK_OFFSET_MS: String(this.opts.clock.offset),
      ...(ctx.openid ? { WX_OPENID: ctx.openid } : {}),
      ...(ctx.unionid ? { WX_UNIONID: ctx.unionid } : {}),
      ...(ctx.trigger ? { TRIGGER_SRC: ctx.trigger } : {}),
    };
    this.live.set(token, { inv, ctx });
    try {
      await waitLatency(this.opts.latency, 'invocation');
      const out = await pool.run({ event, env, killAfterMs: this.faults.takeKill(fn) });
      inv.ok = out.ok;
      inv.logs = out.logs;
      if (out.ok) inv.result = out.result;
      else inv.error = { code: TcbCodes.functionFailed, message: out.error?.message ?? 'unknown error' };
    } catch (e) {
      const err = e instanceof TcbError ? e : new TcbError(TcbCodes.functionFailed, (e as Error).message);
      inv.error = { code: err.code, message: err.message };
    } finally {
      this.live.delete(token);
      inv.durationMs = Date.now() - started;
      this.log.push(inv);
      if (this.log.length > (this.opts.logSize ?? 500)) this.log.shift();
    }
    return inv;
  }
}
