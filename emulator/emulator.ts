import { createServer, type Server } from 'node:http';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { EmulatedDatabase, defaultDatabaseLimits, type DatabaseLimits } from './db/database';
import { EmulatorClock } from './clock';
import { FunctionRuntime } from './functions/runtime';
import { moveClock, type TimerFiring } from './functions/timers';
import { OpenApiRecorder } from './openapi';
import { SecurityRules } from './rules';
import { route } from './http/routes';
import { sendJson } from './http/io';
import type { EmulatorOptions } from './options';

export type { EmulatorOptions } from './options';

export const defaultOptions: EmulatorOptions = {
  port: 0,
  host: '127.0.0.1',
  envId: 'local-env',
  appid: 'wx0000000000000000',
  dataDir: null,
  functionsDir: join(process.cwd(), 'cloudfunctions'),
  collections: [],
  httpRoutes: [],
  maxInstancesPerFunction: 8,
  limits: {},
};

/** A local CloudBase: database, functions, timers, OpenAPI recorder and console behind one HTTP port. */
export class Emulator {
  readonly clock = new EmulatorClock();
  readonly openapi: OpenApiRecorder;
  readonly rules = new SecurityRules();
  readonly db: EmulatedDatabase;
  runtime!: FunctionRuntime;
  readonly limits: DatabaseLimits & { maxRequestBytes: number };
  private server!: Server;
  private timerQueue: Promise<unknown> = Promise.resolve();
  private lastTimerCheck = new Date();
  private ticker?: NodeJS.Timeout;
  private readonly workDir: string;

  constructor(readonly options: EmulatorOptions) {
    this.limits = { ...defaultDatabaseLimits, maxRequestBytes: 6 * 1024 * 1024, ...options.limits };
    if (options.startAt) this.clock.set(options.startAt);
    this.openapi = new OpenApiRecorder(() => this.clock.now());
    this.workDir = options.dataDir ?? join(tmpdir(), `cloudbase-emulator-${process.pid}-${Date.now()}`);
    mkdirSync(this.workDir, { recursive: true });
    this.db = new EmulatedDatabase(
      options.dataDir ? join(options.dataDir, 'cloudbase.sqlite') : ':memory:',
      this.limits,
    );
    for (const c of options.collections) {
      this.db.store.createCollection(c.name);
      this.db.declareIndexes(c.name, c.indexes ?? []);
      if (c.clientAccess) this.rules.declare(c.name, c.clientAccess);
    }
  }

  get url(): string {
    const addr = this.server.address() as AddressInfo;
    return `http://${this.options.host}:${addr.port}`;
  }

  /** What to give `cloud.init({ serviceUrl })`. */
  get serviceUrl(): string {
    return `${this.url}/admin`;
  }

  async listen(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://emulator');
      const handler = route(req.method ?? 'GET', url.pathname);
      if (!handler) {
        sendJson(res, 404, { code: 'NOT_FOUND', message: `no route for ${req.method} ${url.pathname}` });
        return;
      }
      handler(req, res, url, this).catch((e: Error) => {
        if (!res.headersSent) sendJson(res, 500, { code: 'EMULATOR_ERROR', message: e.message });
      });
    });
    this.server.keepAliveTimeout = 10_000;
    await new Promise<void>((resolve) => this.server.listen(this.options.port, this.options.host, resolve));
    this.runtime = new FunctionRuntime({
      functionsDir: this.options.functionsDir,
      workDir: this.workDir,
      serviceUrl: this.serviceUrl,
      envId: this.options.envId,
      appid: this.options.appid,
      maxInstances: this.options.maxInstancesPerFunction,
      clock: this.clock,
      logSize: this.options.invocationLogSize,
      latency: this.options.latency,
    });
    if (this.options.warmInstancesPerFunction) this.runtime.warm(this.options.warmInstancesPerFunction);
    this.lastTimerCheck = this.clock.now();
    if (this.options.realTimeTimersMs)
      this.ticker = setInterval(() => void this.moveClock(null), this.options.realTimeTimersMs).unref();
    return this;
  }

  /**
   * Moves the clock to `to`, firing due timers; moves and real-time checks run one at a time,
   * each starting where the previous ended, so no firing is done twice. `only` (function or
   * `function:trigger` names) fires just those on this move; the others due in between are skipped.
   */
  moveClock(to: Date | null, only?: string[], overlap?: boolean): Promise<TimerFiring[]> {
    const run = this.timerQueue.then(async () => {
      const realTime = to === null;
      const target = to ?? this.clock.now();
      const fired = await moveClock(this.runtime, this.clock, target, {
        only: only ?? this.options.timerFunctions,
        from: realTime ? this.lastTimerCheck : undefined,
        realTime,
        overlap,
      });
      this.lastTimerCheck = this.clock.now();
      return fired;
    });
    this.timerQueue = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    if (this.ticker) clearInterval(this.ticker);
    this.runtime?.close();
    await new Promise<void>((resolve) => {
      this.server.closeAllConnections();
      this.server.close(() => resolve());
    });
    this.db.close();
    if (!this.options.dataDir) rmSync(this.workDir, { recursive: true, force: true });
  }
}

export async function startEmulator(options: Partial<EmulatorOptions> = {}): Promise<Emulator> {
  return new Emulator({ ...defaultOptions, ...options }).listen();
}
