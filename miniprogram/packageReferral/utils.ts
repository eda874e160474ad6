import type { CallOutput } from '../services/cloud';
import { fill, yuan } from '../pages/coupons/coupon-text';

/** Helpers both referral pages share. Page text lives beside each page (`text.ts`: `{ zh, en }`). */
export type Landing = CallOutput<'referral', 'landing'>;
export type Offer = NonNullable<Landing['offer']>;

export { fill };

export interface OfferWords {
  /** '{yuan} 元券' */
  amount: string;
  /** '满 {yuan} 元可用' */
  minSpend: string;
  noMinimum: string;
}

/** '20 元券'; a gift or percentage voucher is named by its template. */
export const offerName = (offer: Offer | null, words: OfferWords): string =>
  !offer ? '' : offer.amountFen ? fill(words.amount, { yuan: yuan(offer.amountFen) }) : offer.name;

/** '20 元券 · 满 100 元可用'. */
export function offerText(offer: Offer | null, words: OfferWords): string {
  if (!offer) return '';
  const what = offerName(offer, words);
  const min = offer.minSpendFen ? fill(words.minSpend, { yuan: yuan(offer.minSpendFen) }) : words.noMinimum;
  return `${what} · ${min}`;
}

/** The token a landing page was opened with: `ref` from a share card, or a poster code's URL-encoded `scene`. */
export function tokenFrom(options: Record<string, string | undefined> = {}): string {
  const raw = options.ref ?? options.scene ?? '';
  let token = raw;
  try {
    token = decodeURIComponent(raw);
  } catch {
    // a malformed escape: the server will call it invalid
  }
  return token.trim().slice(0, 128);
}

/** The link a share card opens: the landing page with the signed token. */
