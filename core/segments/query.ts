import { DEFAULT_TIME_ZONE } from '../time';
import { FACT_PATHS as P } from './facts';
import { localMonth, recencyCutoff } from './recency';
import type { Comparison, SegmentRule, WindowField } from './rule';
import { LATEST_PAID_KEPT, SPEND_LADDER_FEN, spendReachKey } from './window';

export type MongoQuery = Record<string, unknown>;

const MONGO_COMPARISON = { gt: '$gt', gte: '$gte', lt: '$lt', lte: '$lte' } as const;

/** Birthdays in these months, by the month the member keeps beside the birthday (`birthMonthOf`). */
const birthdayIn = (months: readonly number[]): MongoQuery => ({
  [P.birthMonth]: { $in: [...months] },
});

/** The store a member belongs to: the first touch's, else the last one's (as the card keeps it). */
const storeIn = (values: readonly string[]): MongoQuery => ({
  $or: [
    { [P.storeFirst]: { $in: [...values] } },
    { $and: [{ [P.storeFirst]: null }, { [P.storeLast]: { $in: [...values] } }] },
  ],
});

const memberQuery: MongoQuery = { $or: [{ state: 'member' }, { cardNo: { $ne: null } }] };

const listQuery = (path: string, op: 'hasAll' | 'hasAny' | 'hasNone', values: readonly string[]): MongoQuery => {
  const mongoOp = op === 'hasAll' ? '$all' : op === 'hasAny' ? '$in' : '$nin';
  return { [path]: { [mongoOp]: [...values] } };
};

const inOrNot = (path: string, op: 'in' | 'notIn', values: readonly (string | number)[]): MongoQuery => ({
  [path]: { [op === 'in' ? '$in' : '$nin']: [...values] },
});

const ALL: MongoQuery = {};
const NONE: MongoQuery = { _id: { $in: [] } };

/** Whether a window rule can only hold for someone with a counted order in the window (a count or spend above 0). */
const needsAnOrder = (op: Comparison, value: number): boolean =>
  op === 'gt' ? value >= 0 : op === 'gte' ? value >= 1 : false;

/** "At least k counted orders since the cut-off" as the k-th latest paid time, when the member keeps it. */
function atLeastOrders(k: number, cutoff: Date): MongoQuery | null {
  if (k <= 0) return ALL;
  return k <= LATEST_PAID_KEPT ? { [`${P.latestPaid}.n${k}`]: { $gte: cutoff } } : null;
}

/** An order count in a window as one bound on a kept paid time: null past the times kept. */
function ordersQuery(op: Comparison, value: number, cutoff: Date): MongoQuery | null {
  const k = op === 'gt' || op === 'lte' ? value + 1 : value;
  const atLeast = atLeastOrders(k, cutoff);
  if (!atLeast || op === 'gt' || op === 'gte') return atLeast;
  return atLeast === ALL ? NONE : { $nor: [atLeast] };
}

/** "Spent at least `fen` since the cut-off" for a ladder amount: the amount reached on or after the cut-off. */
const reachedSince = (fen: number, cutoff: Date): MongoQuery => ({
  [`${P.spendReach}.${spendReachKey(fen)}`]: { $gte: cutoff },
});

/**
 * Spend in a window as "at least" (`gte: true`) or "less than" a whole number of fen, after `gt`/`lte` are turned
 * into those. `exact` on a ladder amount (or nothing to spend); otherwise, with `superset`, the nearest ladder
 * amount that keeps everyone who matches (below for "at least", above for "less than"), without, the nearest
 * that keeps only people who match; null when no ladder amount does.
 */
function spendQuery(
  atLeast: boolean,
  fen: number,
  cutoff: Date,
  superset: boolean,
): { query: MongoQuery; exact: boolean } | null {
  if (fen <= 0) return { query: atLeast ? ALL : NONE, exact: true };
  const wantLower = atLeast === superset;
  const step = wantLower
    ? [...SPEND_LADDER_FEN].reverse().find((x) => x <= fen)
    : SPEND_LADDER_FEN.find((x) => x >= fen);
  if (step === undefined) return null;
  const reached = reachedSince(step, cutoff);
  return { query: atLeast ? reached : { $nor: [reached] }, exact: step === fen };
}

const spendBound = (op: Comparison, value: number) => ({
  atLeast: op === 'gt' || op === 'gte',
  fen: op === 'gt' || op === 'lte' ? value + 1 : value,
});

/**
 * Order count in a window is exact when the count compared is at most `LATEST_PAID_KEPT`
 * (`ordersQuery`), spend in a window when the amount is on the ladder (`spendQuery`). Other amounts and
 * larger counts are sums over `lifecycle.paidOrders`, which a query cannot take: where the whole rule holds
 * only if this part does (`positive`), the query keeps the people who could match (the nearest ladder amount
 * below, else a counted order in the window, else everyone); where it sits under a `not`, only people who
 * surely match (or no one). Either way the query finds a superset of the segment, and `needsMemberCheck`
 * says to check its members with `matches`.
 */
function windowQuery(
  rule: { field: WindowField; days: number; op: Comparison; value: number },
  positive: boolean,
  now: Date,
  tz: string,
): MongoQuery {
  const cutoff = recencyCutoff(rule.days, now, tz);
  const exact = rule.field === 'ordersInWindow' ? ordersQuery(rule.op, rule.value, cutoff) : null;
  if (exact) return exact;
  if (rule.field === 'spendInWindow') {
    const { atLeast, fen } = spendBound(rule.op, rule.value);
    const spend = spendQuery(atLeast, fen, cutoff, positive);
    if (spend) return spend.query;
  }
  if (!positive) return NONE;
  return needsAnOrder(rule.op, rule.value) ? (atLeastOrders(1, cutoff) as MongoQuery) : ALL;
}

/** Whether the rule has parts the query only narrows down (spend in a window, large order counts). */
export function needsMemberCheck(rule: SegmentRule): boolean {
  if ('and' in rule) return rule.and.some(needsMemberCheck);
  if ('or' in rule) return rule.or.some(needsMemberCheck);
  if ('not' in rule) return needsMemberCheck(rule.not);
  if (rule.field === 'ordersInWindow') return ordersQuery(rule.op, rule.value, new Date(0)) === null;
  if (rule.field !== 'spendInWindow') return false;
  const { atLeast, fen } = spendBound(rule.op, rule.value);
  return spendQuery(atLeast, fen, new Date(0), true)?.exact !== true;
}

/**
 * The rule as a MongoDB query on the stored member document (the paths of `FACT_PATHS`; it agrees
 * with `matches` on `factsOfMember` of the same document), so the server can
 * count or page a segment in the database. "now" is frozen into the query (recency cut-off,
 * current month), so build it per request. `not` becomes `$nor`, which matches missing fields
 * the way `matches` does. Spend and order count in a window are the exception: for rules holding
 * them the query may be a superset (see `windowQuery`) and then `needsMemberCheck` is true.
 */
export function toMongoQuery(
  rule: SegmentRule,
  now: Date,
  tz: string = DEFAULT_TIME_ZONE,
  positive = true,
): MongoQuery {
  if ('and' in rule) return { $and: rule.and.map((r) => toMongoQuery(r, now, tz, positive)) };
  if ('or' in rule) return { $or: rule.or.map((r) => toMongoQuery(r, now, tz, positive)) };
  if ('not' in rule) return { $nor: [toMongoQuery(rule.not, now, tz, !positive)] };
  switch (rule.field) {
    case 'tags':
      return listQuery(P.tags, rule.op, rule.values);
    case 'categories':
    case 'channels':
      return listQuery(P[rule.field], rule.op, rule.values);
    case 'rfm':
      return { [`${P.rfm}.${rule.dim}`]: { $in: [...rule.values] } };
    case 'ltvForecastFen':
      return { [P.ltvForecastFen]: { [MONGO_COMPARISON[rule.op]]: rule.value } };
    case 'ordersInWindow':
    case 'spendInWindow':
      return windowQuery(rule, positive, now, tz);
    case 'attribution':
      return inOrNot(`${P.attribution}.${rule.key}`, rule.op, rule.values);
    case 'activeDays': {
      const within = { [P.lastSeenAt]: { $gte: recencyCutoff(rule.days, now, tz) } };
      return rule.op === 'within' ? within : { $nor: [within] };
    }
    case 'stage':
    case 'tier':
    case 'language':
      return inOrNot(rule.field, rule.op, rule.values);
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
    case 'marketingOptIn':
      return rule.value ? { [P.marketingOptIn]: true } : { [P.marketingOptIn]: { $ne: true } };
  }
}
