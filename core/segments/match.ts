import { DEFAULT_TIME_ZONE } from '../time';
import { localMonth, recencyCutoff } from './recency';
import type { MemberFacts, SegmentRule } from './rule';

const inList = <T>(v: T | null | undefined, values: readonly T[]): boolean => v != null && values.includes(v);

function compare(v: unknown, op: 'gt' | 'gte' | 'lt' | 'lte', x: number): boolean {
  if (typeof v !== 'number') return false;
  if (op === 'gt') return v > x;
  if (op === 'gte') return v >= x;
  if (op === 'lt') return v < x;
  return v <= x;
}

/** Whether a member falls in a segment. Agrees with `toMongoQuery` (property-tested). */
export function matches(rule: SegmentRule, facts: MemberFacts, now: Date, tz: string = DEFAULT_TIME_ZONE): boolean {
  if ('and' in rule) return rule.and.every((r) => matches(r, facts, now, tz));
  if ('or' in rule) return rule.or.some((r) => matches(r, facts, now, tz));
  if ('not' in rule) return !matches(rule.not, facts, now, tz);
  switch (rule.field) {
    case 'tags': {
      const tags = Array.isArray(facts.tags) ? facts.tags.map((t) => t.tagId) : [];
      if (rule.op === 'hasAll') return rule.values.every((t) => tags.includes(t));
      const any = rule.values.some((t) => tags.includes(t));
      return rule.op === 'hasAny' ? any : !any;
    }
    case 'stage':
    case 'tier':
    case 'language':
    case 'storeId': {
      const hit = inList(facts[rule.field], rule.values);
      return rule.op === 'in' ? hit : !hit;
    }
    case 'spendFen':
      return compare(facts.spendFen, rule.op, rule.value);
    case 'recencyDays': {
      const paid = facts.lastPaidAt;
      const within = paid instanceof Date && paid.getTime() >= recencyCutoff(rule.days, now, tz).getTime();
      return rule.op === 'within' ? within : !within;
    }
    case 'birthdayMonth':
      return inList(facts.birthdayMonth, rule.op === 'thisMonth' ? [localMonth(now, tz)] : rule.values);
    case 'isFollower':
    case 'isMember':
      return facts[rule.field] === rule.value;
  }
}
