import fc from 'fast-check';

/**
 * Hostile variants of a well-formed input: a value of the wrong type, a key added or removed, a
 * huge string, deep nesting, or a database operator object where a value belongs. A mutation
 * picks one place in the input (the root's own keys included) by index.
 */
export type Mutation =
  | { kind: 'valid' }
  | { kind: 'wrongType'; at: number; value: unknown }
  | { kind: 'extraKey'; at: number; key: string; value: unknown }
  | { kind: 'missingKey'; at: number }
  | { kind: 'hugeString'; at: number; length: number }
  | { kind: 'deepNesting'; at: number; depth: number; asArray: boolean }
  | { kind: 'operator'; at: number; value: Record<string, unknown> };

const OPERATORS: Record<string, unknown>[] = [
  { $gt: '' }, { $ne: null }, { $regex: '.*' }, { $where: 'sleep(5000)' }, { $exists: true },
  { $in: ['', null] }, { $nin: [] }, { $or: [{}] }, { $expr: { $gt: [1, 0] } }, { $inc: { points: 1e9 } },
];
const EXTRA_KEYS = ['role', 'staffId', 'openid', 'memberId', '_id', '__proto__', 'constructor', 'prototype', '$where', '_openid'];
const anyValue = fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }), fc.constant({}), fc.double());

export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.constant({ kind: 'valid' as const }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('wrongType' as const), at: fc.nat(), value: anyValue }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('extraKey' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 10 })), value: anyValue }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('missingKey' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('hugeString' as const), at: fc.nat(), length: fc.constantFrom(10_000, 100_000, 1_000_000) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('deepNesting' as const), at: fc.nat(), depth: fc.constantFrom(40, 500, 2_000), asArray: fc.boolean() }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('operator' as const), at: fc.nat(), value: fc.constantFrom(...OPERATORS) }), weight: 2 },
);

type Place = { parent: Record<string, unknown> | unknown[]; key: string | number };

/** Every place a value sits in `root` (depth first), and every object in it. */
function placesOf(root: unknown): { places: Place[]; objects: Record<string, unknown>[] } {
  const places: Place[] = [];
  const objects: Record<string, unknown>[] = [];
  const stack: unknown[] = [root];
  while (stack.length) {
    const v = stack.pop();
    if (!v || typeof v !== 'object') continue;
    if (!Array.isArray(v)) objects.push(v as Record<string, unknown>);
    for (const k of Object.keys(v)) {
      places.push({ parent: v as Record<string, unknown>, key: Array.isArray(v) ? Number(k) : k });
      stack.push((v as Record<string, unknown>)[k]);
    }
  }
  return { places, objects };
}

/** Sets an own, enumerable property: `__proto__` stays a key and survives JSON.stringify, as a raw client would send it. */
const setOwn = (o: Record<string, unknown> | unknown[], k: string | number, value: unknown) =>
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

const nest = (depth: number, asArray: boolean): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
};

/** The input with the mutation applied (a deep copy: the original is left as generated). */
export function mutate(input: Record<string, unknown>, m: Mutation): Record<string, unknown> {
  const root = structuredClone(input);
  if (m.kind === 'valid') return root;
  const { places, objects } = placesOf(root);
  if (m.kind === 'extraKey') {
    setOwn(objects[m.at % objects.length]!, m.key, m.value);
    return root;
  }
  if (places.length === 0) {
    setOwn(root, 'extra', m.kind === 'operator' ? m.value : 'x');
    return root;
  }
  const place = places[m.at % places.length]!;
  if (m.kind === 'missingKey') {
    if (Array.isArray(place.parent)) place.parent.splice(Number(place.key), 1);
    else delete place.parent[place.key as string];
  } else if (m.kind === 'wrongType') setOwn(place.parent, place.key, m.value);
  else if (m.kind === 'hugeString') setOwn(place.parent, place.key, 'x'.repeat(m.length));
  else if (m.kind === 'deepNesting') setOwn(place.parent, place.key, nest(m.depth, m.asArray));
  else setOwn(place.parent, place.key, m.value);
  return root;
}
