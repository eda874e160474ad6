import { EJSON, BSONRegExp } from 'bson';

/**
 * Wire values: the SDK sends canonical EJSON strings and reads relaxed EJSON strings back.
 * `db.serverDate()` arrives as `{$tcb_server_date:{offset}}` and becomes the emulator clock's now + offset.
 */
export type Doc = Record<string, unknown> & { _id?: unknown };

export function decodeWire(text: string | undefined, now: () => Date): unknown {
  if (text === undefined || text === '') return undefined;
  return normalise(EJSON.parse(text, { relaxed: true }), now);
}

function normalise(value: unknown, now: () => Date): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return value;
  if (value instanceof BSONRegExp) return new RegExp(value.pattern, value.options.replace(/[^gimsuy]/g, ''));
  if (value instanceof RegExp) return value;
  if (Array.isArray(value)) return value.map((v) => normalise(v, now));
  const obj = value as Record<string, unknown>;
  const server = obj.$tcb_server_date as { offset?: unknown } | undefined;
  if (server && typeof server === 'object' && Object.keys(obj).length === 1) {
    return new Date(now().getTime() + Number(server.offset ?? 0));
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[k] = normalise(v, now);
  return out;
}

/** A stored or returned document as the relaxed EJSON string the SDK parses. */
export const encodeDoc = (doc: unknown): string => EJSON.stringify(doc as Doc, { relaxed: true });
export const parseStored = (text: string): Doc => EJSON.parse(text, { relaxed: true }) as Doc;

/** Index keys compare values the way equality queries do: dates by instant, numbers by value. */
export function indexKeyPart(value: unknown): unknown {
  if (value instanceof Date) return { $d: value.getTime() };
  if (value === undefined) return null;
  return value;
}

export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
