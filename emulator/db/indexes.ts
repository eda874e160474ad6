import { getPath, isDate, type Doc } from './values';

/** A declared index, as `server/db/schema.ts` declares it and CloudBase's console would create it. */
export interface IndexSpec {
  name: string;
  fields: string[];
  unique?: boolean;
  /** INDEX_FORMAT the stored keys were built with (set by the store) */
  format?: number;
  /** some document held an array in one of the fields (set by the store): keys are per element, so ranges and order are not served */
  multikey?: boolean;
}

/**
 * How keys are built; a store whose indexes were built another way rebuilds them. 2: compound
 * indexes are multikey over their array field too (`refIds_memberId`). 3: keys sort like the values
 * (type, then value), so an index answers ranges and orders. 4: a document without the first field
 * is left out of a compound index too. 5: a single-field index also keeps each document's key in
 * its collection's scalar table (`scalars.ts`), numbers and dates shortened.
 */
export const INDEX_FORMAT = 6;

/** Whether two declarations describe the same stored keys (the store's own `multikey` note aside). */
export const sameDeclaration = (a: IndexSpec, b: IndexSpec): boolean =>
  a.name === b.name &&
  a.format === b.format &&
  Boolean(a.unique) === Boolean(b.unique) &&
  a.fields.join('\u0000') === b.fields.join('\u0000');

/**
 * The keys a document contributes to an index. A document without the index's first field is left
 * out (sparse), so optional unique fields such as a phone number do not collide on "missing", and
 * an outbox row of no campaign costs nothing in `campaignId_state`. That is safe because the
 * planner reads an index only under a non-null equality or a range on its first field, which a
 * document without it cannot match.
 * An index over an array field holds one key per element (multikey), like Mongo; with two array
 * fields (Mongo refuses "parallel arrays") the arrays are kept whole.
 */
export function indexKeys(spec: IndexSpec, doc: Doc): { keys: string[]; multikey: boolean } {
  const values = spec.fields.map((f) => getPath(doc, f));
  if (values[0] === undefined) return { keys: [], multikey: false };
  const arrays = values.flatMap((v, i) => (Array.isArray(v) ? [i] : []));
  if (arrays.length === 1) {
    const at = arrays[0]!;
    return {
      keys: [...new Set((values[at] as unknown[]).map((v) => keyOf(values.map((x, i) => (i === at ? v : x)))))],
      multikey: true,
    };
  }
  return { keys: [keyOf(values)], multikey: arrays.length > 0 };
}

/*
 * Key text: one part per field, joined by \u0000. A part is a type tag (in Mongo's order of types:
 * null < numbers < strings < objects < arrays < booleans < dates) and a text that sorts like the
 * value: numbers and dates as the 16 hex digits of their IEEE-754 bits made order-preserving,
 * strings with \u0000 and \u0001 escaped, so a shorter string sorts before its extensions.
 * SQLite compares the text byte-wise (UTF-8 follows code points), which is the order of the values.
 */
const SEP = '\u0000';
export const TYPE = {
  null: '0',
  number: '1',
  string: '2',
  object: '3',
  array: '4',
  boolean: '5',
  date: '6',
  other: '7',
} as const;

const f64 = new DataView(new ArrayBuffer(8));
function sortableNumber(n: number): string {
  if (Number.isNaN(n)) return '0'.repeat(16);
  f64.setFloat64(0, n === 0 ? 0 : n); // -0 is 0
  let hi = f64.getUint32(0);
  let lo = f64.getUint32(4);
  if (hi & 0x80000000) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
  } else hi = (hi | 0x80000000) >>> 0;
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

const escapeText = (s: string): string => s.replaceAll('\u0001', '\u0001\u0002').replaceAll('\u0000', '\u0001\u0001');

export function keyPart(v: unknown): string {
  if (v === undefined || v === null) return TYPE.null;
  if (typeof v === 'number') return TYPE.number + sortableNumber(v);
  if (typeof v === 'string') return TYPE.string + escapeText(v);
  if (typeof v === 'boolean') return TYPE.boolean + (v ? '1' : '0');
  if (isDate(v)) return TYPE.date + sortableNumber(v.getTime());
  if (Array.isArray(v)) return TYPE.array + escapeText(JSON.stringify(v));
  if (typeof v === 'object') return TYPE.object + escapeText(JSON.stringify(v));
  return TYPE.other + escapeText(String(v));
}

export const keyOf = (values: unknown[]): string => values.map(keyPart).join(SEP);

/** What every key starting with these leading values begins with. */
export const keyPrefixOf = (values: unknown[]): string => keyOf(values) + SEP;

/** The type tag a range over this value stays within (Mongo compares values of one type only). */
export function rangeType(v: unknown): string | null {
  if (typeof v === 'number' && !Number.isNaN(v)) return TYPE.number;
  if (typeof v === 'string') return TYPE.string;
  if (isDate(v)) return TYPE.date;
  return null;
}

/** The character after a tag, ending the range of its type. */
export const afterType = (tag: string): string => String.fromCharCode(tag.charCodeAt(0) + 1);

/** Sorts after `part` and after every key continuing it with more fields, before any greater value. */
export const justAfter = (part: string): string => `${part}\u0001`;
