import type { LedgerRow, Lot } from './types';
import { signOk } from './types';

/**
 * The ledger's invariants, as a list of broken ones (empty = healthy). Used by property tests
 * and usable by a reconciliation job:
 * - balance == sum of row amounts; each row's sign fits its kind;
 * - every lot has 0 <= remaining <= amount and is accounted for: amount == remaining + points
 *   taken from it by rows + debt its opening settled;
 * - points in lots == max(balance, 0), and a negative balance leaves no points in any lot;
 * - a debit row takes from lots exactly its amount (reverse: at most, the rest being debt).
 */
export function checkLedger(rows: readonly LedgerRow[], lots: readonly Lot[], balance: number): string[] {
  const problems: string[] = [];
  const sum = rows.reduce((s, r) => s + r.amount, 0);
  if (sum !== balance) problems.push(`balance ${balance} != ledger sum ${sum}`);

  const taken = new Map<string, number>();
  const settled = new Map<string, number>();
  for (const [i, r] of rows.entries()) {
    if (!signOk(r.kind, r.amount)) problems.push(`row ${i} (${r.kind}) has amount ${r.amount}`);
    if (r.lotId !== undefined) settled.set(r.lotId, (settled.get(r.lotId) ?? 0) + (r.settledDebt ?? 0));
    const out = (r.consumed ?? []).reduce((s, c) => s + c.amount, 0);
    for (const c of r.consumed ?? []) {
      if (!(c.amount > 0)) problems.push(`row ${i} takes ${c.amount} from lot ${c.lotId}`);
      taken.set(c.lotId, (taken.get(c.lotId) ?? 0) + c.amount);
    }
    if (r.amount < 0 && (r.kind === 'reverse' ? out > -r.amount : out !== -r.amount)) {
      problems.push(`row ${i} (${r.kind}) of ${r.amount} takes ${out} from lots`);
    }
  }

  let inLots = 0;
  for (const l of lots) {
    inLots += l.remaining;
    if (l.remaining < 0 || l.remaining > l.amount)
      problems.push(`lot ${l.lotId}: remaining ${l.remaining} of ${l.amount}`);
    if (l.expired < 0 || l.expired > l.amount) problems.push(`lot ${l.lotId}: expired ${l.expired} of ${l.amount}`);
    const accounted = l.remaining + (taken.get(l.lotId) ?? 0) + (settled.get(l.lotId) ?? 0);
    if (accounted !== l.amount) problems.push(`lot ${l.lotId}: amount ${l.amount} but accounted ${accounted}`);
  }
  if (inLots !== Math.max(balance, 0)) problems.push(`lots hold ${inLots} but balance is ${balance}`);
  return problems;
}
