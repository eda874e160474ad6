import type { Lang } from '../i18n/index';
import { call, type CallOutput } from '../services/cloud';

export { newRequestId } from '../pages/coupons/coupon-text';

/** Helpers the staff pages share. Page text lives beside each page (`text.ts`: `{ zh, en }`). */
export type Staff = NonNullable<CallOutput<'admin', 'staff.me'>['staff']>;

/** A page's own dictionary in the current language. */
export function textOf<T>(texts: { zh: T; en: T }, lang: Lang): T {
  return texts[lang];
}

/** '{n} 人' + { n: 3 } → '3 人'. */
export function fill(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, p: string) => (p in params ? String(params[p]) : whole));
}

/** `wx.showModal` as a promise: true when confirmed. Every staff action that changes data asks first. */
export function ask(content: string, confirmText?: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      content,
      ...(confirmText ? { confirmText } : {}),
      success: (r) => resolve(!!r.confirm),
      fail: () => resolve(false),
    });
  });
}

let cached: Staff | null | undefined;
/** Who the staff member is (role, stores, permissions), asked once per launch; null for non-staff. */
export async function currentStaff(refresh = false): Promise<Staff | null> {
  if (cached === undefined || refresh) cached = (await call('admin', 'staff.me', {})).staff;
  return cached;
}
export const forgetStaff = (): void => {
  cached = undefined;
};

export const can = (staff: Staff | null, permission: string): boolean =>
  !!staff && staff.permissions.includes(permission);

/** Fen → '¥12.30'. */
export const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;
