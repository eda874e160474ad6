import type { MongoQuery } from '../../core/segments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Command = any;

const OPS: Record<string, string> = { $in: 'in', $nin: 'nin', $all: 'all', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte', $eq: 'eq', $ne: 'neq' };

function field(cond: unknown, _: Command): unknown {
  if (cond === null || typeof cond !== 'object' || cond instanceof Date || Array.isArray(cond)) return cond;
  const entries = Object.entries(cond as Record<string, unknown>);
  const parts = entries.map(([op, v]) => {
    const name = OPS[op];
    if (!name) throw new Error(`unsupported query operator ${op}`);
    return _[name](v);
  });
  return parts.length === 1 ? parts[0] : _.and(parts);
}

/** A `toMongoQuery` result as the SDK's `where` argument ($and/$or/$nor → _.and/_.or/_.nor, $in → _.in …). */
export function toSdkWhere(q: MongoQuery, _: Command): unknown {
  const clauses: unknown[] = [];
  const plain: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(q)) {
    if (k === '$and') clauses.push(_.and((v as MongoQuery[]).map((x) => toSdkWhere(x, _))));
    else if (k === '$or') clauses.push(_.or((v as MongoQuery[]).map((x) => toSdkWhere(x, _))));
    else if (k === '$nor') clauses.push(_.nor((v as MongoQuery[]).map((x) => toSdkWhere(x, _))));
    else plain[k] = field(v, _);
  }
  if (clauses.length === 0) return plain;
  if (Object.keys(plain).length) clauses.push(plain);
  return clauses.length === 1 ? clauses[0] : _.and(clauses);
}
