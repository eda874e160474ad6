import type { Dict, Lang } from '../../i18n/index';
import { textIn } from '../../i18n/index';
import { call, type CallOutput } from '../../services/cloud';
import type { MemberView } from '../../services/session';
import { fill, lastValidDay, localDay, localTime } from '../coupons/coupon-text';

/**
 * What the home page shows around the card, read after the card is on screen (launch stays one
 * call): the store the person came through, tier progress, what expires soon, the next booking and
 * products recommended for the member.
 * Each part that fails to load says so in its own place; the card stays.
 */
type Summary = CallOutput<'points', 'summary'>;
type Coupon = CallOutput<'coupons', 'list'>['items'][number];
type Appointment = CallOutput<'appointments', 'mine'>['items'][number];
type Product = CallOutput<'member', 'recommendations'>['products'][number];
export interface ProductCard {
  id: string;
  name: string;
  price: string;
  image: string;
}
export const RECOMMENDED = 4;

export const EXPIRY_WINDOW_DAYS = 7;
const DAY_MS = 86_400_000;

export interface Progress {
  tier: string;
  next: string;
  percent: number;
  message: string;
}
export interface Extras {
  /** False until the reads have answered (the sections say "loading" meanwhile). */
  loaded: boolean;
  store: string;
  progress: Progress | null;
  expiring: string[];
  expiringError: boolean;
  nextBooking: { title: string; when: string; id: string } | null;
  bookingError: boolean;
  progressError: boolean;
  /** "Recommended for you": the member's interests (categories viewed and bought) in products. */
  recommended: ProductCard[];
  recommendedError: boolean;
}

export const NO_EXTRAS: Extras = {
  loaded: false,
  store: '',
  progress: null,
  expiring: [],
  expiringError: false,
  nextBooking: null,
  bookingError: false,
  progressError: false,
  recommended: [],
  recommendedError: false,
};

const yuan = (fen: number) => `¥${(fen / 100).toFixed(2).replace(/\.00$/, '')}`;
export const productCardOf = (p: Product): ProductCard => ({
  id: p.productId,
  name: p.name,
  price: yuan(p.priceFen),
  image: p.imageUrl,
});

/** The store of the last attributed visit (else the first), by its id. */
export const attributedStore = (m: MemberView): string | null =>
  m.attribution?.last?.storeId ?? m.attribution?.first?.storeId ?? null;

export function progressOf(s: Summary, text: Dict, lang: Lang): Progress {
  const ratio = s.nextTier ? s.progress.ratio : 1;
  return {
    tier: textIn(s.tier.name, lang),
    next: s.nextTier ? fill(text.points.nextTier, { name: textIn(s.nextTier.name, lang) }) : text.points.topTier,
    percent: Math.round(Math.min(1, Math.max(0, ratio)) * 100),
    message: textIn(s.progress.message, lang),
  };
}

/** Points and coupons that expire within the window, soonest first. */
export function expiringOf(s: Summary | null, coupons: Coupon[], now: number, text: Dict, lang: Lang): string[] {
  const lines: { at: number; line: string }[] = [];
  if (s && s.expiringSoon.total > 0 && s.expiringSoon.earliest) {
    lines.push({
      at: Date.parse(s.expiringSoon.earliest),
      line: fill(text.home.pointsExpiring, { n: s.expiringSoon.total, date: localDay(s.expiringSoon.earliest) }),
    });
  }
  for (const c of coupons) {
    const until = Date.parse(c.validUntil);
    if (c.status === 'available' && until > now && until - now <= EXPIRY_WINDOW_DAYS * DAY_MS) {
      lines.push({
        at: until,
        line: fill(text.home.couponExpiring, { name: textIn(c.name, lang), date: lastValidDay(c.validUntil) }),
      });
    }
  }
  return lines.sort((a, b) => a.at - b.at).map((l) => l.line);
}

export function bookingOf(a: Appointment | undefined, lang: Lang): Extras['nextBooking'] {
  if (!a) return null;
  return {
    id: a.appointmentId,
    title: `${textIn(a.serviceName, lang)} · ${textIn(a.storeName, lang)}`,
    when: localTime(a.start),
  };
}

const settled = <T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false }> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    () => ({ ok: false as const }),
  );

/** Reads the parts this person has: a visitor only the store; a card holder everything. */
export async function loadExtras(member: MemberView, text: Dict, lang: Lang, now: number): Promise<Extras> {
  const storeId = attributedStore(member);
  const holder = member.state === 'member' && !!member.card;
  const [catalogue, summary, coupons, bookings, picks] = await Promise.all([
    storeId ? settled(call('appointments', 'catalogue', {})) : Promise.resolve(null),
    holder ? settled(call('points', 'summary', {})) : Promise.resolve(null),
    holder ? settled(call('coupons', 'list', { status: 'available' })) : Promise.resolve(null),
    holder ? settled(call('appointments', 'mine', { scope: 'upcoming' })) : Promise.resolve(null),
    holder ? settled(call('member', 'recommendations', { limit: RECOMMENDED })) : Promise.resolve(null),
  ]);
  const store = catalogue?.ok ? catalogue.value.stores.find((s) => s.storeId === storeId) : undefined;
  const s = summary?.ok ? summary.value : null;
  return {
    loaded: true,
    store: store ? fill(text.home.yourStore, { name: textIn(store.name, lang) }) : '',
    progress: s ? progressOf(s, text, lang) : null,
    progressError: summary?.ok === false,
    expiring: holder ? expiringOf(s, coupons?.ok ? coupons.value.items : [], now, text, lang) : [],
    expiringError: summary?.ok === false || coupons?.ok === false,
    nextBooking: bookings?.ok ? bookingOf(bookings.value.items[0], lang) : null,
    bookingError: bookings?.ok === false,
    recommended: picks?.ok ? picks.value.products.map(productCardOf) : [],
    recommendedError: picks?.ok === false,
  };
}
