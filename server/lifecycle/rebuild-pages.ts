import type { Database } from '../runtime/cloud';
import { membersQuery } from '../members/store';
import { REVIEW_FIELDS, type Page } from './due';
import { ordersInRange, type OrderRow } from './order-reads';
import type { LifecycleMember } from './update';
import { latestPaidOf, spendReachOf } from '../../core/segments';

const { lifecycle: _whole, ...STAGE_FIELDS } = REVIEW_FIELDS;
/**
 * What the rebuild reads of a member: the review's fields, and of its stored facts what is not
 * derived from its paid orders. The derived digests (`latestPaid`, `spendReach`) are taken to agree
 * with the paid orders they are written with (every write of the facts writes them from those):
 * about a quarter of a member's values, not sent nor parsed.
 */
const REBUILD_FIELDS = {
  ...STAGE_FIELDS,
  'lifecycle.paidOrders': true,
  'lifecycle.categories': true,
  'lifecycle.channels': true,
  'lifecycle.firstSeenAt': true,
  'lifecycle.firstEngagedAt': true,
  'lifecycle.lastEngagedAt': true,
};

/**
 * Members a rebuild page holds. Smaller than a read may return (RECOMPUTE_PAGE): a page and its
 * orders are garbage before the young generation is collected twice, so they are never moved to the
 * old one, which otherwise fills with the documents of past pages (the instance's memory grew with
 * its run) and costs a full collection to empty.
 */
export const REBUILD_PAGE = 250;

function withDigests(m: LifecycleMember): LifecycleMember {
  const lc = m.lifecycle;
  if (lc) Object.assign(lc, { latestPaid: latestPaidOf(lc.paidOrders), spendReach: spendReachOf(lc.paidOrders) });
  return m;
}

export interface RebuildPage {
  members: LifecycleMember[];
  /** the orders of the page's members, by member id */
  orders: Map<string, OrderRow[]>;
}

async function readPage(db: Database, after: string, upTo: string | undefined): Promise<RebuildPage> {
  const _ = db.command;
  const page = (await membersQuery(db)
    .where({ _id: upTo === undefined ? _.gt(after) : _.gt(after).and(_.lte(upTo)) })
    .orderBy('_id', 'asc')
    .field(REBUILD_FIELDS)
    .limit(REBUILD_PAGE)
    .get()) as unknown as Page;
  page.data.forEach(withDigests);
  const last = page.data[page.data.length - 1]?._id;
  return { members: page.data, orders: last ? await ordersInRange(db, after, last) : new Map() };
}

/**
 * Every member after `after` (up to `upTo`, inclusive, when given), a page of REBUILD_PAGE by `_id` with its orders (read by `memberId`
 * range, not by a list of ids). The next page is read while the caller works on this one, so the
 * database and the computation overlap; a caller that stops leaves at most that one read unused.
 */
export async function* rebuildPages(db: Database, after: string, upTo?: string): AsyncGenerator<RebuildPage> {
  let next = readPage(db, after, upTo);
  for (;;) {
    const page = await next;
    const last = page.members[page.members.length - 1]?._id;
    const more = page.members.length === REBUILD_PAGE && last !== undefined;
    if (more) {
      next = readPage(db, last, upTo);
      // a failure surfaces when the page is asked for; unasked (the caller stopped), it is moot
      next.catch(() => undefined);
    }
    yield page;
    if (!more) return;
  }
}
