import { applyEvent, type EngagementKind } from '../../core/lifecycle';
import type { Database } from '../runtime/cloud';
import { inTransaction, type Tx } from '../db/transaction';
import { portraitSettings } from '../portrait/settings';
import { emptyLifecycleDoc, factsOf } from './documents';
import { saveLifecycle } from './update';
import { existingMemberTx } from '../members/resolve';

/**
 * Recomputes a member's stage and portrait inside the caller's transaction, after a change the
 * stage reads from the member record (registration: a card; following the Official Account), or
 * after an engagement (cart, campaign click) when `engagement` is given. For registration and
 * the OA callback to call in their transactions; the nightly recompute catches anything missed.
 */
export async function refreshLifecycle(
  tx: Tx,
  db: Database,
  memberId: string,
  now: Date,
  cause: string,
  engagement?: { kind: EngagementKind; at: Date },
) {
  const member = await existingMemberTx(tx, memberId);
  let facts = factsOf(member, member.lifecycle);
  if (engagement) facts = applyEvent(facts, { type: 'engagement', kind: engagement.kind, at: engagement.at });
  const lc = member.lifecycle ?? emptyLifecycleDoc();
  return saveLifecycle(
    tx,
    member,
    facts,
    { categories: lc.categories, channels: lc.channels },
    await portraitSettings(db, now),
    now,
    cause,
  );
}

/** Same, in a transaction of its own. */
export const refreshLifecycleNow = (
  db: Database,
  memberId: string,
  now: Date,
  cause: string,
  engagement?: { kind: EngagementKind; at: Date },
) => inTransaction(db, (tx) => refreshLifecycle(tx, db, memberId, now, cause, engagement));
