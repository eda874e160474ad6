import fc from 'fast-check';
import { EJSON } from 'bson';
import { decodeWire, encodeDoc, parseStored } from '../../../emulator/db/values';

/** The emulator's fast EJSON path must read exactly what bson's EJSON reads, for everything the SDK sends. */
const now = () => new Date('2026-01-01T00:00:00Z');

const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.string(),
    fc.boolean(),
    fc.constant(null),
    fc.date({ min: new Date(-1e13), max: new Date(1e13), noInvalidDate: true }),
  ),
  node: fc.oneof(
    { depthSize: 'small' },
    tie('leaf'),
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(
      fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'),
      tie('node'),
      { maxKeys: 4 },
    ),
  ),
})).node;

const fieldName = fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__');
const document = fc.dictionary(fieldName, value);

test('decoding canonical EJSON from the SDK equals bson relaxed parsing', () => {
  fc.assert(
    fc.property(document, (doc) => {
      const wire = EJSON.stringify(doc as never, { relaxed: false });
      expect(decodeWire(wire, now)).toEqual(EJSON.parse(wire, { relaxed: true }));
    }),
    { numRuns: 300 },
  );
});

test('stored documents round-trip, and the SDK reads them back as they were written', () => {
  fc.assert(
    fc.property(document, (doc) => {
      const text = encodeDoc(doc);
      expect(parseStored(text)).toEqual(doc);
      expect(EJSON.parse(text, { relaxed: true })).toEqual(doc);
    }),
    { numRuns: 300 },
  );
});

/** What encodeDoc replaced: JSON.stringify with a replacer turning dates, regular expressions and special numbers into EJSON. */
function viaReplacer(doc: unknown): string {
  const tag = (v: unknown) => Object.prototype.toString.call(v);
  return JSON.stringify(doc, function (this: Record<string, unknown>, key: string, value: unknown) {
    const raw = this[key];
    if (tag(raw) === '[object Date]')
      return { $date: Number.isNaN((raw as Date).getTime()) ? null : (raw as Date).toISOString() };
    if (tag(raw) === '[object RegExp]')
      return { $regularExpression: { pattern: (raw as RegExp).source, options: (raw as RegExp).flags } };
    if (typeof raw === 'number' && (!Number.isFinite(raw) || Object.is(raw, -0)))
      return { $numberDouble: Object.is(raw, -0) ? '-0' : String(raw) };
    return value;
  });
}

test('encodeDoc writes exactly what JSON.stringify with the EJSON replacer wrote, special values included', () => {
  const special = fc.oneof(
    fc.constant(undefined),
    fc.constant(NaN),
    fc.constant(-0),
    fc.constant(Infinity),
    fc.constant(new Date(NaN)),
    fc.constant(/a"b/gi),
    fc.constant({ toJSON: () => ({ t: new Date(0) }) }),
  );
  const any = fc.letrec((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      value,
      special,
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.string(), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  fc.assert(
    fc.property(fc.dictionary(fc.string(), any), (doc) => expect(encodeDoc(doc)).toBe(viaReplacer(doc))),
    { numRuns: 500 },
  );
});

test('a "__proto__" field stays a field: decoding never sets an object\'s prototype', () => {
  const doc = decodeWire(
    '{"__proto__":{"$date":{"$numberLong":"0"}},"a":{"__proto__":{"polluted":{"$numberInt":"1"}}}}',
    now,
  ) as Record<string, unknown>;
  expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value).toEqual(new Date(0));
  const a = doc.a as Record<string, unknown>;
  expect(Object.getPrototypeOf(a)).toBe(Object.prototype);
  expect(Object.getOwnPropertyDescriptor(a, '__proto__')?.value).toEqual({ polluted: 1 });
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('server dates, regular expressions and rarer EJSON types', () => {
  const q = decodeWire(
    '{"at":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}},"n":{"$regularExpression":{"pattern":"^a","options":"i"}},"big":{"$numberLong":"1099511627776"},"op":{"$gt":{"$numberInt":"1"}}}',
    now,
  ) as Record<string, unknown>;
  expect(q.at).toEqual(new Date('2026-01-01T00:00:01Z'));
  expect(q.n).toEqual(/^a/i);
  expect(q.big).toBe(1099511627776);
  expect(q.op).toEqual({ $gt: 1 });
  const withOid = decodeWire(
    '{"_id":{"$oid":"5f0000000000000000000000"},"d":{"$date":{"$numberLong":"0"}}}',
    now,
  ) as Record<string, unknown>;
  expect(withOid.d).toEqual(new Date(0));
});

test('every serverDate in one value is the same server instant plus its own offset, however the clock moves', () => {
  let t = Date.parse('2026-01-01T00:00:00Z');
  const ticking = () => new Date(t++);
  const text =
    '{"a":{"$tcb_server_date":{"offset":0}},"b":[{"$tcb_server_date":{"offset":60000}}],"c":{"$oid":"5f1b2c3d4e5f6a7b8c9d0e1f"}}';
  const v = decodeWire(text, ticking) as { a: Date; b: Date[] };
  expect(v.b[0]!.getTime() - v.a.getTime()).toBe(60000);
  const plain = decodeWire(text.replace(/,"c".*\}$/, '}'), ticking) as { a: Date; b: Date[] };
  expect(plain.b[0]!.getTime() - plain.a.getTime()).toBe(60000);
});

test('a stored `__proto__` field holding a date stays a field of its own, the prototype untouched', () => {
  const doc = parseStored(
    '{"a":{"$date":"2026-01-01T00:00:00.000Z"},"__proto__":{"$date":"2026-01-02T00:00:00.000Z"}}',
  );
  expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
  expect(Object.keys(doc)).toEqual(['a', '__proto__']);
  expect(Object.getOwnPropertyDescriptor(doc, '__proto__')?.value).toEqual(new Date('2026-01-02T00:00:00.000Z'));
  expect(doc.a).toEqual(new Date('2026-01-01T00:00:00.000Z'));
});
