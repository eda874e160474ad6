import type { Consumption, Lot } from './types';

/** Oldest-expiring first, then oldest earned, then lot id so the order is total and stable. */
export function byExpiry(a: Lot, b: Lot): number {
  return (
    a.expiresAt.getTime() - b.expiresAt.getTime() ||
    a.earnedAt.getTime() - b.earnedAt.getTime() ||
    (a.lotId < b.lotId ? -1 : a.lotId > b.lotId ? 1 : 0)
  );
}

/** Lots whose points can still be spent at `now`, in consumption order. */
export function spendableLots(lots: readonly Lot[], now: Date): Lot[] {
  return lots.filter((l) => l.remaining > 0 && l.expiresAt.getTime() > now.getTime()).sort(byExpiry);
}

export function spendablePoints(lots: readonly Lot[], now: Date): number {
  return spendableLots(lots, now).reduce((s, l) => s + l.remaining, 0);
}

/** Takes up to `amount` points from `ordered` lots in the given order. */
export function takeInOrder(ordered: readonly Lot[], amount: number): { consumed: Consumption[]; taken: number } {
  const consumed: Consumption[] = [];
  let left = amount;
  for (const lot of ordered) {
    if (left <= 0) break;
    const take = Math.min(lot.remaining, left);
    if (take > 0) {
      consumed.push({ lotId: lot.lotId, amount: take });
      left -= take;
    }
  }
  return { consumed, taken: amount - left };
}

/** A new lot for a crediting. A negative balance (debt left by a refund) is paid off first. */
export function openLot(
  input: { lotId: string; points: number; earnedAt: Date; expiresAt: Date },
  balance: number,
): { lot: Lot; settledDebt: number } {
  const settledDebt = Math.min(input.points, Math.max(0, -balance));
  return {
    lot: {
      lotId: input.lotId,
      amount: input.points,
      remaining: input.points - settledDebt,
      expired: 0,
      earnedAt: input.earnedAt,
      expiresAt: input.expiresAt,
    },
    settledDebt,
  };
}

/** The lots after a debit (pure: returns new lot objects). Expiry also counts into `expired`. */
export function applyConsumption(
  lots: readonly Lot[],
  consumed: readonly Consumption[],
  opts: { expiry?: boolean } = {},
): Lot[] {
  const take = new Map<string, number>();
  for (const c of consumed) take.set(c.lotId, (take.get(c.lotId) ?? 0) + c.amount);
  return lots.map((l) => {
    const n = take.get(l.lotId);
    if (!n) return l;
    return { ...l, remaining: l.remaining - n, expired: opts.expiry ? l.expired + n : l.expired };
  });
}
