import { textIn, type Lang } from '../i18n/index';
import { call, ServiceError, type CallOutput } from '../services/cloud';
import { errorText } from '../utils/view-state';
import { fill } from '../pages/coupons/coupon-text';
import { unanswered } from '../utils/requests';

export { fill, newRequestId } from '../pages/coupons/coupon-text';
export { ask, requestIdFor, settleRequestId } from '../utils/requests';

/** Helpers the staff pages share. Page text lives beside each page (`text.ts`: `{ zh, en }`). */
export type Staff = NonNullable<CallOutput<'admin', 'staff.me'>['staff']>;

/** A page's own dictionary in the current language. */
export function textOf<T>(texts: { zh: T; en: T }, lang: Lang): T {
  return texts[lang];
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

/** A staff action's refusal worded with the server's message and code; a call without an answer as such. */
export const refusal = (err: unknown, template: string): string =>
  err instanceof ServiceError && !unanswered(err)
    ? fill(template, { message: errorText(err), code: err.code })
    : errorText(err);

/** A store a staff member may pick, named in the page's language. */
export interface StoreChip {
  storeId: string;
  name: string;
}

/**
 * Who is asking and the stores they may pick (a brand admin has no store list of their own: every
 * store offering services), keeping `current` when it is among them, else the first; null for someone
 * who is not staff.
 */
export async function staffStores(
  lang: Lang,
  current: string,
): Promise<{ staff: Staff; stores: StoreChip[]; storeId: string } | null> {
  const [staff, cat] = await Promise.all([currentStaff(), call('appointments', 'catalogue', {})]);
  if (!staff) return null;
  const named = new Map(cat.stores.map((s) => [s.storeId, textIn(s.name, lang)]));
  const ids = staff.storeIds.length ? staff.storeIds : cat.stores.map((s) => s.storeId);
  const stores = ids.map((storeId) => ({ storeId, name: named.get(storeId) ?? storeId }));
  return { staff, stores, storeId: ids.includes(current) ? current : (ids[0] ?? '') };
}
