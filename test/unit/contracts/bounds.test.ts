import { z } from 'zod';
import { contracts } from '../../../core/contracts';
import { MAX_RULE_DEPTH, MAX_RULE_NODES, ruleBoundsProblem, segmentRuleSchema } from '../../../core/segments/rule';

/**
 * Every action input is bounded: lists have a maximum length, strings a maximum length (or a
 * pattern, format or enum), maps a maximum number of keys, and recursion a maximum depth checked
 * before parsing. Read from each contract's JSON Schema (z.toJSONSchema), so a new contract is
 * checked without being listed here.
 */
type J = Record<string, unknown> & {
  $ref?: string;
  type?: string;
  properties?: Record<string, J>;
  items?: J;
  additionalProperties?: unknown;
};

/** Maps bounded by a refinement (JSON Schema cannot show it): each is proven below. */
const REFINED_MAPS = [
  'member.login.query',
  'messaging.recordConsent.results',
  'messaging.campaigns.send.message.data',
  'messaging.journeys.create.journey',
  'messaging.journeys.saveDraft.journey',
  'messaging.journeys.simulate.profile.attributes',
  'messaging.journeys.simulate.trigger.data',
  'messaging.journeys.simulate.events[].data',
];

function unbounded(s: J, path: string, defs: Record<string, J>, seen: ReadonlySet<string>, out: string[]): void {
  if (s.$ref) {
    const name = s.$ref.split('/').pop()!;
    if (seen.has(name)) out.push(`${path}: recursion without a depth check`);
    else unbounded(defs[name]!, path, defs, new Set([...seen, name]), out);
    return;
  }
  if (s.type === 'array' && s.maxItems === undefined && !s.prefixItems) out.push(`${path}: list without maxItems`);
  const shaped = s.enum || s.const !== undefined || s.format || s.pattern;
  if (s.type === 'string' && s.maxLength === undefined && !shaped) out.push(`${path}: string without maxLength`);
  const map = typeof s.additionalProperties === 'object' ? (s.additionalProperties as J) : undefined;
  if (map && !REFINED_MAPS.includes(path)) out.push(`${path}: map without a key limit`);
  for (const k of ['anyOf', 'oneOf', 'allOf']) {
    for (const b of (s[k] as J[] | undefined) ?? []) unbounded(b, path, defs, seen, out);
  }
  for (const [k, v] of Object.entries(s.properties ?? {})) unbounded(v, `${path}.${k}`, defs, seen, out);
  if (s.items) unbounded(s.items, `${path}[]`, defs, seen, out);
  if (map) unbounded(map, `${path}{}`, defs, seen, out);
}

test('every action input bounds its lists, strings, maps and recursion', () => {
  const out: string[] = [];
  for (const [fn, actions] of Object.entries(contracts)) {
    for (const [name, c] of Object.entries(actions as Record<string, { input: z.ZodType }>)) {
      const js = z.toJSONSchema(c.input, { io: 'input', unrepresentable: 'any' }) as J & { $defs?: Record<string, J> };
      unbounded(js, `${fn}.${name}`, js.$defs ?? {}, new Set(), out);
    }
  }
  expect(out).toEqual([]);
});

test('maps bounded by a refinement refuse one key too many', () => {
  const keys = (n: number, value: unknown) =>
    Object.fromEntries(Array.from({ length: n }, (_v, i) => [`k${i}`, value]));
  expect(contracts.member.login.input.safeParse({ query: keys(21, 'v') }).success).toBe(false);
  expect(contracts.member.login.input.safeParse({ query: keys(20, 'v') }).success).toBe(true);
  expect(contracts.messaging.recordConsent.input.safeParse({ results: keys(21, 'accept') }).success).toBe(false);
  const message = (n: number) => ({
    id: 'c1',
    name: 'n',
    segmentId: 's1',
    message: { channel: 'subscribe', template: 't', data: keys(n, 'v') },
  });
  expect(contracts.messaging['campaigns.send'].input.safeParse(message(21)).success).toBe(false);
  expect(contracts.messaging['campaigns.send'].input.safeParse(message(20)).success).toBe(true);
  const journeys = contracts.messaging;
  for (const n of [20, 21]) {
    const ok = n <= 20;
    expect(journeys['journeys.create'].input.safeParse({ journey: keys(n, 1) }).success).toBe(ok);
    expect(journeys['journeys.saveDraft'].input.safeParse({ journeyId: 'j', journey: keys(n, 1) }).success).toBe(ok);
    const sim = (over: Record<string, unknown>) =>
      journeys['journeys.simulate'].input.safeParse({ journeyId: 'j', ...over });
    expect(sim({ profile: { attributes: keys(n, 1) } }).success).toBe(ok);
    expect(sim({ profile: {}, trigger: { data: keys(n, 1) } }).success).toBe(ok);
    expect(sim({ profile: {}, events: [{ after: '1h', type: 'order.paid', data: keys(n, 1) }] }).success).toBe(ok);
  }
});

describe('segment rules', () => {
  const leaf = { field: 'isMember', op: 'is', value: true };
  const nots = (n: number): unknown => (n === 0 ? leaf : { not: nots(n - 1) });

  test(`nest at most ${MAX_RULE_DEPTH} levels, refused with a message naming the bound`, () => {
    expect(segmentRuleSchema.safeParse(nots(MAX_RULE_DEPTH - 1)).success).toBe(true);
    const r = segmentRuleSchema.safeParse(nots(MAX_RULE_DEPTH));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain(`${MAX_RULE_DEPTH} levels`);
  });

  test('a rule nested a hundred thousand deep is refused without exhausting the stack', () => {
    let deep: unknown = leaf;
    for (let i = 0; i < 100_000; i++) deep = { and: [deep] };
    expect(ruleBoundsProblem(deep)).toContain('levels');
    expect(segmentRuleSchema.safeParse(deep).success).toBe(false);
  });

  test(`have at most ${MAX_RULE_NODES} parts`, () => {
    const wide = (n: number) => ({ or: Array.from({ length: n }, () => leaf) });
    expect(segmentRuleSchema.safeParse(wide(MAX_RULE_NODES - 1)).success).toBe(true);
    const refused = segmentRuleSchema.safeParse(wide(MAX_RULE_NODES));
    expect(refused.error?.issues[0]?.message).toContain(String(MAX_RULE_NODES));
  });
});
