import { getPath, indexKeyPart, type Doc } from './values';

/** A declared index, as `server/db/schema.ts` declares it and CloudBase's console would create it. */
export interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
  /** INDEX_FORMAT the stored keys were built with (set by the store) */
  format?: number;
}

/**
 * How keys are built; a store whose indexes were built another way rebuilds them. 2: compound
 * indexes are multikey over their array field too (`refIds_memberId`).
 */
export const INDEX_FORMAT = 2;

/**
 * The keys a document contributes to an index. A document with none of the fields is left out
 * (sparse), so optional unique fields such as a phone number do not collide on "missing".
 * An index over an array field holds one key per element (multikey), like Mongo; with two array
 * fields (Mongo refuses "parallel arrays") the arrays are kept whole.
 */
export function indexKeys(spec: IndexSpec, doc: Doc): string[] {
  const values = spec.fields.map((f) => getPath(doc, f));
  if (values.every((v) => v === undefined)) return [];
  const arrays = values.flatMap((v, i) => (Array.isArray(v) ? [i] : []));
  if (arrays.length === 1) {
    const at = arrays[0]!;
    return [...new Set((values[at] as unknown[]).map((v) => keyOf(values.map((x, i) => (i === at ? v : x)))))];
  }
  return [keyOf(values)];
}

export const keyOf = (values: unknown[]): string => JSON.stringify(values.map(indexKeyPart));

/** What every key starting with these leading values begins with: `["m1",` for `["m1","2026-…"]`. */
export const keyPrefixOf = (values: unknown[]): string => `${keyOf(values).slice(0, -1)},`;
