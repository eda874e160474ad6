import type { SegmentRule } from '../../../../core/segments/rule';

/** The rule builder's form, as the page keeps it (inputs are strings until built). */
export interface RuleForm {
  stages: string[];
  /** Comma- or space-separated tag ids; the member holds any of them. */
  tags: string;
  /** Comma- or space-separated tier ids. */
  tiers: string;
  /** Lifetime paid amount bounds, in yuan. */
  spendMin: string;
  spendMax: string;
  recency: 'any' | 'within' | 'notWithin';
  recencyDays: string;
  birthdayThisMonth: boolean;
  follower: 'any' | 'yes' | 'no';
  member: 'any' | 'yes' | 'no';
  /** Comma- or space-separated item categories; the member bought any of them. */
  categories: string;
  /** Comma- or space-separated order channels (pos, ecommerce …); the member ordered through any. */
  channels: string;
  consent: 'any' | 'yes' | 'no';
  /** Opened the Mini Program within this many days (empty: any time). */
  activeDays: string;
}

export const emptyForm = (): RuleForm => ({
  stages: [],
  tags: '',
  tiers: '',
  spendMin: '',
  spendMax: '',
  recency: 'any',
  recencyDays: '30',
  birthdayThisMonth: false,
  follower: 'any',
  member: 'any',
  categories: '',
  channels: '',
  consent: 'any',
  activeDays: '',
});

/** Why a form cannot become a rule: keys of the page text. */
export type RuleProblem = 'noCondition' | 'badSpend' | 'badDays';

const list = (s: string): string[] =>
  s
    .split(/[\s,，、]+/)
    .map((x) => x.trim())
    .filter(Boolean);
const fen = (yuan: string): number | null | undefined => {
  if (!yuan.trim()) return undefined;
  const n = Number(yuan);
  return Number.isFinite(n) && n >= 0 ? Math.round(n * 100) : null;
};

/** The conditions the form sets, all of which must hold (`and`), as `messaging segments.*` accepts. */
export function buildRule(f: RuleForm): { rule: SegmentRule } | { problem: RuleProblem } {
  const all: SegmentRule[] = [];
  if (f.stages.length) all.push({ field: 'stage', op: 'in', values: [...f.stages] });
  const tags = list(f.tags);
  if (tags.length) all.push({ field: 'tags', op: 'hasAny', values: tags });
  const tiers = list(f.tiers);
  if (tiers.length) all.push({ field: 'tier', op: 'in', values: tiers });
  const min = fen(f.spendMin);
  const max = fen(f.spendMax);
  if (min === null || max === null || (min !== undefined && max !== undefined && min > max))
    return { problem: 'badSpend' };
  if (min !== undefined) all.push({ field: 'spendFen', op: 'gte', value: min });
  if (max !== undefined) all.push({ field: 'spendFen', op: 'lte', value: max });
  if (f.recency !== 'any') {
    const days = Number(f.recencyDays);
    if (!/^\d+$/.test(f.recencyDays.trim()) || days > 3650) return { problem: 'badDays' };
    all.push({ field: 'recencyDays', op: f.recency, days });
  }
  if (f.birthdayThisMonth) all.push({ field: 'birthdayMonth', op: 'thisMonth' });
  if (f.follower !== 'any') all.push({ field: 'isFollower', op: 'is', value: f.follower === 'yes' });
  if (f.member !== 'any') all.push({ field: 'isMember', op: 'is', value: f.member === 'yes' });
  const categories = list(f.categories);
  if (categories.length) all.push({ field: 'categories', op: 'hasAny', values: categories });
  const channels = list(f.channels);
  if (channels.length) all.push({ field: 'channels', op: 'hasAny', values: channels });
  if (f.consent !== 'any') all.push({ field: 'marketingOptIn', op: 'is', value: f.consent === 'yes' });
  if (f.activeDays.trim()) {
    if (!/^\d+$/.test(f.activeDays.trim()) || Number(f.activeDays) > 3650) return { problem: 'badDays' };
    all.push({ field: 'activeDays', op: 'within', days: Number(f.activeDays) });
  }
  if (all.length === 0) return { problem: 'noCondition' };
  return { rule: all.length === 1 ? all[0]! : { and: all } };
}

/**
 * The form that builds `rule` again, or null when the builder cannot show it (or, not, hasAll,
 * a condition twice…): such a segment can still be previewed, renamed and sent to, as saved.
 */
export function formOf(rule: SegmentRule): RuleForm | null {
  const parts = 'and' in rule ? rule.and : [rule];
  const f = emptyForm();
  const seen = new Set<string>();
  for (const c of parts) {
    if (!('field' in c)) return null;
    const key = c.field === 'spendFen' ? `spendFen:${c.op}` : c.field;
    if (seen.has(key)) return null;
    seen.add(key);
    if (c.field === 'stage' && c.op === 'in') f.stages = [...c.values];
    else if (c.field === 'tags' && c.op === 'hasAny') f.tags = c.values.join(', ');
    else if (c.field === 'tier' && c.op === 'in') f.tiers = c.values.join(', ');
    else if (c.field === 'spendFen' && (c.op === 'gte' || c.op === 'lte'))
      f[c.op === 'gte' ? 'spendMin' : 'spendMax'] = String(c.value / 100);
    else if (c.field === 'recencyDays') Object.assign(f, { recency: c.op, recencyDays: String(c.days) });
    else if (c.field === 'birthdayMonth' && c.op === 'thisMonth') f.birthdayThisMonth = true;
    else if (c.field === 'isFollower' || c.field === 'isMember')
      f[c.field === 'isFollower' ? 'follower' : 'member'] = c.value ? 'yes' : 'no';
    else if ((c.field === 'categories' || c.field === 'channels') && c.op === 'hasAny')
      f[c.field] = c.values.join(', ');
    else if (c.field === 'marketingOptIn') f.consent = c.value ? 'yes' : 'no';
    else if (c.field === 'activeDays' && c.op === 'within') f.activeDays = String(c.days);
    else return null;
  }
  return f;
}
