import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { TcbCodes, TcbError } from '../db/errors';
import { eventText } from './event-text';
import type { FunctionDef } from './config';

export interface RunRequest {
  event: unknown;
  env: Record<string, string>;
  /** an injected fault: the instance is killed this long into the invocation */
  killAfterMs?: number;
}
export interface RunResult {
  ok: boolean;
  result?: unknown;
  error?: { message: string; stack?: string };
  logs: string[];
}

interface Worker {
  child: ChildProcess;
  busy: boolean;
  /** resolves once the function's code is loaded (cold start), which the timeout does not count */
  ready: Promise<void>;
}

/** EMULATOR_CPU_PROF_DIR=<dir>: each instance writes a V8 CPU profile there when it ends (`docs/benchmarks.md`). */
const PROFILE_ARGS = process.env.EMULATOR_CPU_PROF_DIR
  ? ['--cpu-prof', `--cpu-prof-dir=${process.env.EMULATOR_CPU_PROF_DIR}`]
  : [];

/** Instances of one function: up to `max` worker processes, each running one invocation at a time. */
export class FunctionPool {
  private readonly workers: Worker[] = [];
  private readonly queue: Array<(w: Worker) => void> = [];

  constructor(
    private readonly def: FunctionDef,
    private readonly workerScript: string,
    private readonly baseEnv: Record<string, string>,
    private readonly max: number,
  ) {}

  get size(): number {
    return this.workers.length;
  }

  async run(req: RunRequest): Promise<RunResult> {
    const worker = await this.acquire();
    try {
      return await this.invoke(worker, req);
    } finally {
      this.release(worker);
    }
  }

  /** Starts instances ahead of the first calls (cold starts are slow). */
  warm(count: number): void {
    while (this.workers.length < Math.min(count, this.max)) this.workers.push(this.spawn());
  }

  close(): void {
    // a profiled instance writes its profile as it exits, which SIGKILL would not let it do
    for (const w of this.workers) w.child.kill(PROFILE_ARGS.length ? 'SIGTERM' : 'SIGKILL');
    this.workers.length = 0;
  }

  private spawn(): Worker {
    const child = fork(this.workerScript, [this.def.entry], {
      env: { ...this.baseEnv, ...this.def.config.envVariables },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: PROFILE_ARGS,
    });
    const ready = new Promise<void>((resolve, reject) => {
      const onReady = (msg: { type?: string; error?: string }) => {
        if (msg?.type !== 'ready') return;
        child.off('message', onReady);
        if (msg.error)
          reject(new TcbError(TcbCodes.functionFailed, `function ${this.def.name} failed to load: ${msg.error}`));
        else resolve();
      };
      child.on('message', onReady);
      child.once('exit', (code) =>
        reject(
          new TcbError(TcbCodes.functionFailed, `function ${this.def.name} instance exited during start (${code})`),
        ),
      );
    });
    ready.catch(() => this.retire(worker));
    const worker: Worker = { child, busy: false, ready };
    child.on('exit', () => this.retire(worker));
    return worker;
  }

  /** Takes an instance out of service at once (a timed-out or crashed one must never get another call). */
  private retire(worker: Worker): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    if (worker.child.exitCode === null && !worker.child.killed) worker.child.kill('SIGKILL');
  }

  private acquire(): Promise<Worker> {
    const idle = this.workers.find((w) => !w.busy && w.child.connected);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    if (this.workers.length < this.max) {
      const w = this.spawn();
      w.busy = true;
      this.workers.push(w);
      return Promise.resolve(w);
    }
    return new Promise((resolve) => this.queue.push(resolve));
  }

  private release(worker: Worker): void {
    const next = this.queue.shift();
    if (!this.workers.includes(worker)) {
      // the instance died (timeout or crash): start another for whoever waits
      if (next) {
        const w = this.spawn();
        w.busy = true;
        this.workers.push(w);
        next(w);
      }
      return;
    }
    if (next) next(worker);
    else worker.busy = false;
  }

  private async invoke(worker: Worker, req: RunRequest): Promise<RunResult> {
    await worker.ready;
    const id = randomBytes(6).toString('hex');
    const timeoutMs = this.def.config.timeout * 1000;
    return new Promise((resolve, reject) => {
      const onMessage = (msg: { type: string; id: string } & RunResult) => {
        if (msg?.type !== 'done' || msg.id !== id) return;
        cleanup();
        resolve(msg);
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        reject(
          new TcbError(
            TcbCodes.functionFailed,
            `function ${this.def.name} instance exited (${signal ?? code}) during the invocation`,
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        this.retire(worker);
        reject(
          new TcbError(
            TcbCodes.timeout,
            `Invoking task timed out after ${this.def.config.timeout} seconds (function ${this.def.name}, timeout from config.json)`,
          ),
        );
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        if (kill) clearTimeout(kill);
        worker.child.off('message', onMessage);
        worker.child.off('exit', onExit);
      };
      const kill =
        req.killAfterMs === undefined ? undefined : setTimeout(() => worker.child.kill('SIGKILL'), req.killAfterMs);
      worker.child.on('message', onMessage);
      worker.child.on('exit', onExit);
      const context = {
        function_name: this.def.name,
        request_id: id,
        time_limit_in_ms: timeoutMs,
        memory_limit_in_mb: this.def.config.memorySize ?? 256,
        callbackWaitsForEmptyEventLoop: false,
      };
      const eventJson = eventText(req.event);
      worker.child.send({ type: 'invoke', id, entry: this.def.entry, eventJson, env: req.env, context });
    });
  }
}
