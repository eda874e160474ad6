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

/** Index entries that hold every match of a filter: one equality or range part, or a union for an `or`. */
type Driver = { leaf: Leaf; n: number } | { union: Driver[]; n: number };

function driverOf(sizes: Sizes, f: Filter): Driver | null {
  if (f.kind === 'keys' || f.kind === 'ranges') return { leaf: f, n: size(sizes, f) };
  if (f.kind === 'and') {
    const ds = f.parts.map((p) => driverOf(sizes, p)).filter((d): d is Driver => d !== null);
    return ds.sort((x, y) => x.n - y.n)[0] ?? null;
  }
  if (f.kind === 'or') {
    const ds = f.parts.map((p) => driverOf(sizes, p));
    if (ds.some((d) => d === null)) return null;
    return { union: ds as Driver[], n: (ds as Driver[]).reduce((n, d) => n + d.n, 0) };
  }
  return null;
}

function leafSelect(coll: string, leaf: Leaf, params: unknown[]): string {
  params.push(coll, leaf.index);
  if (leaf.kind === 'keys') {
    params.push(...leaf.keys);
    return `SELECT y.id AS id FROM idx y WHERE y.coll = ? AND y.name = ? AND y.key IN ${list(leaf.keys.length)}`;
  }
  params.push(...leaf.ranges.flat());
  return `SELECT y.id AS id FROM idx y WHERE y.coll = ? AND y.name = ? AND ${rangeText('y', leaf.ranges.length)}`;
}

const unionSelect = (coll: string, d: Driver, params: unknown[]): string =>
  'leaf' in d ? leafSelect(coll, d.leaf, params) : d.union.map((u) => unionSelect(coll, u, params)).join(' UNION ');

/**
 * The candidates and their test: the smallest equality or range part of a top-level conjunction
 * drives (its index entries are the candidates) and every other part is tested per candidate; an
 * `or` whose every branch has such a part drives by the union of theirs (the whole filter then
 * tested). With neither, every document of the collection is a candidate (`all` reads the
 * insertion-order index, which holds only ids; `ordered` reads the documents by id so a page can
 * start after a cursor).
 */
export function filterSql(coll: string, f: Filter, sizes: Sizes, ordered: boolean): FilterSql {
  const parts = f.kind === 'and' ? f.parts : [f];
  const driver = parts
    .map((part) => ({ part, d: driverOf(sizes, part) }))
    .filter((x): x is { part: Filter; d: Driver } => x.d !== null)
    .sort((x, y) => x.d.n - y.d.n)[0];
  const params: unknown[] = [];
  let from: string;
  let distinct = false;
  let rest = parts;
  if (!driver) {
    params.push(coll);
    from = ordered ? 'FROM docs a WHERE a.coll = ?' : 'FROM docs a INDEXED BY docs_born WHERE a.coll = ?';
  } else if (!('leaf' in driver.d) || driver.d.leaf !== driver.part) {
    from = `FROM (${unionSelect(coll, driver.d, params)}) a WHERE 1`;
    distinct = 'leaf' in driver.d; // a UNION gives each id once, one index read may not
  } else {
    const leaf = driver.d.leaf;
    params.push(coll, leaf.index);
    if (leaf.kind === 'keys') {
      params.push(...leaf.keys);
      from = `FROM idx a WHERE a.coll = ? AND a.name = ? AND a.key IN ${list(leaf.keys.length)}`;
      distinct = leaf.keys.length > 1;
    } else {
      params.push(...leaf.ranges.flat());
      from = `FROM idx a WHERE a.coll = ? AND a.name = ? AND ${rangeText('a', leaf.ranges.length)}`;
      distinct = leaf.multikey || leaf.ranges.length > 1;
    }
    rest = parts.filter((p) => p !== leaf);
  }
  if (rest.length) from += ` AND ${test(coll, { kind: 'and', parts: rest }, params)}`;
  return { from, params, distinct };
}
