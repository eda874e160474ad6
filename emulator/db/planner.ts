import type { DocumentStore } from './store';
import { keyOf, keyPrefixOf } from './indexes';
import { isDate } from './values';

type Query = Record<string, unknown>;

// null is left out: `{f: null}` also matches documents without f, which a sparse index does not hold.
const isScalar = (v: unknown) =>
  ['string', 'number', 'boolean'].includes(typeof v) || isDate(v);

/** Equality constraints a query pins down at the top level (or inside a top-level $and): field → candidate values. */
function equalities(query: Query): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (q: Query) => {
    for (const [field, cond] of Object.entries(q)) {
      if (field === '$and' && Array.isArray(cond)) {
        for (const part of cond) if (part && typeof part === 'object') visit(part as Query);
        continue;
      }
      if (field.startsWith('$')) continue;
      if (isScalar(cond)) out.set(field, [cond]);
      else if (cond && typeof cond === 'object' && !Array.isArray(cond) && !(cond instanceof RegExp)) {
        const c = cond as Record<string, unknown>;
        if ('$eq' in c && isScalar(c.$eq)) out.set(field, [c.$eq]);
        else if (Array.isArray(c.$in) && c.$in.every(isScalar) && c.$in.length <= 1000) out.set(field, c.$in);
      }
    }
  };
  visit(query);
  return out;
}

export type Plan =
  | { kind: 'ids'; ids: string[]; via: string }
  | { kind: 'scan'; afterId: string };

/**
 * Picks ids from `_id` or a declared index: one whose every field the query fixes, else the one
 * whose leading fields it fixes the most of (`{ memberId }` with `orderBy('createdAt')` uses
 * `memberId_createdAt`, as Mongo uses an index prefix); otherwise a scan in `_id` order (starting
 * after a `_id` lower bound when the query has one). The engine still filters and sorts the candidates.
 */
export function plan(store: DocumentStore, coll: string, query: Query): Plan {
  const eq = equalities(query);
  const idValues = eq.get('_id');
  if (idValues) return { kind: 'ids', ids: [...new Set(idValues.filter((v) => typeof v === 'string') as string[])].sort(), via: '_id' };
  const specs = store.specsOf(coll);
  let best: { spec: (typeof specs)[number]; lists: unknown[][] } | undefined;
  for (const spec of specs) {
    const lists: unknown[][] = [];
    for (const f of spec.fields) {
      const l = eq.get(f);
      if (!l) break;
      lists.push(l);
    }
    if (lists.length === 0 || cartesian(lists).length > 1000) continue;
    if (lists.length === spec.fields.length) return { kind: 'ids', ids: idsOf(store, coll, spec.name, lists, keyOf, 'lookup'), via: spec.name };
    if (!best || lists.length > best.lists.length) best = { spec, lists };
  }
  if (best) return { kind: 'ids', ids: idsOf(store, coll, best.spec.name, best.lists, keyPrefixOf, 'lookupPrefix'), via: `${best.spec.name} (prefix)` };
  const idCond = query._id as Record<string, unknown> | undefined;
  const after = idCond && typeof idCond === 'object' ? idCond.$gt : undefined;
  return { kind: 'scan', afterId: typeof after === 'string' ? after : '' };
}

function idsOf(store: DocumentStore, coll: string, index: string, lists: unknown[][], key: (values: unknown[]) => string, how: 'lookup' | 'lookupPrefix'): string[] {
  const ids = new Set<string>();
  for (const combo of cartesian(lists)) for (const id of store[how](coll, index, key(combo))) ids.add(id);
  return [...ids].sort();
}

function cartesian(lists: unknown[][]): unknown[][] {
  return lists.reduce<unknown[][]>((acc, list) => acc.flatMap((prefix) => list.map((v) => [...prefix, v])), [[]]);
}
