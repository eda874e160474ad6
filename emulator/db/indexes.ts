import { getPath, indexKeyPart, type Doc } from './values';

/** A declared index, as `server/db/schema.ts` declares it and CloudBase's console would create it. */
export interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
}

/**
 * The keys a document contributes to an index. A document with none of the fields is left out
 * (sparse), so optional unique fields such as a phone number do not collide on "missing".
 * A single-field index over an array holds one key per element (multikey), like Mongo.
 */
export function indexKeys(spec: IndexSpec, doc: Doc): string[] {
  const values = spec.fields.map((f) => getPath(doc, f));
  if (values.every((v) => v === undefined)) return [];
  if (spec.fields.length === 1 && Array.isArray(values[0])) {
    return [...new Set((values[0] as unknown[]).map((v) => keyOf([v])))];
  }
  return [keyOf(values)];
}

export const keyOf = (values: unknown[]): string => JSON.stringify(values.map(indexKeyPart));
