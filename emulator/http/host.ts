import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EmulatedDatabase, DatabaseLimits } from '../db/database';
import type { EmulatorClock } from '../clock';
import type { FunctionRuntime } from '../functions/runtime';
import type { TimerFiring } from '../functions/timers';
import type { OpenApiRecorder } from '../openapi';
import type { SecurityRules } from '../rules';
import type { EmulatorOptions } from '../options';

/** What the HTTP routes use of the emulator (the `Emulator` class), apart so that the two form no cycle. */
export interface RouteHost {
  readonly clock: EmulatorClock;
  readonly openapi: OpenApiRecorder;
  readonly rules: SecurityRules;
  readonly db: EmulatedDatabase;
  readonly runtime: FunctionRuntime;
  readonly limits: DatabaseLimits & { maxRequestBytes: number };
  readonly options: EmulatorOptions;
  /** What to give `cloud.init({ serviceUrl })`. */
  readonly serviceUrl: string;
  moveClock(to: Date | null, only?: string[], overlap?: boolean): Promise<TimerFiring[]>;
}

export type Route = (req: IncomingMessage, res: ServerResponse, url: URL, emu: RouteHost) => Promise<void>;
