import fc from 'fast-check';

/**
 * Hostile variants of a well-formed input: a value of the wrong type, a key added or removed, a
 * huge string, deep nesting (a foreign shape, or the input's own structure nested into itself, such
 * as a rule inside a rule), or a database operator object where a value belongs. A mutation
 * picks one place in the input (the root's own keys included) by index.
 */
export const MUTATION_KINDS = [
  'valid',
  'wrongType',
  'extraKey',
  'missingKey',
  'hugeString',
  'deepNesting',
  'selfNesting',
  'operator',
] as const;
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** The parameters of every kind; the run index picks the kind, so each action meets each kind. */
export interface Mutation {
  kind: MutationKind;
  at: number;
  value: unknown;
  key: string;
  length: number;
  depth: number;
  asArray: boolean;
  operator: Record<string, unknown>;
}

const OPERATORS: Record<string, unknown>[] = [
  { $gt: '' },
  { $ne: null },
  { $regex: '.*' },
  { $where: 'sleep(5000)' },
  { $exists: true },
  { $in: ['', null] },
  { $nin: [] },
  { $or: [{}] },
  { $expr: { $gt: [1, 0] } },
  { $inc: { points: 1e9 } },
];
const EXTRA_KEYS = [
  'role',
  'staffId',
  'openid',
  'memberId',
  '_id',
  '__proto__',
  'constructor',
  'prototype',
  '$where',
  '_openid',
];
const anyValue = fc.oneof(
  fc.integer(),
  fc.string({ maxLength: 8 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.constant({}),
  fc.double(),
);

export const mutationArb = (index: number): fc.Arbitrary<Mutation> =>
  fc.record({
    kind: fc.constant(MUTATION_KINDS[index % MUTATION_KINDS.length]!),
    at: fc.nat(),
    value: anyValue,
    key: fc.oneof(fc.constantFrom(...EXTRA_KEYS), fc.string({ minLength: 1, maxLength: 10 })),
    length: fc.constantFrom(10_000, 100_000, 1_000_000),
    depth: fc.constantFrom(40, 1_000, 3_000),
    asArray: fc.boolean(),
    operator: fc.constantFrom(...OPERATORS),
  });

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

/** Sets an own, enumerable property: `__proto__` stays a key and is serialised, as a raw client would send it. */
const setOwn = (o: Record<string, unknown> | unknown[], k: string | number, value: unknown) =>
  Object.defineProperty(o, k, { value, enumerable: true, writable: true, configurable: true });

const nest = (depth: number, asArray: boolean): unknown => {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
};

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const valueAt = (p: Place): unknown => (p.parent as Record<string, unknown>)[p.key as string];

/** Keys holding an object, or a list with objects: where the input's structure can hold itself again. */
const holdsObjects = (v: unknown) => isObject(v) || (Array.isArray(v) && v.some(isObject));
const innerKeys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => holdsObjects(o[k]));
const nestableAt = (p: Place) => isObject(valueAt(p)) && innerKeys(valueAt(p) as Record<string, unknown>).length > 0;

/** Whether `input` holds an object inside an object, as a recursive contract's input does. */
export const canSelfNest = (input: unknown): boolean => placesOf(input).places.some(nestableAt);

/** `o` with its own `key` holding `o` again, `depth` times: the shape a recursive contract recurses on. */
function selfNested(o: Record<string, unknown>, key: string, depth: number): Record<string, unknown> {
  let chain = o;
  for (let i = 0; i < depth; i++) chain = { ...o, [key]: Array.isArray(o[key]) ? [chain] : chain };
  return chain;
}

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
    setOwn(root, 'extra', m.kind === 'operator' ? m.operator : m.value);
    return root;
  }
  const place = places[m.at % places.length]!;
  if (m.kind === 'missingKey') {
    if (Array.isArray(place.parent)) place.parent.splice(Number(place.key), 1);
    else delete place.parent[place.key as string];
  } else if (m.kind === 'wrongType') setOwn(place.parent, place.key, m.value);
  else if (m.kind === 'hugeString') setOwn(place.parent, place.key, 'x'.repeat(m.length));
  else if (m.kind === 'operator') setOwn(place.parent, place.key, m.operator);
  else if (m.kind === 'deepNesting') setOwn(place.parent, place.key, nest(m.depth, m.asArray));
  else {
    const nestable = places.filter(nestableAt);
    const at = nestable.length ? nestable[m.at % nestable.length]! : place;
    const o = valueAt(at);
    const keys = isObject(o) ? innerKeys(o) : [];
    // a recursive contract is only reached deep enough to matter: a thousand levels or more
    const depth = Math.max(m.depth, 1_000);
    const key = keys[m.at % keys.length];
    if (key !== undefined) setOwn(at.parent, at.key, selfNested(o as Record<string, unknown>, key, depth));
    else setOwn(place.parent, place.key, nest(m.depth, m.asArray));
  }
  return root;
}
