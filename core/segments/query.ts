import { DEFAULT_TIME_ZONE } from '../time';
import { localMonth, recencyCutoff } from './recency';
import type { SegmentRule } from './rule';

export type MongoQuery = Record<string, unknown>;

const MONGO_COMPARISON = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/**
 * The rule as a MongoDB query on the member document (see `MemberFacts`), so the server can
 * count or page a segment in the database. "now" is frozen into the query (recency cut-off,
 * current month), so build it per request. `not` becomes `$nor`, which matches missing fields
 * the way `matches` does.
 */
export function toMongoQuery(rule: SegmentRule, now: Date, tz: string = DEFAULT_TIME_ZONE): MongoQuery {
  if ('and' in rule) return { $and: rule.and.map((r) => toMongoQuery(r, now, tz)) };
  if ('or' in rule) return { $or: rule.or.map((r) => toMongoQuery(r, now, tz)) };
  if ('not' in rule) return { $nor: [toMongoQuery(rule.not, now, tz)] };
  switch (rule.field) {
    case 'tags': {
      const op = rule.op === 'hasAll' ? '$all' : rule.op === 'hasAny' ? '$in' : '$nin';
      return { 'tags.tagId': { [op]: [...rule.values] } };
    }
    case 'stage':
    case 'tier':
    case 'language':
    case 'storeId':
      return { [rule.field]: { [rule.op === 'in' ? '$in' : '$nin']: [...rule.values] } };
    case 'spendFen':
      return { spendFen: { [MONGO_COMPARISON[rule.op]]: rule.value } };
    case 'recencyDays': {
      const within = { lastPaidAt: { $gte: recencyCutoff(rule.days, now, tz) } };
      return rule.op === 'within' ? within : { $nor: [within] };
    }
    case 'birthdayMonth':
      return { birthdayMonth: { $in: rule.op === 'thisMonth' ? [localMonth(now, tz)] : [...rule.values] } };
    case 'isFollower':
    case 'isMember':
      return { [rule.field]: rule.value };
  }
}
