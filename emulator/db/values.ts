import { EJSON } from 'bson';

/**
 * Wire values: the SDK sends canonical EJSON strings and reads relaxed EJSON strings back.
 * `db.serverDate()` arrives as `{$tcb_server_date:{offset}}` and becomes the emulator clock's now + offset.
 *
 * The common EJSON forms (numbers, dates, regular expressions) are decoded by JSON.parse and one
 * walk over the result, several times faster than bson's generic EJSON walk on this hot path; text
 * holding any rarer EJSON type goes through bson itself.
 */
export type Doc = Record<string, unknown> & { _id?: unknown };

const RARE = /"\$(oid|binary|numberDecimal|timestamp|symbol|code|minKey|maxKey|uuid|dbPointer|undefined)"/;

const UNCHANGED = Symbol('unchanged');

/** The value an EJSON wrapper object (`{$numberInt}`, `{$date}`…; its fields already revived) stands for, or UNCHANGED. */
function special(o: Record<string, unknown>, keys: string[], now: () => Date): unknown {
  if ('$numberInt' in o || '$numberDouble' in o || '$numberLong' in o)
    return Number(o.$numberInt ?? o.$numberDouble ?? o.$numberLong);
  if ('$date' in o) {
    const d = o.$date;
    return new Date(typeof d === 'string' ? d : typeof d === 'number' ? d : Number(d as never));
  }
  if ('$regularExpression' in o) {
    const r = o.$regularExpression as { pattern: string; options: string };
    return new RegExp(r.pattern, r.options.replace(/[^gimsuy]/g, ''));
  }
  // `{$regex, $options}` is the Mongo query operator form, not EJSON: left to the matcher
  if ('$tcb_server_date' in o && keys.length === 1) {
    const offset = (o.$tcb_server_date as { offset?: unknown })?.offset;
    return new Date(now().getTime() + Number(offset ?? 0));
  }
  return UNCHANGED;
}

/**
 * Turns parsed JSON's EJSON wrappers into values, bottom-up as a JSON.parse reviver would, in
 * place. A walk over the parsed tree rather than a reviver: a reviver is a call out of the parser
 * for every value, strings and numbers included, and cost several times the parse itself.
 */
function revive(value: unknown, now: () => Date): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (v !== null && typeof v === 'object') value[i] = revive(v, now);
    }
    return value;
  }
  const o = value as Record<string, unknown>;
  const keys = Object.keys(o);
  for (const k of keys) {
    const v = o[k];
    if (v === null || typeof v !== 'object') continue;
    const r = revive(v, now);
    // a `__proto__` field (JSON.parse makes it an own property) must stay one: assigning it would set the prototype
    if (r !== v) {
      if (k === '__proto__')
        Object.defineProperty(o, k, { value: r, writable: true, enumerable: true, configurable: true });
      else o[k] = r;
    }
  }
  if (keys.length === 0 || keys.length > 2 || keys[0]!.charCodeAt(0) !== 36 /* $ */) return o;
  const r = special(o, keys, now);
  return r === UNCHANGED ? o : r;
}

const parseEjson = (text: string, now: () => Date): unknown => revive(JSON.parse(text), now);

const viaBson = (text: string, now: () => Date): unknown => {
  const parsed = EJSON.parse(text, { relaxed: true });
  return parseEjson(encodeDoc(parsed), now);
};

export function decodeWire(text: string | undefined, now: () => Date): unknown {
  if (text === undefined || text === '') return undefined;
  // one value, one server time: every serverDate in it is the same instant plus its own offset
  let at: Date | undefined;
  const once = () => (at ??= now());
  if (RARE.test(text)) return viaBson(text, once);
  return parseEjson(text, once);
}

const noClock = () => new Date(NaN);

/** Realm-safe: the emulator also runs inside jest's sandbox, where Dates may come from another realm. */
export const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';
const isRegExp = (v: unknown): v is RegExp => Object.prototype.toString.call(v) === '[object RegExp]';

/** A deep copy of a document that keeps dates and regular expressions as such. */
export function cloneDoc<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (isDate(value)) return new Date(value.getTime()) as T;
  if (isRegExp(value)) return new RegExp(value.source, value.flags) as T;
  if (Array.isArray(value)) return value.map(cloneDoc) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = cloneDoc(v);
  return out as T;
}

/** A number JSON cannot hold as such (NaN, ±Infinity, -0) as EJSON's `$numberDouble`. */
const specialNumber = (n: number): string | null =>
  Number.isFinite(n) && !Object.is(n, -0) ? null : `{"$numberDouble":"${Object.is(n, -0) ? '-0' : String(n)}"}`;

/** Field names repeat from document to document: each is quoted once (a few thousand kept). */
const quotedKeys = new Map<string, string>();
function quotedKey(k: string): string {
  let q = quotedKeys.get(k);
  if (q === undefined) {
    q = JSON.stringify(k);
    if (quotedKeys.size < 4096) quotedKeys.set(k, q);
  }
  return q;
}

/**
 * One value as relaxed EJSON text, or undefined where JSON.stringify leaves a value out (undefined,
 * functions, symbols). Written out rather than JSON.stringify with a replacer: the replacer is a call
 * per value and took twice as long on the store's hottest path.
 */
function ejson(v: unknown): string | undefined {
  switch (typeof v) {
    case 'string':
      return JSON.stringify(v);
    case 'number':
      return specialNumber(v) ?? String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('Do not know how to serialize a BigInt');
    case 'object': {
      if (v === null) return 'null';
      if (isDate(v)) return Number.isNaN(v.getTime()) ? '{"$date":null}' : `{"$date":"${v.toISOString()}"}`;
      if (isRegExp(v))
        return `{"$regularExpression":{"pattern":${JSON.stringify(v.source)},"options":${JSON.stringify(v.flags)}}}`;
      if (Array.isArray(v)) {
        let out = '[';
        for (let i = 0; i < v.length; i++) out += (i ? ',' : '') + (ejson(v[i]) ?? 'null');
        return `${out}]`;
      }
      const o = v as Record<string, unknown> & { toJSON?: () => unknown };
      if (typeof o.toJSON === 'function') return ejson(o.toJSON());
      let out = '{';
      for (const k of Object.keys(o)) {
        const text = ejson(o[k]);
        if (text !== undefined) out += `${out.length > 1 ? ',' : ''}${quotedKey(k)}:${text}`;
      }
      return `${out}}`;
    }
    default:
      return undefined;
  }
}

/** A stored or returned document as the relaxed EJSON string the SDK parses. */
export const encodeDoc = (doc: unknown): string => ejson(doc) as string;
export const parseStored = (text: string): Doc => parseEjson(text, noClock) as Doc;

/**
 * A field's value by dotted path, as an index sees it: through an array of sub-documents the path
 * collects each element's value (`tags.tagId` over `[{tagId: 'a'}, {tagId: 'b'}]` is `['a', 'b']`).
 */
export function getPath(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const part of path.split('.')) {
    if (Array.isArray(cur) && !/^\d+$/.test(part)) {
      const values = cur.flatMap((el) => {
        const v =
          el !== null && typeof el === 'object' && !Array.isArray(el)
            ? (el as Record<string, unknown>)[part]
            : undefined;
        return v === undefined ? [] : Array.isArray(v) ? v : [v];
      });
      cur = values.length ? values : undefined;
      continue;
    }
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}
