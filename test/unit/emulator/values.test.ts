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
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'), tie('node'), { maxKeys: 4 })),
})).node;

test('decoding canonical EJSON from the SDK equals bson relaxed parsing', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'), value), (doc) => {
      const wire = EJSON.stringify(doc as never, { relaxed: false });
      expect(decodeWire(wire, now)).toEqual(EJSON.parse(wire, { relaxed: true }));
    }),
    { numRuns: 300 },
  );
});

test('stored documents round-trip, and the SDK reads them back as they were written', () => {
  fc.assert(
    fc.property(fc.dictionary(fc.string().filter((k) => !k.startsWith('$') && k !== '__proto__'), value), (doc) => {
      const text = encodeDoc(doc);
      expect(parseStored(text)).toEqual(doc);
      expect(EJSON.parse(text, { relaxed: true })).toEqual(doc);
    }),
    { numRuns: 300 },
  );
});

test('server dates, regular expressions and rarer EJSON types', () => {
  const q = decodeWire('{"at":{"$tcb_server_date":{"offset":{"$numberInt":"1000"}}},"n":{"$regularExpression":{"pattern":"^a","options":"i"}},"big":{"$numberLong":"1099511627776"},"op":{"$gt":{"$numberInt":"1"}}}', now) as Record<string, unknown>;
  expect(q.at).toEqual(new Date('2026-01-01T00:00:01Z'));
  expect(q.n).toEqual(/^a/i);
  expect(q.big).toBe(1099511627776);
  expect(q.op).toEqual({ $gt: 1 });
  const withOid = decodeWire('{"_id":{"$oid":"5f0000000000000000000000"},"d":{"$date":{"$numberLong":"0"}}}', now) as Record<string, unknown>;
  expect(withOid.d).toEqual(new Date(0));
});
