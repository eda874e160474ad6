import { DEFAULT_TIME_ZONE } from '../time';
import { FACT_PATHS as P } from './facts';
import { localMonth, recencyCutoff } from './recency';
import type { SegmentRule } from './rule';

export type MongoQuery = Record<string, unknown>;

const MONGO_COMPARISON = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

const pad = (m: number) => String(m).padStart(2, '0');

/** Birthdays (`YYYY-MM-DD` or `MM-DD`) in these months. */
const birthdayIn = (months: readonly number[]): MongoQuery => ({ [P.birthday]: { $regex: `(^|-)(${months.map(pad).join('|')})-\\d{2}$` } });

/** The store a member belongs to: the first touch's, else the last one's (as the card keeps it). */
const storeIn = (values: readonly string[]): MongoQuery => ({
  $or: [{ [P.storeFirst]: { $in: [...values] } }, { $and: [{ [P.storeFirst]: null }, { [P.storeLast]: { $in: [...values] } }] }],
});

const memberQuery: MongoQuery = { $or: [{ state: 'member' }, { cardNo: { $ne: null } }] };

/**
 * The rule as a MongoDB query on the stored member document (the paths of `FACT_PATHS`; it agrees
 * with `matches` on `factsOfMember` of the same document), so the server can
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
      return { [P.tags]: { [op]: [...rule.values] } };
    }
    case 'stage':
    case 'tier':
    case 'language':
      return { [rule.field]: { [rule.op === 'in' ? '$in' : '$nin']: [...rule.values] } };
    case 'storeId':
      return rule.op === 'in' ? storeIn(rule.values) : { $nor: [storeIn(rule.values)] };
    case 'spendFen':
      return { [P.spendFen]: { [MONGO_COMPARISON[rule.op]]: rule.value } };
    case 'recencyDays': {
      const within = { [P.paidAt]: { $gte: recencyCutoff(rule.days, now, tz) } };
      return rule.op === 'within' ? within : { $nor: [within] };
    }
    case 'birthdayMonth':
      return birthdayIn(rule.op === 'thisMonth' ? [localMonth(now, tz)] : rule.values);
    case 'isFollower':
      return rule.value ? { [P.follower]: true } : { [P.follower]: { $ne: true } };
    case 'isMember':
      return rule.value ? memberQuery : { $nor: [memberQuery] };
  }
}
