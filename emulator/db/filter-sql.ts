import type { Filter } from './index-filter';

/** SQL over the `idx` table for a filter: the rows `a` to read (`from`) and the test each must pass. */
export interface FilterSql {
  /** `FROM … WHERE …` naming the candidate ids `a.id` */
  from: string;
  params: unknown[];
  /** a candidate id may come more than once */
  distinct: boolean;
}

/** How many index entries a filter part would read if it drove the query. */
export interface Sizes {
  countKeys(index: string, keys: string[]): number;
  countRange(index: string, lower: string, upper: string): number;
}

type Leaf = Extract<Filter, { kind: 'keys' | 'ranges' }>;

const list = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;
const rangeText = (alias: string, n: number) =>
  `(${Array.from({ length: n }, () => `(${alias}.key >= ? AND ${alias}.key < ?)`).join(' OR ')})`;

/** The filter as a test of the candidate `a.id`: equality keys by point look-ups, ranges gathered once. */
function test(coll: string, f: Filter, params: unknown[]): string {
  switch (f.kind) {
    case 'all':
      return '1';
    case 'none':
      return '0';
    case 'after':
      params.push(f.id);
      return 'a.id > ?';
    case 'keys':
      params.push(coll, f.index, ...f.keys);
      return `EXISTS (SELECT 1 FROM idx x WHERE x.coll = ? AND x.name = ? AND x.key IN ${list(f.keys.length)} AND x.id = a.id)`;
    case 'ranges':
      params.push(coll, f.index, ...f.ranges.flat());
      return `a.id IN (SELECT x.id FROM idx x WHERE x.coll = ? AND x.name = ? AND ${rangeText('x', f.ranges.length)})`;
    case 'and':
    case 'or':
      return `(${f.parts.map((p) => test(coll, p, params)).join(f.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${test(coll, f.part, params)}`;
  }
}

function size(sizes: Sizes, f: Leaf): number {
  if (f.kind === 'keys') return sizes.countKeys(f.index, f.keys);
  return f.ranges.reduce((n, [lo, hi]) => n + sizes.countRange(f.index, lo, hi), 0);
}

/**
 * The candidates and their test: the smallest equality or range part of a top-level conjunction
 * drives (its index entries are the candidates), every other part is tested per candidate; with
 * none, every document of the collection is a candidate (`all` reads the insertion-order index,
 * which holds only ids; `ordered` reads the documents by id so a page can start after a cursor).
 */
export function filterSql(coll: string, f: Filter, sizes: Sizes, ordered: boolean): FilterSql {
  const parts = f.kind === 'and' ? f.parts : [f];
  const leaves = parts.filter((p): p is Leaf => p.kind === 'keys' || p.kind === 'ranges');
  const driver = leaves.map((leaf) => ({ leaf, n: size(sizes, leaf) })).sort((x, y) => x.n - y.n)[0]?.leaf;
  const params: unknown[] = [];
  let from: string;
  let distinct = false;
  if (!driver) {
    params.push(coll);
    from = ordered ? 'FROM docs a WHERE a.coll = ?' : 'FROM docs a INDEXED BY docs_born WHERE a.coll = ?';
  } else if (driver.kind === 'keys') {
    params.push(coll, driver.index, ...driver.keys);
    from = `FROM idx a WHERE a.coll = ? AND a.name = ? AND a.key IN ${list(driver.keys.length)}`;
    distinct = driver.keys.length > 1;
  } else {
    params.push(coll, driver.index, ...driver.ranges.flat());
    from = `FROM idx a WHERE a.coll = ? AND a.name = ? AND ${rangeText('a', driver.ranges.length)}`;
    distinct = driver.multikey || driver.ranges.length > 1;
  }
  const rest = parts.filter((p) => p !== driver);
  if (rest.length) from += ` AND ${test(coll, { kind: 'and', parts: rest }, params)}`;
  return { from, params, distinct };
}
