import type { PrivacyConfig } from '../../core/config/brand';
import { retentionPlan } from '../../core/members/retention';
import type { Database } from '../runtime/cloud';

/**
 * The retention timer: rows older than the brand's periods (`privacy.retentionDays`) are purged or
 * pseudonymised, as the member-data registry says for each collection. One conditional write per
 * collection; a second run the same day finds nothing left to do.
 */
export async function applyRetention(db: Database, now: Date, privacy: PrivacyConfig): Promise<Record<string, number>> {
  const _ = db.command;
  const done: Record<string, number> = {};
  for (const { collection, rule, before } of retentionPlan(privacy, now)) {
    const old = { [rule.timeField]: _.lt(before) };
    if (rule.action === 'purge') {
      const where = rule.only ? { ...old, [rule.only.field]: _.in(rule.only.values) } : old;
      const r = (await db.collection(collection).where(where).remove()) as { stats?: { removed?: number } };
      done[collection] = r.stats?.removed ?? 0;
    } else {
      const data = { ...rule.replaces, pseudonymisedAt: now };
      const where = { ...old, pseudonymisedAt: _.exists(false) };
      const r = (await db.collection(collection).where(where).update({ data })) as { stats?: { updated?: number } };
      done[collection] = r.stats?.updated ?? 0;
    }
  }
  return done;
}
