import type { DatabaseLimits } from './db/database';
import type { IndexSpec } from './db/indexes';
import type { ClientAccess } from './rules';
import type { LatencyModel } from './http/latency';

export interface CollectionDeclaration {
  name: string;
  indexes?: IndexSpec[];
  clientAccess?: ClientAccess;
}

export interface EmulatorOptions {
  port: number;
  host: string;
  envId: string;
  appid: string;
  /** SQLite file folder; null keeps everything in memory (tests) */
  dataDir: string | null;
  functionsDir: string;
  collections: CollectionDeclaration[];
  httpRoutes: { path: string; fn: string }[];
  maxInstancesPerFunction: number;
  /** instances each function starts with, before any call (the platform's provisioned concurrency, 预置并发) */
  warmInstancesPerFunction?: number;
  /** invocations the console (`/api/invocations`) keeps, newest last; 500 when not given */
  invocationLogSize?: number;
  /** timers that fire when the clock moves: a function's name (all its timers) or `function:trigger`; all when not given */
  timerFunctions?: string[];
  /** also fire timers as real time passes, checking every this many ms (`npm start`); off when not given */
  realTimeTimersMs?: number;
  limits: Partial<DatabaseLimits> & { maxRequestBytes?: number };
  startAt?: Date;
  /** a delay per database call and per invocation (benchmarks at a real network's latency); none when not given */
  latency?: LatencyModel;
}
