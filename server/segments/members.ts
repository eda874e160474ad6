import { membersQuery } from '../members/store';
import {
  FACT_FIELDS,
  factsOfMember,
  matches,
  needsMemberCheck,
  type SegmentRule,
  type StoredMember,
} from '../../core/segments';
import type { Database } from '../runtime/cloud';
import { segmentWhere } from './where';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

/** The most documents one read returns (the server SDK's limit). */
const READ = 1000;
const FIELDS = Object.fromEntries([...FACT_FIELDS, 'name', 'nickname'].map((f) => [f, true]));

export type SegmentMember = StoredMember & { _id: string; name?: string; nickname?: string };

/**
 * One page of a segment's members in `_id` order after `after`: the database query, and where the
 * rule has parts the query only narrows down (spend and orders in a window), each candidate checked
 * with `matches`. `next` is the last `_id` read (the cursor to go on from), null at the end.
 */
export async function segmentPage(
  db: Database,
  rule: SegmentRule,
  now: Date,
  tz: string,
  after: string | null,
  limit: number,
): Promise<{ members: SegmentMember[]; next: string | null }> {
  const d = db as AnyDb;
  const _ = d.command;
  const base = segmentWhere(db, rule, now, tz);
  const check = needsMemberCheck(rule);
  const members: SegmentMember[] = [];
  let cursor = after;
  for (;;) {
    const where = cursor ? _.and([base, { _id: _.gt(cursor) }]) : base;
    const want = check ? READ : limit - members.length;
    const r = (await membersQuery(d).where(where).orderBy('_id', 'asc').limit(want).field(FIELDS).get()) as {
      data: SegmentMember[];
    };
    for (const m of r.data) {
      cursor = m._id;
      if (check && !matches(rule, factsOfMember(m), now, tz)) continue;
      members.push(m);
      if (members.length === limit) return { members, next: cursor };
    }
    if (r.data.length < want) return { members, next: null };
  }
}

/**
 * The first `n` members of the segment by `_id`: the database combines the rule's indexed parts and
 * stops after `n` (parts checked with `matches` where the rule needs it).
 */
export async function segmentSample(
  db: Database,
  rule: SegmentRule,
  now: Date,
  tz: string,
  n: number,
): Promise<SegmentMember[]> {
  return (await segmentPage(db, rule, now, tz, null, n)).members;
}

/** How many members the segment holds now: one count, or a pass over the candidates where members need checking. */
export async function countSegment(db: Database, rule: SegmentRule, now: Date, tz: string): Promise<number> {
  if (!needsMemberCheck(rule)) {
    return (
      (await membersQuery(db)
        .where(segmentWhere(db, rule, now, tz) as object)
        .count()) as { total: number }
    ).total;
  }
  let total = 0;
  let after: string | null = null;
  do {
    const page: { members: SegmentMember[]; next: string | null } = await segmentPage(
      db,
      rule,
      now,
      tz,
      after,
      10 * READ,
    );
    total += page.members.length;
    after = page.next;
  } while (after);
  return total;
}
