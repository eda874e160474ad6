import type { Database } from '../runtime/cloud';
import { membersQuery } from '../members/store';
import { REVIEW_FIELDS, type Page } from './due';
import { ordersInRange, type OrderRow } from './order-reads';
import type { LifecycleMember } from './update';
import { SPEND_LADDER_FEN, latestPaidOf, spendReachKey, spendReachOf } from '../../core/segments';

const FIRST_REACH = spendReachKey(SPEND_LADDER_FEN[0]);
const { lifecycle: _whole, ...STAGE_FIELDS } = REVIEW_FIELDS;
/**
 * What the rebuild reads of a member: the review's fields, and of its stored facts what is not
 * derived from its paid orders. Of the digests derived from them (`latestPaid`, `spendReach`), written
 * with them, only the first key of each: about a quarter of a member's values, not sent nor parsed.
 */
const REBUILD_FIELDS = {
  ...STAGE_FIELDS,
  'lifecycle.paidOrders': true,
  'lifecycle.categories': true,
  'lifecycle.channels': true,
  'lifecycle.firstSeenAt': true,
  'lifecycle.firstEngagedAt': true,
  'lifecycle.lastEngagedAt': true,
  'lifecycle.latestPaid.n1': true,
  [`lifecycle.spendReach.${FIRST_REACH}`]: true,
};

const sameTime = (stored: unknown, computed: Date | null | undefined) =>
  stored === computed ||
  (stored instanceof Date && computed instanceof Date && stored.getTime() === computed.getTime());

/**
 * Members a rebuild page holds. Smaller than a read may return (RECOMPUTE_PAGE): a page and its
 * orders are garbage before the young generation is collected twice, so they are never moved to the
 * old one, which otherwise fills with the documents of past pages (the instance's memory grew with
 * its run) and costs a full collection to empty.
 */
export const REBUILD_PAGE = 250;

/**
 * The member's digests as its stored paid orders give them, where the first key read agrees: a member
 * whose digests were never written (stored before they existed) or disagree keeps what was read,
 * which differs from what the rebuild computes, so the rebuild writes them.
 */
function withDigests(m: LifecycleMember): LifecycleMember {
  const lc = m.lifecycle;
  if (!lc) return m;
  const latestPaid = latestPaidOf(lc.paidOrders);
  const spendReach = spendReachOf(lc.paidOrders);
  if (sameTime(lc.latestPaid?.n1, latestPaid.n1) && sameTime(lc.spendReach?.[FIRST_REACH], spendReach[FIRST_REACH]))
    Object.assign(lc, { latestPaid, spendReach });
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
 * Every member after `after` (up to `upTo`, inclusive, when given), a page of REBUILD_PAGE by `_id`
 * with its orders (read by `memberId` range, not by a list of ids). The next page is read while the
 * caller works on this one, so the database and the computation overlap; a caller that stops leaves
 * at most that one read unused.
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
