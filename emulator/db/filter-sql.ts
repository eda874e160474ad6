import type { Filter } from './index-filter';
import { compactKey } from './scalars';

/** SQL over the `idx` table for a filter: the rows `a` to read (`from`) and the test each must pass. */
export interface FilterSql {
  /** `FROM … WHERE …` naming the candidate ids `a.id` */
  from: string;
  params: unknown[];
  /** a candidate id may come more than once */
  distinct: boolean;
}

/** What the planner knows of a collection: how many index entries a part would read, its scalar columns. */
export interface Sizes {
  countKeys(index: string, keys: string[]): number;
  countRange(index: string, lower: string, upper: string): number;
  /** about how many documents the collection holds */
  rows(): number;
  /** the share of `rows` above which a driving part costs more than a pass over the scalar table */
  scanShare: number;
  /** the collection's scalar table and the columns it may be asked about (`scalars.ts`), if it has one */
  scalars: { table: string; column(index: string): string | null } | null;
}

type Leaf = Extract<Filter, { kind: 'keys' | 'ranges' }>;

const list = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;
const rangeText = (key: string, n: number) =>
  balanced(
    Array.from({ length: n }, () => `(${key} >= ? AND ${key} < ?)`),
    ' OR ',
  );

/**
 * Terms joined in a balanced tree of parentheses: SQLite nests a chain of N terms N deep, and
 * refuses an expression deeper than 1,000.
 */
function balanced(terms: string[], op: string): string {
  if (terms.length <= 8) return `(${terms.join(op)})`;
  const half = Math.ceil(terms.length / 2);
  return `(${balanced(terms.slice(0, half), op)}${op}${balanced(terms.slice(half), op)})`;
}

/** Where a test finds a candidate's scalar column (`alias.column`), null for an index without one. */
type Columns = (index: string) => string | null;

/** Whether a part needs a look-up in the index entries (else its scalar columns decide it). */
const looksUp = (f: Filter, col: Columns): boolean =>
  f.kind === 'keys' || f.kind === 'ranges'
    ? col(f.index) === null
    : f.kind === 'and' || f.kind === 'or'
      ? f.parts.some((p) => looksUp(p, col))
      : f.kind === 'not' && looksUp(f.part, col);

const readsColumn = (f: Filter, col: Columns): boolean =>
  f.kind === 'keys' || f.kind === 'ranges'
    ? col(f.index) !== null
    : f.kind === 'and' || f.kind === 'or'
      ? f.parts.some((p) => readsColumn(p, col))
      : f.kind === 'not' && readsColumn(f.part, col);

/**
 * The filter as a test of the candidate `a.id`: scalar columns compared in the row, other equality
 * keys by point look-ups, other ranges gathered once. Parts deciding from the row come first, so
 * SQLite reaches the look-ups only for the rows they let through.
 */
function test(coll: string, f: Filter, params: unknown[], col: Columns, gather: boolean): string {
  switch (f.kind) {
    case 'all':
      return '1';
    case 'none':
      return '0';
    case 'after':
      params.push(f.id);
      return 'a.id > ?';
    case 'keys': {
      const c = col(f.index);
      if (c) {
        params.push(...f.keys.map(compactKey));
        return `${c} IN ${list(f.keys.length)}`;
      }
      params.push(coll, f.index, ...f.keys);
      const keys = `x.coll = ? AND x.name = ? AND x.key IN ${list(f.keys.length)}`;
      // a whole count gathers the ids once; a page, which may stop after a few rows, looks each candidate up
      return gather
        ? `a.id IN (SELECT x.id FROM idx x WHERE ${keys})`
        : `EXISTS (SELECT 1 FROM idx x WHERE ${keys} AND x.id = a.id)`;
    }
    case 'ranges': {
      const c = col(f.index);
      if (c) {
        params.push(...f.ranges.flat().map(compactKey));
        return rangeText(c, f.ranges.length);
      }
      params.push(coll, f.index, ...f.ranges.flat());
      return `a.id IN (SELECT x.id FROM idx x WHERE x.coll = ? AND x.name = ? AND ${rangeText('x.key', f.ranges.length)})`;
    }
    case 'and':
    case 'or': {
      const parts = [...f.parts.filter((p) => !looksUp(p, col)), ...f.parts.filter((p) => looksUp(p, col))];
      return balanced(
        parts.map((p) => test(coll, p, params, col, gather)),
        f.kind === 'and' ? ' AND ' : ' OR ',
      );
    }
    case 'not':
      return `NOT ${test(coll, f.part, params, col, gather)}`;
  }
}

function size(sizes: Sizes, f: Leaf): number {
  if (f.kind === 'keys') return sizes.countKeys(f.index, f.keys);
  return f.ranges.reduce((n, [lo, hi]) => n + sizes.countRange(f.index, lo, hi), 0);
}

/** Index entries that hold every match of a filter: one equality or range part, or a union for an `or`. */
type Driver = { leaf: Leaf; n: number } | { union: Driver[]; n: number };

const MAX_UNION = 500;
const terms = (d: Driver): number => ('leaf' in d ? 1 : d.union.reduce((n, u) => n + terms(u), 0));

function driverOf(sizes: Sizes, f: Filter): Driver | null {
  if (f.kind === 'keys' || f.kind === 'ranges') return { leaf: f, n: size(sizes, f) };
  if (f.kind === 'and') {
    const ds = f.parts.map((p) => driverOf(sizes, p)).filter((d): d is Driver => d !== null);
    return ds.sort((x, y) => x.n - y.n)[0] ?? null;
  }
  if (f.kind === 'or') {
    const ds = f.parts.map((p) => driverOf(sizes, p));
    if (ds.some((d) => d === null)) return null;
    const union: Driver = { union: ds as Driver[], n: (ds as Driver[]).reduce((n, d) => n + d.n, 0) };
    // SQLite refuses a compound SELECT of more than 500 terms
    return terms(union) <= MAX_UNION ? union : null;
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
  return `SELECT y.id AS id FROM idx y WHERE y.coll = ? AND y.name = ? AND ${rangeText('y.key', leaf.ranges.length)}`;
}

const unionSelect = (coll: string, d: Driver, params: unknown[]): string =>
  'leaf' in d ? leafSelect(coll, d.leaf, params) : d.union.map((u) => unionSelect(coll, u, params)).join(' UNION ');

/**
 * The candidates and their test: the smallest equality or range part of a top-level conjunction
 * drives (its index entries are the candidates) and every other part is tested per candidate; an
 * `or` whose every branch has such a part drives by the union of theirs (the whole filter then
 * tested). A collection with a scalar table is instead read whole from it when no part drives or
 * the best one covers more than `scanShare` of it (a row test costs far less than a look-up per
 * part); without one, every document of the collection is then a candidate (`all` reads the
 * insertion-order index, which holds only ids; `ordered` reads the documents by id so a page can
 * start after a cursor).
 */
export function filterSql(coll: string, f: Filter, sizes: Sizes, ordered: boolean): FilterSql {
  const parts = f.kind === 'and' ? f.parts : [f];
  const scalars = sizes.scalars;
  const column =
    (alias: string): Columns =>
    (index) => {
      const c = scalars?.column(index);
      return c ? `${alias}.${c}` : null;
    };
  const driver = parts
    .map((part) => ({ part, d: driverOf(sizes, part) }))
    .filter((x): x is { part: Filter; d: Driver } => x.d !== null)
    .sort((x, y) => x.d.n - y.d.n)[0];
  const params: unknown[] = [];
  if (scalars && (!driver || (readsColumn(f, column('a')) && driver.d.n > sizes.rows() * sizes.scanShare))) {
    const where = f.kind === 'all' ? '1' : test(coll, f, params, column('a'), !ordered);
    return { from: `FROM ${scalars.table} a WHERE ${where}`, params, distinct: false };
  }
  let source: string; // the candidates `a`
  let where = '1';
  let distinct = false;
  let rest = parts;
  if (!driver) {
    params.push(coll);
    source = ordered ? 'docs a' : 'docs a INDEXED BY docs_born';
    where = 'a.coll = ?';
  } else if (!('leaf' in driver.d) || driver.d.leaf !== driver.part) {
    source = `(${unionSelect(coll, driver.d, params)}) a`;
    distinct = 'leaf' in driver.d; // a UNION gives each id once, one index read may not
  } else {
    const leaf = driver.d.leaf;
    source = 'idx a';
    params.push(coll, leaf.index);
    if (leaf.kind === 'keys') {
      params.push(...leaf.keys);
      where = `a.coll = ? AND a.name = ? AND a.key IN ${list(leaf.keys.length)}`;
      distinct = leaf.keys.length > 1;
    } else {
      params.push(...leaf.ranges.flat());
      where = `a.coll = ? AND a.name = ? AND ${rangeText('a.key', leaf.ranges.length)}`;
      distinct = leaf.multikey || leaf.ranges.length > 1;
    }
    rest = parts.filter((p) => p !== leaf);
  }
  // the candidates' scalar rows, one look-up each, when the test reads them (no placeholders in the join)
  const rowTest: Filter = { kind: 'and', parts: rest };
  const joined = scalars !== null && rest.length > 0 && readsColumn(rowTest, column('s'));
  if (joined) source += ` CROSS JOIN ${scalars.table} s ON s.id = a.id`;
  if (rest.length) where += ` AND ${test(coll, rowTest, params, joined ? column('s') : () => null, false)}`;
  return { from: `FROM ${source} WHERE ${where}`, params, distinct };
}
