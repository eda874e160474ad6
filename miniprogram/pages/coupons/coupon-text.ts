import type { Dict, Lang } from '../../i18n/index';
import { textIn } from '../../i18n/index';
import type { CallOutput } from '../../services/cloud';

/** Coupon wording shared by the wallet (main package) and the member subpackage (which may import main-package files). */
export type CouponView = CallOutput<'coupons', 'list'>['items'][number];
export type Benefit = CouponView['benefit'];
export type CouponStatus = CouponView['status'];

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

export const fill = (template: string, params: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, p: string) => (p in params ? String(params[p]) : whole));

/** YYYY-MM-DD of an instant in the brand's zone (Shanghai, no daylight saving). */
export function localDay(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYY-MM-DD HH:mm in the brand's zone. */
export function localTime(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? '' : new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** `validUntil` is exclusive: the last usable day is the one before that instant. */
export const lastValidDay = (validUntil: string): string =>
  localDay(new Date(Date.parse(validUntil) - 1).toISOString());

export const yuan = (fen: number): string => (fen / 100).toFixed(fen % 100 ? 2 : 0);

export { textIn };

/** 10 (% off) → '9' (折); 15 → '8.5'. */
const zheRate = (percent: number): string => String(Math.round(100 - percent) / 10);

export function benefitText(b: Benefit, text: Dict, lang: Lang): string {
  switch (b.kind) {
    case 'amountOff':
      return fill(text.coupon.amountOff, { yuan: yuan(b.amountFen) });
    case 'percentOff': {
      const main = fill(text.coupon.percentOff, { rate: zheRate(b.percent), percent: b.percent });
      return b.maxDiscountFen ? `${main} · ${fill(text.coupon.maxDiscount, { yuan: yuan(b.maxDiscountFen) })}` : main;
    }
    case 'gift':
      return fill(text.coupon.gift, { gift: textIn(b.gift, lang) });
  }
}

export const minSpendText = (fen: number, text: Dict): string =>
  fen > 0 ? fill(text.coupon.minSpend, { yuan: yuan(fen) }) : text.coupon.noMinimum;

const STATUS_KEYS = { available: 'statusAvailable', used: 'statusUsed', expired: 'statusExpired' } as const;
export const statusText = (status: CouponStatus, text: Dict): string => text.coupon[STATUS_KEYS[status]];

/** One wallet row as the templates show it. */
export interface CouponRow {
  couponId: string;
  name: string;
  benefit: string;
  minSpend: string;
  when: string;
  status: CouponStatus;
}

export function couponRow(c: CouponView, text: Dict, lang: Lang): CouponRow {
  return {
    couponId: c.couponId,
    name: textIn(c.name, lang),
    benefit: benefitText(c.benefit, text, lang),
    minSpend: minSpendText(c.minSpendFen, text),
    when:
      c.status === 'used' && c.usedAt
        ? fill(text.wallet.usedAt, { date: localDay(c.usedAt) })
        : fill(text.wallet.validUntil, { date: lastValidDay(c.validUntil) }),
    status: c.status,
  };
}

/** A key for one intended claim or exchange (contract: 8–64 of A-Z a-z 0-9 _ -); a retry of the same intent reuses it. */
export const newRequestId = (prefix: string): string =>
  `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10).padEnd(8, '0')}`;
