import type { Clock } from '../../core/time';
import type { Database } from '../runtime/cloud';
import type { Logger } from './logger';

/** What every handler gets: who calls (from the platform, never from input), the database, time, logs. */
export interface ActionContext {
  openid: string;
  unionid?: string;
  appid?: string;
  source?: string;
  db: Database;
  now: Clock;
  log: Logger;
  requestId: string;
}

/** Timer and HTTP handlers run without a user. */
export type SystemContext = Omit<ActionContext, 'openid' | 'unionid' | 'appid'>;
