import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { openAccount, saveAccount } from './account';
import { valueRules, type ValueRules } from './brand';
import { applyTier } from '../tiers/apply';
import { membersQuery } from '../members/store';

const PAGE = 500;

/**
 * The daily tier job: re-evaluates every member above the lowest tier, so rolling downgrades and
 * the yearly review happen even for members with no new activity. Upgrades happen at the earning.
 */
export async function runTierReview(
  ctx: SystemContext,
  rules: ValueRules = valueRules(),
): Promise<{ evaluated: number; changed: number }> {
  const now = ctx.now();
  const _ = ctx.db.command;
  const above = rules.tiers.tiers.slice(1).map((t) => t.id);
  let evaluated = 0;
  let changed = 0;
  if (above.length === 0 || rules.tiers.downgrade.mode === 'never') return { evaluated, changed };
  let after = '';
  for (;;) {
    const page = (await membersQuery(ctx.db)
      .where({ tier: _.in(above), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .field({ _id: true })
      .limit(PAGE)
      .get()) as unknown as { data: { _id: string }[] };
    for (const { _id } of page.data) {
      try {
        const moved = await inTransaction(ctx.db, async (tx) => {
          const acc = await openAccount(tx, _id);
          const change = await applyTier(tx, acc.member, rules, now);
          await saveAccount(tx, acc);
          return change !== null;
        });
        evaluated++;
        if (moved) changed++;
      } catch (e) {
        ctx.log.error('tier review failed', { memberId: _id, error: (e as Error).message });
      }
    }
    if (page.data.length < PAGE) break;
    after = page.data[page.data.length - 1]!._id;
  }
  return { evaluated, changed };
}
