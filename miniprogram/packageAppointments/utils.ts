import type { Dict, Lang } from '../i18n/index';

/** Small helpers the booking pages share. The brand's zone is Shanghai (UTC+8, no daylight saving). */
export const BRAND_OFFSET_MINUTES = 480;

/** YYYY-MM-DD of an instant in the brand's zone. */
export function localDate(at: Date, offsetMinutes = BRAND_OFFSET_MINUTES): string {
  return new Date(at.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}

/** 'MM-DD' and the weekday, for the date strip. */
export function dayLabel(date: string, lang: Lang): { day: string; weekday: string } {
  const names =
    lang === 'zh'
      ? ['周日', '周一', '周二', '周三', '周四', '周五', '周六']
      : ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return { day: date.slice(5), weekday: names[new Date(`${date}T00:00:00Z`).getUTCDay()] ?? '' };
}

export { nameIn, statusText } from '../utils/appointment-text';

export const fill = (template: string, params: Record<string, string | number>): string =>
  template.replace(/\{(\w+)\}/g, (whole, p: string) => (p in params ? String(params[p]) : whole));

export function priceText(price: { kind: 'free' } | { kind: 'paid'; amountFen: number }, text: Dict): string {
  return price.kind === 'free'
    ? text.booking.free
    : fill(text.booking.price, { yuan: (price.amountFen / 100).toFixed(price.amountFen % 100 ? 2 : 0) });
}

/** A key for one booking attempt: a retried tap sends the same key and is booked once. */
export const newRequestId = (): string => `bk${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;

/** `wx.showModal` as a promise: true when confirmed. */
export function ask(content: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({ content, success: (r) => resolve(!!r.confirm), fail: () => resolve(false) });
  });
}

export type SubscribeAnswer = 'accept' | 'reject' | 'ban' | 'filter';

/** Asks for the reminder subscription (must run inside a tap); null when the platform refused to ask. */
export function askSubscription(templateId: string): Promise<SubscribeAnswer | null> {
  return new Promise((resolve) => {
    if (typeof wx.requestSubscribeMessage !== 'function') return resolve(null);
    wx.requestSubscribeMessage({
      tmplIds: [templateId],
      success: (r) => {
        const v = (r as unknown as Record<string, unknown>)[templateId];
        resolve(v === 'accept' || v === 'reject' || v === 'ban' || v === 'filter' ? v : null);
      },
      fail: () => resolve(null),
    });
  });
}
