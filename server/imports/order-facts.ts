import type { Database } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { bulkFacts, joinFacts } from '../lifecycle/recompute';
import { factsOf } from '../lifecycle/documents';
import { ordersOf } from '../lifecycle/order-reads';
import { saveLifecycle, type LifecycleMember } from '../lifecycle/update';
import { GroupedTx } from '../orders/grouped-tx';
import { portraitSettings } from '../portrait/settings';

/** Members whose facts one transaction writes: a conflict reruns them all, so a modest group. */
const FACT_GROUP = 100;

/**
 * The lifecycle and RFM facts of members given historical orders, rebuilt from their stored orders
 * (read once, outside the transaction: orders are only added, and a paid order the read missed is
 * kept from the facts the member holds). Each group of members is one grouped transaction: their
 * documents read in one query at its snapshot, each changed member written once, whole, with its
 * stage, and the stage changes' history rows and events inserted in one call each; the commit
 * applies them all at once. A member unchanged (a batch sent again) is not written.
 */
export async function rebuildImportedFacts(db: Database, now: Date, memberIds: string[]): Promise<void> {
  if (memberIds.length === 0) return;
  const settings = await portraitSettings(db, now);
  const orders = await ordersOf(db, memberIds);
  for (let i = 0; i < memberIds.length; i += FACT_GROUP) {
    const group = memberIds.slice(i, i + FACT_GROUP);
    await inTransaction(db, async (real) => {
      const tx = new GroupedTx(real);
      await tx.prime('members', group, db.command);
      for (const id of group) {
        const m = (await tx.collection('members').doc(id).get()).data as LifecycleMember | null;
        if (!m || m.mergedInto || m.deletedAt) continue;
        const built = bulkFacts(m, orders.get(id) ?? []);
        const facts = joinFacts(built.facts, factsOf(m, m.lifecycle));
        await saveLifecycle(tx, { ...m, _id: id }, facts, built.traits, settings, now, 'nightly');
      }
      await tx.flush();
    });
  }
}
