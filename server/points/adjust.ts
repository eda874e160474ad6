import { planAdjust } from '../../core/ledger';
import type { Tx } from '../db/transaction';
import { emit } from '../db/events';
import { audit, type AuditActor } from '../audit';
import { credit, debit, findRow, openAccount, saveAccount } from './account';
import { valueRules, type ValueRules } from './brand';
import { creditExpiry } from './earn';
import { lotIdFor } from './documents';

export interface AdjustResult {
  ledgerId: string;
  amount: number;
  balance: number;
  replayed: boolean;
}

/**
 * A manual or POS adjustment, audited in the same transaction. A debit never makes the balance
 * negative (POINTS_INSUFFICIENT). `key` makes it idempotent (e.g. `adjust:<staffId>:<requestId>`).
 */
export async function adjustPoints(
  tx: Tx,
  input: { memberId: string; delta: number; reason: string; key: string; source: string; who: AuditActor; now: Date },
  rules: ValueRules = valueRules(),
): Promise<AdjustResult> {
  const { delta, reason, key, source, who, now } = input;
  const acc = await openAccount(tx, input.memberId);
  const seen = await findRow(tx, key);
  if (seen) return { ledgerId: seen._id, amount: seen.amount, balance: acc.balance, replayed: true };
  const before = { points: acc.balance };
  const plan = planAdjust(acc.lots, acc.balance, delta, {
    lotId: lotIdFor(key),
    now,
    expiresAt: creditExpiry(now, rules),
  });
  const by = who.who;
  const row =
    plan.direction === 'credit'
      ? await credit(tx, acc, {
          kind: 'adjust',
          key,
          points: plan.amount,
          expiresAt: plan.lot.expiresAt,
          source,
          reason,
          by,
          now,
        })
      : await debit(tx, acc, {
          kind: 'adjust',
          key,
          amount: plan.amount,
          consumed: plan.consumed,
          source,
          reason,
          by,
          now,
        });
  await saveAccount(tx, acc);
  await audit(tx, {
    ...who,
    at: now,
    action: 'points.adjust',
    target: acc.member._id,
    before,
    after: { points: acc.balance, delta, reason, ledgerId: row._id },
  });
  await emit(tx, {
    type: 'points.adjusted',
    memberId: acc.member._id,
    at: now,
    data: { delta, reason, source, balance: acc.balance },
  });
  return { ledgerId: row._id, amount: row.amount, balance: acc.balance, replayed: false };
}
