import type { CallOutput } from '../../../services/cloud';
import { localDay, localTime } from '../../../pages/coupons/coupon-text';
import { fill, yuan } from '../../utils';
import type { MemberText } from './text';

export type Portrait = CallOutput<'admin', 'members.lookup'>['members'][number];

/** One member as the page shows it: every field already in words. */
export interface Shown {
  memberId: string;
  name: string;
  phone: string;
  card: string;
  stage: string;
  tier: string;
  points: number;
  ltv: string;
  tags: string[];
  orders: { id: string; amount: string; status: string; at: string }[];
  appointments: { id: string; status: string; start: string; store: string }[];
}

/** 13800001234 → 138****1234: staff see enough to confirm who it is, not the whole number. */
export const maskPhone = (phone: string | null): string =>
  phone && phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : (phone ?? '');

const word = (map: Record<string, string>, key: string | null, t: MemberText): string =>
  key ? (map[key] ?? key) : t.unknown;

export function shown(p: Portrait, t: MemberText): Shown {
  return {
    memberId: p.memberId,
    name: p.name || t.nameless,
    phone: maskPhone(p.phone),
    card: p.cardNo ? fill(t.cardNo, { cardNo: p.cardNo }) : t.noCard,
    stage: word(t.stages, p.stage, t),
    tier: word(t.tiers, p.tier, t),
    points: p.points,
    ltv: yuan(p.ltvFen),
    tags: p.tags.map((x) => x.tagId),
    orders: p.orders.map((o) => ({
      id: o.orderId,
      amount: o.amountFen === null ? t.unknown : yuan(o.amountFen),
      status: word(t.orderStatus, o.status, t),
      at: o.at ? localDay(o.at) : t.unknown,
    })),
    appointments: p.appointments.map((a) => ({
      id: a.appointmentId,
      status: word(t.appointmentStatus, a.status, t),
      start: a.start ? localTime(a.start) : t.unknown,
      store: a.storeId ?? t.unknown,
    })),
  };
}

/** '+100' / '-50' / ' 12 ' → the integer; 0, decimals, text or beyond ±1,000,000 → null. */
export function deltaOf(input: string): number | null {
  const s = input.trim();
  if (!/^[+-]?\d{1,7}$/.test(s)) return null;
  const n = Number(s);
  return n === 0 || Math.abs(n) > 1_000_000 ? null : n;
}

export const signed = (n: number): string => (n > 0 ? `+${n}` : String(n));
