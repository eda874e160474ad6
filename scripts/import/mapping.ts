import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * The declared column mapping: which column of the earlier system's export holds which field, in
 * the product's words (a dotted path: `points.0.amount`, `externalIds.pos`, `consents.marketingOptIn`),
 * with the separator of list columns and value translations (`"女": "female"`).
 */
export const mappingSchema = z.strictObject({
  source: z.string().regex(/^[a-z0-9-]{1,20}$/),
  columns: z.record(z.string(), z.string().regex(/^[A-Za-z]+(\.[A-Za-z0-9]+)*$/)).default({}),
  listSeparator: z.string().min(1).max(3).default('|'),
  values: z.record(z.string(), z.record(z.string(), z.string())).default({}),
});
export type Mapping = z.output<typeof mappingSchema>;

export const readMapping = (file: string): Mapping => mappingSchema.parse(JSON.parse(readFileSync(file, 'utf8')));

const NUMBER_FIELDS = /(^|\.)(amount|paidFen)$/;
const BOOLEAN_FIELDS = /(^|\.)marketingOptIn$/;
const LIST_FIELDS = /^(tags|categories)$/;
const TRUE = new Set(['true', '1', 'yes', 'y', '是', '同意']);
const FALSE = new Set(['false', '0', 'no', 'n', '否', '不同意']);

/** A text cell as the field wants it; a cell that cannot be read stays text, for the contract to reject. */
function typed(path: string, v: unknown, m: Mapping): unknown {
  if (typeof v !== 'string') return v;
  const text = m.values[path]?.[v] ?? v;
  if (NUMBER_FIELDS.test(path)) return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
  const low = text.toLowerCase();
  if (BOOLEAN_FIELDS.test(path)) return TRUE.has(low) ? true : FALSE.has(low) ? false : text;
  if (LIST_FIELDS.test(path))
    return text
      .split(m.listSeparator)
      .map((s) => s.trim())
      .filter(Boolean);
  return text;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur: Record<string, unknown> | unknown[] = target;
  keys.forEach((k, i) => {
    const last = i === keys.length - 1;
    const slot = /^\d+$/.test(k) ? Number(k) : k;
    const c = cur as Record<string | number, unknown>;
    if (last) c[slot] = value;
    else cur = (c[slot] ??= /^\d+$/.test(keys[i + 1] as string) ? [] : {}) as Record<string, unknown>;
  });
}

/** A record of the export as a row in the product's words, empty cells left out; without columns, keys as they are. */
export function mapRecord(record: Record<string, unknown>, m: Mapping): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const mapped = Object.entries(m.columns).map(([col, path]) => [path, record[col]] as const);
  const pairs = mapped.length ? mapped : Object.entries(record);
  for (const [path, v] of pairs) {
    if (v === undefined || v === null || v === '') continue;
    setPath(out, path, typed(path, v, m));
  }
  return out;
}
