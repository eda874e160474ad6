import type { Dict } from '../i18n/index';
import { call, type CallOutput } from '../services/cloud';
import { fill, localTime } from '../pages/coupons/coupon-text';

/** The order pages' shared pieces: rows as shown, and the orders already read (the detail opens from the list without a call). */
export type Order = CallOutput<'orders', 'mine'>['items'][number];

export interface OrderRow {
  orderId: string;
  title: string;
  status: string;
  refundedStatus: boolean;
  when: string;
  summary: string;
  paid: string;
  points: string;
}

export interface OrderDetail extends OrderRow {
  orderNo: string;
  total: string;
  refunded: string;
  items: { key: string; name: string; line: string }[];
  refunds: { key: string; name: string; amount: string; when: string }[];
  earned: string;
  reversed: string;
  hasPoints: boolean;
}

export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

const read = new Map<string, Order>();
export const remember = (orders: Order[]): void => orders.forEach((o) => read.set(o.orderId, o));
export const remembered = (orderId: string): Order | undefined => read.get(orderId);

/** Pages of `orders.mine` until the order is found (a detail page opened on its own); at most `maxPages`. */
export async function findOrder(orderId: string, maxPages = 5): Promise<Order | undefined> {
  for (let page = 1; page <= maxPages; page++) {
    const r = await call('orders', 'mine', { page });
    remember(r.items);
    const found = r.items.find((o) => o.orderId === orderId);
    if (found || !r.hasMore) return found;
  }
  return undefined;
}

const nameOf = (i: Order['items'][number]): string => i.name || i.sku;

export function orderRow(o: Order, text: Dict): OrderRow {
  const source = text.orderSource[o.source as keyof Dict['orderSource']] ?? o.source;
  const count = o.items.reduce((n, i) => n + i.qty, 0);
  const first = o.items[0];
  const net = o.points.earned + o.points.reversed;
  return {
    orderId: o.orderId,
    title: `${source} · ${first ? nameOf(first) : fill(text.orders.orderNo, { no: o.orderNo })}`,
    status: text.orderStatus[o.status],
    refundedStatus: o.status === 'refunded' || o.status === 'partially_refunded',
    when: localTime(o.createdAt),
    summary: fill(text.orders.itemCount, { n: count }),
    paid: yuan(o.paidFen || o.totalFen),
    points: net !== 0 ? `${net > 0 ? '+' : ''}${net}` : '',
  };
}

export function orderDetail(o: Order, text: Dict): OrderDetail {
  return {
    ...orderRow(o, text),
    orderNo: fill(text.orders.orderNo, { no: o.orderNo }),
    when: fill(text.orders.placedAt, { time: localTime(o.createdAt) }),
    total: yuan(o.totalFen),
    paid: yuan(o.paidFen),
    refunded: o.refundedFen > 0 ? `-${yuan(o.refundedFen)}` : '',
    items: o.items.map((i, k) => ({
      key: `${k}`,
      name: nameOf(i),
      line: fill(text.orders.qtyPrice, { qty: i.qty, price: yuan(i.priceFen) }),
    })),
    refunds: o.refunds.map((r) => ({
      key: r.refundNo,
      name: fill(text.orders.refundLine, { no: r.refundNo }),
      amount: `-${yuan(r.amountFen)}`,
      when: r.at ? localTime(r.at) : '',
    })),
    earned: `+${o.points.earned}`,
    reversed: `${o.points.reversed}`,
    hasPoints: o.points.earned !== 0 || o.points.reversed !== 0,
  };
}
