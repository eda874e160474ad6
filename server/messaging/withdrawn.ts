import type { Database } from '../runtime/cloud';

/** Why an outbox row was not sent: the member withdrew marketing consent after it was decided. */
export const MARKETING_WITHDRAWN = 'marketing_withdrawn';

type Updated = { stats?: { updated?: number } };

/** Marks the member's waiting marketing rows skipped: one update, whatever channel or source queued them. */
export async function skipQueuedMarketing(db: Database, memberId: string, now: Date): Promise<number> {
  const _ = db.command;
  const r = (await db
    .collection('outbox')
    .where({ memberId, purpose: 'marketing', state: _.in(['pending', 'deferred']) })
    .update({ data: { state: 'skipped', reason: MARKETING_WITHDRAWN, endedAt: now } })) as Updated;
  return r.stats?.updated ?? 0;
}
