/**
 * A template's stock is split over a few counter documents (shards) so that concurrent claims of
 * one template take units from different documents instead of queueing on one. Pure arithmetic
 * here; the server keeps the shards (`coupon_stock`).
 */
export const STOCK_SHARDS = 16;

export const stockShardId = (templateId: string, k: number): string => `${templateId}:${k}`;

/** `total` units over `shards` shards, as evenly as possible (the first ones get the remainder). */
export function splitStock(total: number, shards: number = STOCK_SHARDS): number[] {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new RangeError(`stock must be a non-negative integer, got ${total}`);
  const each = Math.floor(total / shards);
  return Array.from({ length: shards }, (_v, k) => each + (k < total % shards ? 1 : 0));
}

/**
 * The shards' units left after setting the total left to `target`: an increase goes to the shards
 * with least left, a decrease comes from those with most, so the shards stay even; none goes below 0.
 * Null when `target` is negative (fewer than nothing left: the change would take claimed coupons).
 */
export function rebalanceStock(lefts: readonly number[], target: number): number[] | null {
  if (!Number.isSafeInteger(target) || target < 0) return null;
  const total = lefts.reduce((s, n) => s + n, 0);
  if (target === total) return [...lefts];
  const up = target > total;
  const amount = Math.abs(target - total);
  // water level: raise the lowest shards to `level` (or lower the highest to it) moving at most `amount`
  const moved = (level: number) => lefts.reduce((s, n) => s + Math.max(0, up ? level - n : n - level), 0);
  let lo = up ? Math.min(...lefts) : 0;
  let hi = up ? Math.max(...lefts) + amount : Math.max(...lefts);
  // up: the highest level with moved <= amount; down: the lowest such level
  while (lo < hi) {
    const mid = up ? Math.ceil((lo + hi) / 2) : Math.floor((lo + hi) / 2);
    if (moved(mid) <= amount) {
      if (up) lo = mid;
      else hi = mid;
    } else if (up) hi = mid - 1;
    else lo = mid + 1;
  }
  const level = lo;
  const out = lefts.map((n) => (up ? Math.max(n, level) : Math.min(n, level)));
  let rest = amount - moved(level);
  for (let k = 0; rest > 0 && k < out.length; k++) {
    if (out[k] !== level) continue;
    out[k] = level + (up ? 1 : -1);
    rest--;
  }
  return out;
}

/** What the shards say together: units claimed (with those issued before sharding) and left; left is null when unlimited. */
export function stockFigures(
  template: { totalStock: number | null; issuedBase: number },
  shards: readonly { left: number | null; issued: number }[],
): { claimed: number; left: number | null } {
  const claimed = template.issuedBase + shards.reduce((s, x) => s + x.issued, 0);
  if (template.totalStock === null) return { claimed, left: null };
  return { claimed, left: shards.reduce((s, x) => s + Math.max(0, x.left ?? 0), 0) };
}
