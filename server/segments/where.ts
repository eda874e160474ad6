import { toMongoQuery, type MongoQuery, type SegmentRule } from '../../core/segments';
import type { Database } from '../runtime/cloud';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's command typings refuse operators built at run time
type Command = any;

const OPS: Record<string, string> = {
  $in: 'in',
  $nin: 'nin',
  $all: 'all',
  $gt: 'gt',
  $gte: 'gte',
  $lt: 'lt',
  $lte: 'lte',
  $eq: 'eq',
  $ne: 'neq',
};

/** `db.RegExp`: the SDK's regular expression value. */
type RegExpOf = (source: string) => unknown;

function field(cond: unknown, _: Command, regexp: RegExpOf): unknown {
  if (cond === null || typeof cond !== 'object' || cond instanceof Date || Array.isArray(cond)) return cond;
  const { $regex, ...rest } = cond as Record<string, unknown>;
  if (typeof $regex === 'string' && Object.keys(rest).length === 0) return regexp($regex);
  const entries = Object.entries(cond as Record<string, unknown>);
  const parts = entries.map(([op, v]) => {
    const name = OPS[op];
    if (!name) throw new Error(`unsupported query operator ${op}`);
    return _[name](v);
  });
  return parts.length === 1 ? parts[0] : _.and(parts);
}

/** A `toMongoQuery` result as the SDK's `where` argument ($and/$or/$nor → _.and/_.or/_.nor, $in → _.in, $regex → db.RegExp …). */
export function toSdkWhere(q: MongoQuery, _: Command, regexp: RegExpOf): unknown {
  const clauses: unknown[] = [];
  const plain: Record<string, unknown> = {};
  const each = (v: unknown) => (v as MongoQuery[]).map((x) => toSdkWhere(x, _, regexp));
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and') clauses.push(_.and(each(v)));
    else if (k === '$or') clauses.push(_.or(each(v)));
    else if (k === '$nor') clauses.push(_.nor(each(v)));
    else plain[k] = field(v, _, regexp);
  }
  if (clauses.length === 0) return plain;
  if (Object.keys(plain).length) clauses.push(plain);
  return clauses.length === 1 ? clauses[0] : _.and(clauses);
}

/** Members matching a rule now, as an SDK `where` on `members` (deleted and merged members excluded). */
export function segmentWhere(db: Database, rule: SegmentRule, now: Date, tz: string): unknown {
  const d = db as Command;
  const _ = d.command;
  return _.and([
    toSdkWhere(toMongoQuery(rule, now, tz), _, (regexp) => d.RegExp({ regexp })),
    { deletedAt: _.exists(false), mergedInto: _.exists(false) },
  ]);
}
