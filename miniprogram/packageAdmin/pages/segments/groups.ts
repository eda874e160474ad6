import type { MAX_RULE_DEPTH, SegmentRule } from '../../../../core/segments/rule';
import type { Lang } from '../../../i18n/index';
import type { CondNode, Dimension } from '../../../components/condition-group/tree';
import { STAGE_LABELS, type SegmentsText } from './text';

/** The segment schema lets a leaf sit at level 8: at most 7 groups above it (the compiler holds the 8). */
const RULE_LEVELS: typeof MAX_RULE_DEPTH = 8;
export const MAX_GROUPS = RULE_LEVELS - 1;

/** Leaves the group editor changes, as `field:op`; other parts of a rule are kept as they are. */
const LISTS = ['stage:in', 'stage:notIn', 'tier:in', 'tags:hasAny', 'tags:hasNone', 'categories:hasAny'] as const;
const FLAGS = ['isFollower:is', 'isMember:is', 'marketingOptIn:is'] as const;
const DAYS = ['recencyDays:within', 'activeDays:within'] as const;
type Key = (typeof LISTS)[number] | (typeof FLAGS)[number] | (typeof DAYS)[number];
const has = (list: readonly string[], key: string): key is Key => list.includes(key);

/** What each leaf can ask about, worded from the page's text. */
export function ruleDimensions(t: SegmentsText, lang: Lang): Dimension[] {
  const stages = Object.entries(STAGE_LABELS).map(([value, l]) => ({ value, label: l[lang] }));
  const yesNo = [
    { value: 'true', label: t.yes },
    { value: 'false', label: t.no },
  ];
  const label = (key: Key) => t.groupDims[key] ?? key;
  return [
    ...LISTS.map((key) => ({
      key,
      label: label(key),
      pick: 'many' as const,
      options: key.startsWith('stage') ? stages : [],
    })),
    ...FLAGS.map((key) => ({ key, label: label(key), pick: 'one' as const, options: yesNo })),
    ...DAYS.map((key) => ({ key, label: label(key), pick: 'text' as const, options: [], hint: t.days })),
  ];
}

/** A segment rule as the group editor's tree. */
export function ruleToNode(r: SegmentRule): CondNode {
  if ('and' in r) return { kind: 'all', of: r.and.map(ruleToNode) };
  if ('or' in r) return { kind: 'any', of: r.or.map(ruleToNode) };
  if ('not' in r) return { kind: 'not', of: ruleToNode(r.not) };
  const key = `${r.field}:${r.op}`;
  if (has(LISTS, key) && 'values' in r) return { kind: 'leaf', dim: key, values: (r.values as string[]).map(String) };
  if (has(FLAGS, key) && 'value' in r) return { kind: 'leaf', dim: key, values: [String(r.value)] };
  if (has(DAYS, key) && 'days' in r) return { kind: 'leaf', dim: key, values: [String(r.days)] };
  return { kind: 'kept', label: JSON.stringify(r), value: r };
}

function leafRule(key: string, values: string[]): SegmentRule {
  const [field, op] = key.split(':') as [string, string];
  if (has(FLAGS, key)) return { field, op: 'is', value: values[0] === 'true' } as SegmentRule;
  if (has(DAYS, key)) return { field, op, days: Number(values[0] ?? '') } as SegmentRule;
  return { field, op, values } as SegmentRule;
}

/** The tree back as a segment rule (the server's schema judges it on preview and save). */
export function nodeToRule(n: CondNode): SegmentRule {
  switch (n.kind) {
    case 'all':
      return { and: n.of.map(nodeToRule) };
    case 'any':
      return { or: n.of.map(nodeToRule) };
    case 'not':
      return { not: nodeToRule(n.of) };
    case 'kept':
      return n.value as SegmentRule;
    case 'leaf':
      return leafRule(n.dim, n.values);
  }
}
