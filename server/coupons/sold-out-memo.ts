/**
 * What this instance saw of sold-out templates in the last SOLD_OUT_MEMO_MS. A template stays sold
 * out until staff add stock, so during a rush a claim can be refused on this memory instead of
 * reading the template again. Staff changes made in this instance forget the entry at once; other
 * instances see a restock within SOLD_OUT_MEMO_MS. Only "sold out" is remembered, never "has stock":
 * a claim that issues always reads the stock it takes from.
 */
export const SOLD_OUT_MEMO_MS = 2000;
const MAX_ENTRIES = 1000;

const seen = new Map<string, number>();

export function rememberSoldOut(templateId: string, now: Date): void {
  if (seen.size >= MAX_ENTRIES && !seen.has(templateId)) seen.delete(seen.keys().next().value as string);
  seen.set(templateId, now.getTime());
}

/** True while the template was seen sold out less than SOLD_OUT_MEMO_MS ago (a clock set back trusts nothing). */
export function knownSoldOut(templateId: string, now: Date): boolean {
  const at = seen.get(templateId);
  if (at === undefined) return false;
  const age = now.getTime() - at;
  if (age >= 0 && age < SOLD_OUT_MEMO_MS) return true;
  seen.delete(templateId);
  return false;
}

export function forgetSoldOut(templateId: string): void {
  seen.delete(templateId);
}
