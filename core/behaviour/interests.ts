/**
 * Interest tags: how much a person cares for each product category, from what they looked at, added
 * to the cart, shared and bought. Recent signals count more (a half-life), buying most.
 */
export const INTEREST_WEIGHTS = { product_view: 1, share: 2, add_to_cart: 3, bought: 5 } as const;
export type InterestSignalKind = keyof typeof INTEREST_WEIGHTS;
export const INTEREST_HALF_LIFE_DAYS = 30;
/** Below this score a category is not an interest (one view a year ago is not a taste). */
export const INTEREST_MIN_SCORE = 0.5;

export interface InterestSignal {
  category: string;
  kind: InterestSignalKind;
  at: Date;
}

export interface Interest {
  category: string;
  score: number;
}

const DAY_MS = 86_400_000;

export function interestsOf(signals: readonly InterestSignal[], now: Date): Interest[] {
  const scores = new Map<string, number>();
  for (const s of signals) {
    const ageDays = Math.max(0, (now.getTime() - s.at.getTime()) / DAY_MS);
    const weight = INTEREST_WEIGHTS[s.kind] * 0.5 ** (ageDays / INTEREST_HALF_LIFE_DAYS);
    scores.set(s.category, (scores.get(s.category) ?? 0) + weight);
  }
  return [...scores]
    .map(([category, score]) => ({ category, score: Math.round(score * 100) / 100 }))
    .filter((i) => i.score >= INTEREST_MIN_SCORE)
    .sort((a, b) => b.score - a.score || a.category.localeCompare(b.category));
}

export interface Candidate {
  productId: string;
  category: string;
}

/**
 * Products for the person: categories by interest, each category's products in the order given,
 * shared out round-robin so the top interest leads without filling the list alone; products
 * already bought are left out. With no interests the candidates' own order stands (the newest).
 */
export function recommend<C extends Candidate>(
  interests: readonly Interest[],
  candidates: readonly C[],
  bought: ReadonlySet<string>,
  limit: number,
): C[] {
  const fresh = candidates.filter((c) => !bought.has(c.productId));
  if (interests.length === 0) return fresh.slice(0, limit);
  const queues = interests.map((i) => fresh.filter((c) => c.category === i.category));
  const picked: C[] = [];
  for (let round = 0; picked.length < limit && queues.some((q) => q.length > round); round++) {
    for (const q of queues) if (q[round] && picked.length < limit) picked.push(q[round]!);
  }
  return picked;
}
