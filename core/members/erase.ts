import { registryEntry, type MemberDataEntry } from './registry';

/**
 * What deletion does to one row, as the registry says: fields removed, personal values replaced by
 * pseudonyms, or the row dropped. Pure: the server reads and writes, this decides.
 */
type Doc = Record<string, unknown> & { _id: string };

/** A one-way pseudonym of a value (the server keys it with a secret it throws away). */
export type Pseudonymiser = (value: string) => string;

const isPlain = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/** Every personal value the member and its merged records held, and every identity id and value. */
export function personalValuesOf(
  members: Record<string, unknown>[],
  identities: { _id: string; value?: unknown }[],
): string[] {
  const paths = (registryEntry('members')?.personal ?? []).map((p) => p.path);
  const values = new Set<string>();
  const add = (v: unknown) => {
    if (typeof v === 'string' && v.length >= 2) values.add(v);
  };
  for (const m of members) for (const p of paths) if (!isPlain(m[p])) add(m[p]);
  for (const i of identities) {
    add(i._id);
    add(i.value);
  }
  // longest first, so a phone inside an identity id is replaced as part of the id
  return [...values].sort((a, b) => b.length - a.length);
}

const mapValues = (o: Record<string, unknown>, f: (v: unknown, k: string) => unknown): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, f(v, k)]));

export function replaceValues(v: unknown, values: readonly string[], pseudonym: Pseudonymiser): unknown {
  if (typeof v === 'string') {
    let s = v;
    for (const value of values) if (s.includes(value)) s = s.split(value).join(pseudonym(value));
    return s;
  }
  if (Array.isArray(v)) return v.map((x) => replaceValues(x, values, pseudonym));
  if (isPlain(v)) return mapValues(v, (x) => replaceValues(x, values, pseudonym));
  return v;
}

/** `row._id` differs from the stored one when the id itself held a personal value. */
export type Erased = { drop: true } | { drop: false; row: Doc; changed: boolean };

export function eraseRow(
  entry: MemberDataEntry,
  row: Doc,
  values: readonly string[],
  pseudonym: Pseudonymiser,
): Erased {
  const holds = (v: unknown) => typeof v === 'string' && values.some((x) => v.includes(x));
  if (!entry.keepOnDelete) return { drop: true };
  if (entry.personal.some((p) => p.path === '_id' && p.erasure === 'dropRow') && holds(row._id)) return { drop: true };
  const keys = new Set(entry.find.flatMap((f) => (f.by === 'field' ? [f.field] : [])));
  let next: Doc = { ...row };
  for (const p of entry.personal) {
    if (p.path === '_id') {
      // an id derived from a personal value (kept for deduplication) gets the pseudonym: the row moves
      if (p.erasure === 'pseudonymise') next._id = replaceValues(row._id, values, pseudonym) as string;
      continue;
    }
    if (p.path === '*') {
      // the member's own id fields stay: they are what keeps ledgers and totals true
      next = mapValues(next, (x, k) => (k === '_id' || keys.has(k) ? x : replaceValues(x, values, pseudonym))) as Doc;
    } else if (p.erasure === 'remove') {
      delete next[p.path];
    } else if (p.erasure === 'pseudonymise' && p.path in next) {
      next[p.path] = replaceValues(next[p.path], values, pseudonym);
    }
  }
  return { drop: false, row: next, changed: JSON.stringify(next) !== JSON.stringify(row) };
}
