import type { Database } from '../runtime/cloud';
import type { StoredOrder } from '../../core/orders';
import { eachLimited } from '../kit/each-limited';
import { RECOMPUTE_PAGE } from './due';

/**
 * The fields of an order the lifecycle rebuilds facts from; its `_id` is its key (`orderIdOf(source, orderNo)`),
 * of its lines only their categories.
 */
export type OrderRow = { _id: string; memberId: string | null; items?: { category: string }[] } & Pick<
  StoredOrder,
  'source' | 'createdAt' | 'paid' | 'paidAt' | 'paidFen' | 'refundedFen'
>;

const ORDER_FIELDS = {
  memberId: true,
  source: true,
  createdAt: true,
  paid: true,
  paidAt: true,
  paidFen: true,
  refundedFen: true,
  'items.category': true,
};
/** Members whose orders one read asks for: their orders mostly fit in one read of RECOMPUTE_PAGE. */
const ORDER_CHUNK = 100;
const ORDER_READS = 4;

type Rows = { data: OrderRow[] };

const grouped = () => {
  const byMember = new Map<string, OrderRow[]>();
  const add = (o: OrderRow) => {
    const list = byMember.get(o.memberId as string);
    if (list) list.push(o);
    else byMember.set(o.memberId as string, [o]);
  };
  return { byMember, add };
};

/** The orders of a few members, a page at a time by `_id` (members with more orders than one read returns). */
async function ordersPaged(db: Database, memberIds: string[], add: (o: OrderRow) => void): Promise<void> {
  const _ = db.command;
  for (let after = ''; ;) {
    const r = (await db
      .collection('orders')
      .where({ memberId: memberIds.length === 1 ? memberIds[0] : _.in(memberIds), _id: _.gt(after) })
      .orderBy('_id', 'asc')
      .field(ORDER_FIELDS)
      .limit(RECOMPUTE_PAGE)
      .get()) as unknown as Rows;
    r.data.forEach(add);
    if (r.data.length < RECOMPUTE_PAGE) return;
    after = r.data[r.data.length - 1]!._id;
  }
}

/** The stored orders of some members: one unordered read per ORDER_CHUNK members, each order read once. */
export async function ordersOf(db: Database, memberIds: string[]): Promise<Map<string, OrderRow[]>> {
  const _ = db.command;
  const { byMember, add } = grouped();
  const chunks: string[][] = [];
  for (let i = 0; i < memberIds.length; i += ORDER_CHUNK) chunks.push(memberIds.slice(i, i + ORDER_CHUNK));
  await eachLimited(chunks, ORDER_READS, async (chunk) => {
    const r = (await db
      .collection('orders')
      .where({ memberId: _.in(chunk) })
      .field(ORDER_FIELDS)
      .limit(RECOMPUTE_PAGE)
      .get()) as unknown as Rows;
    if (r.data.length < RECOMPUTE_PAGE) r.data.forEach(add);
    else await ordersPaged(db, chunk, add);
  });
  return byMember;
}

/**
 * The orders of the members whose ids lie in (after, last], read in `memberId` order from the
 * `memberId_createdAt` index, RECOMPUTE_PAGE at a time: a full read leaves out its last member (its
 * orders may go on in the next read, which starts at that member); a read that holds one member
 * only goes on with that member's orders by `_id`. About one read per RECOMPUTE_PAGE orders.
 */
export async function ordersInRange(db: Database, after: string, last: string): Promise<Map<string, OrderRow[]>> {
  const _ = db.command;
  const { byMember, add } = grouped();
  for (let from = _.gt(after); ;) {
    const r = (await db
      .collection('orders')
      .where({ memberId: from.and(_.lte(last)) })
      .orderBy('memberId', 'asc')
      .field(ORDER_FIELDS)
      .limit(RECOMPUTE_PAGE)
      .get()) as unknown as Rows;
    const rows = r.data;
    if (rows.length < RECOMPUTE_PAGE) {
      rows.forEach(add);
      return byMember;
    }
    const tail = rows[rows.length - 1]!.memberId as string;
    if (rows[0]!.memberId === tail) {
      await ordersPaged(db, [tail], add);
      from = _.gt(tail);
      continue;
    }
    for (const o of rows) if (o.memberId !== tail) add(o);
    from = _.gte(tail);
  }
}
