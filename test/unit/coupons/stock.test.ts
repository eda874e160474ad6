import { rebalanceStock, splitStock, stockFigures, stockShardId, STOCK_SHARDS } from '../../../core/coupons';

const sum = (xs: readonly number[]) => xs.reduce((s, n) => s + n, 0);

describe('S10 coupons: stock shards', () => {
  test('S10 coupons: a stock splits evenly over the shards, nothing lost', () => {
    expect(splitStock(100)).toHaveLength(STOCK_SHARDS);
    expect(sum(splitStock(100))).toBe(100);
    expect(Math.max(...splitStock(100)) - Math.min(...splitStock(100))).toBeLessThanOrEqual(1);
    expect(splitStock(3, 4)).toEqual([1, 1, 1, 0]);
    expect(splitStock(0, 2)).toEqual([0, 0]);
    expect(() => splitStock(-1)).toThrow(RangeError);
    expect(stockShardId('tpl_a', 3)).toBe('tpl_a:3');
  });

  test('S10 coupons: a staff change fills the emptiest shards, takes from the fullest, never below 0', () => {
    expect(rebalanceStock([0, 5, 9], 20)).toEqual([6, 5, 9]);
    expect(rebalanceStock([0, 5, 9], 3)).toEqual([0, 1, 2]);
    expect(rebalanceStock([0, 5, 9], 0)).toEqual([0, 0, 0]);
    expect(rebalanceStock([2, 2], 4)).toEqual([2, 2]);
    expect(rebalanceStock([2, 2], -1)).toBeNull();
  });

  test('S10 coupons: rebalancing any shards to any target keeps the total exact and moves one way only (property)', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let run = 0; run < 2000; run++) {
      const lefts = Array.from({ length: 1 + rand(16) }, () => rand(12));
      const target = rand(200);
      const out = rebalanceStock(lefts, target)!;
      expect(sum(out)).toBe(target);
      expect(out.every((n) => Number.isSafeInteger(n) && n >= 0)).toBe(true);
      const up = target >= sum(lefts);
      expect(out.every((n, k) => (up ? n >= lefts[k]! : n <= lefts[k]!))).toBe(true);
    }
  });

  test('S10 coupons: figures add what was issued before sharding; unlimited has no "left"', () => {
    const shards = [
      { left: 2, issued: 3 },
      { left: 0, issued: 5 },
    ];
    expect(stockFigures({ totalStock: 20, issuedBase: 10 }, shards)).toEqual({ claimed: 18, left: 2 });
    expect(stockFigures({ totalStock: null, issuedBase: 1 }, [{ left: null, issued: 4 }])).toEqual({
      claimed: 5,
      left: null,
    });
  });
});
