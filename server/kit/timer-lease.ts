import type { Database } from '../runtime/cloud';
import { isDuplicateKey } from '../db/insert';
import type { SystemContext } from './context';

/**
 * Longer than any function may run (the longest timeout in config.json is 60 s): a lease this old
 * belongs to a run that was killed or timed out, and the next firing takes over.
 */
export const TIMER_LEASE_MS = 90_000;

interface LeaseDoc {
  _id: string;
  holder: string;
  since: Date;
  until: Date;
}

/** Takes the timer's lease if it is free (expired, released, or from a clock that went back); false if a run holds it. */
async function acquire(db: Database, id: string, holder: string, now: Date): Promise<boolean> {
  const _ = db.command;
  const leases = db.collection('timer_leases');
  const lease = { holder, since: now, until: new Date(now.getTime() + TIMER_LEASE_MS) };
  const r = await leases
    .where(_.and([{ _id: id }, _.or([{ until: _.lte(now) }, { since: _.gt(now) }])]))
    .update({ data: lease });
  if (r && r.stats.updated > 0) return true;
  try {
    await leases.add({ data: { _id: id, ...lease } satisfies LeaseDoc });
    return true;
  } catch (e) {
    // the lease exists and is held (or another run created it first)
    if (isDuplicateKey(e)) return false;
    throw e;
  }
}

/**
 * Runs one firing of a timer unless a previous run of the same timer still holds its lease: the
 * platform fires on schedule even when the last run has not ended, and two runs of one timer must
 * never overlap. A skipped firing leaves its work to the next one.
 */
export async function exclusiveRun<T>(
  ctx: SystemContext,
  timer: string,
  run: () => Promise<T>,
): Promise<T | { skipped: 'previous_run_active' }> {
  const db = ctx.db;
  if (!(await acquire(db, timer, ctx.requestId, ctx.now()))) {
    ctx.log.warn('timer skipped: its previous run is still going', { timer });
    return { skipped: 'previous_run_active' };
  }
  try {
    return await run();
  } finally {
    await db
      .collection('timer_leases')
      .where({ _id: timer, holder: ctx.requestId })
      .update({ data: { until: ctx.now() } });
  }
}
