import { Context, evalExpr } from 'mingo/core';
import { Query } from 'mingo/query';
import * as accumulator from 'mingo/operators/accumulator';
import { $push as mingoPush } from 'mingo/operators/accumulator';
import * as expression from 'mingo/operators/expression';
import * as pipeline from 'mingo/operators/pipeline';
import * as projection from 'mingo/operators/projection';
import * as query from 'mingo/operators/query';
import * as window from 'mingo/operators/window';
import { $substr as mingoSubstr, $substrBytes as mingoSubstrBytes } from 'mingo/operators/expression/string';
import type { Any, AnyObject, Options } from 'mingo/types';

/**
 * Where mingo 7.2.7 answers differently from the MongoDB behind CloudBase, the emulator's own
 * operators (docs/emulator-conformance.md lists the upstream cases that show each one).
 */

const isPlainObject = (v: unknown): v is AnyObject =>
  !!v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date) && !(v instanceof RegExp);

const onlyOperators = (criteria: AnyObject) =>
  Object.keys(criteria).every((k) => k.startsWith('$') && !['$and', '$or', '$nor'].includes(k));

/**
 * `$elemMatch` with field conditions (`{ value: { $gt: 0 } }`) matches only elements that are
 * documents; mingo also tried plain values. Conditions on the element itself (`{ $gt: 0 }`) test each value.
 */
function $elemMatch(selector: string, criteria: AnyObject, options: Options) {
  const operatorsOnly = onlyOperators(criteria);
  const q = new Query(operatorsOnly ? { v: criteria } : criteria, options);
  const elementMatches = (e: unknown) => (operatorsOnly ? q.test({ v: e }) : isPlainObject(e) && q.test(e));
  return (doc: AnyObject) => {
    const arrays = valuesAt(doc, selector.split('.'));
    return arrays.some((a) => Array.isArray(a) && a.some(elementMatches));
  };
}

/** The values a dotted path reaches, descending through arrays of documents as Mongo does. */
function valuesAt(value: unknown, parts: string[]): unknown[] {
  if (parts.length === 0) return [value];
  if (Array.isArray(value)) {
    const [head, ...rest] = parts;
    if (/^\d+$/.test(head!)) return valuesAt(value[Number(head)], rest);
    return value.flatMap((e) => (isPlainObject(e) ? valuesAt(e, parts) : []));
  }
  if (!isPlainObject(value)) return [];
  const [head, ...rest] = parts;
  return valuesAt(value[head!], rest);
}

/** A negative count in `$substr` / `$substrBytes` means "to the end of the string" (MongoDB). */
type ExpressionOp = (obj: AnyObject, expr: Any, options: Options) => Any;
const substrToEnd =
  (mingoOp: ExpressionOp): ExpressionOp =>
  (obj, expr, options) => {
    if (!Array.isArray(expr) || expr.length !== 3) return mingoOp(obj, expr, options);
    const [s, index, count] = evalExpr(obj, expr, options) as [unknown, unknown, unknown];
    if (typeof count === 'number' && count < 0 && typeof s === 'string' && typeof index === 'number') {
      return Buffer.from(s).subarray(index).toString();
    }
    return mingoOp(obj, expr, options);
  };

/** `$indexOfCP`: the code-point index of a substring, -1 when absent, null for a missing string. */
function $indexOfCP(obj: AnyObject, expr: Any, options: Options): Any {
  const [s, search, start = 0, end] = evalExpr(obj, expr, options) as [unknown, string, number, number?];
  if (s === null || s === undefined) return null;
  const points = [...String(s)];
  const stop = end ?? points.length;
  for (let i = start; i + [...search].length <= stop; i++) {
    if (points.slice(i, i + [...search].length).join('') === search) return i;
  }
  return -1;
}

/** `$week`: weeks begin on Sunday; days before the year's first Sunday are week 0 (MongoDB, not ISO). */
function $week(obj: AnyObject, expr: Any, options: Options): Any {
  const dayOfYear = evalExpr(obj, { $dayOfYear: expr }, options) as number | null;
  const dayOfWeek = evalExpr(obj, { $dayOfWeek: expr }, options) as number | null;
  if (dayOfYear === null || dayOfWeek === null) return null;
  return Math.floor((dayOfYear - dayOfWeek + 6) / 7);
}

/**
 * `$push` and `$addToSet` in `$group` leave out documents where the value is missing (MongoDB);
 * mingo added null for them. A null mingo gives back is kept only when the document holds a null.
 */
function $push(coll: AnyObject[], expr: Any, options: Options): Any[] {
  const values = mingoPush(coll, expr, options) as Any[];
  const at = (root: AnyObject) => (options as Options & { update?(o: object): Options }).update?.({ root }) ?? options;
  return values.filter((v, i) => v !== null || evalExpr(coll[i]!, expr, at(coll[i]!)) !== undefined);
}

function $addToSet(coll: AnyObject[], expr: Any, options: Options): Any[] {
  const seen = new Set<string>();
  return $push(coll, expr, options).filter((v) => {
    const key = JSON.stringify(v);
    return !seen.has(key) && !!seen.add(key);
  });
}

const overrides = { $substr: substrToEnd(mingoSubstr), $substrBytes: substrToEnd(mingoSubstrBytes), $indexOfCP, $week };

/** mingo's operators with the emulator's in place of its own (for the classes of mingo/query and mingo/aggregator). */
export const emulatorContext = Context.init({
  accumulator: { ...accumulator, $push, $addToSet } as never,
  expression: { ...expression, ...overrides } as never,
  pipeline,
  projection,
  query: { ...query, $elemMatch } as never,
  window,
});
