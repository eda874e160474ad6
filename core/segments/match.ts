import { DEFAULT_TIME_ZONE } from '../time';
import { localMonth, recencyCutoff } from './recency';
import type { MemberFacts, SegmentRule } from './rule';
import { windowTotals } from './window';

const withinDays = (at: Date | null | undefined, days: number, now: Date, tz: string): boolean =>
  at instanceof Date && at.getTime() >= recencyCutoff(days, now, tz).getTime();

function listHas(held: readonly string[], op: 'hasAll' | 'hasAny' | 'hasNone', values: readonly string[]): boolean {
  if (op === 'hasAll') return values.every((t) => held.includes(t));
  const any = values.some((t) => held.includes(t));
  return op === 'hasAny' ? any : !any;
}

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
    case 'tags':
      return listHas(Array.isArray(facts.tags) ? facts.tags.map((t) => t.tagId) : [], rule.op, rule.values);
    case 'categories':
    case 'channels':
      return listHas(Array.isArray(facts[rule.field]) ? facts[rule.field]! : [], rule.op, rule.values);
    case 'rfm':
      return inList(facts.rfm?.[rule.dim], rule.values);
    case 'ltvForecastFen':
      return compare(facts.ltvForecastFen, rule.op, rule.value);
    case 'ordersInWindow':
    case 'spendInWindow': {
      const totals = windowTotals(facts.paidOrders, rule.days, now, tz);
      return compare(rule.field === 'ordersInWindow' ? totals.orders : totals.spendFen, rule.op, rule.value);
    }
    case 'attribution': {
      const hit = inList(facts.attribution?.[rule.key], rule.values);
      return rule.op === 'in' ? hit : !hit;
    }
    case 'activeDays': {
      const within = withinDays(facts.lastSeenAt, rule.days, now, tz);
      return rule.op === 'within' ? within : !within;
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
      const within = withinDays(facts.lastPaidAt, rule.days, now, tz);
      return rule.op === 'within' ? within : !within;
    }
    case 'birthdayMonth':
      return inList(facts.birthdayMonth, rule.op === 'thisMonth' ? [localMonth(now, tz)] : rule.values);
    case 'isFollower':
    case 'isMember':
      return facts[rule.field] === rule.value;
    case 'marketingOptIn':
      return (facts.marketingOptIn === true) === rule.value;
  }
}
