import type { Lang } from '../../../i18n/index';
import { call } from '../../../services/cloud';
import type { Staff } from '../../utils';

export interface StoreChoice {
  storeId: string;
  name: string;
}

/**
 * The stores a staff member acts for, named: their own stores, or every store for a brand admin
 * (whose `storeIds` is empty). Names come from the booking catalogue; when it cannot be read, a
 * store-scoped person still gets their store ids, while an admin (who has no ids) gets the error.
 */
export async function storesOf(staff: Staff, lang: Lang): Promise<StoreChoice[]> {
  let stores: { storeId: string; name: { zh: string; en?: string } }[];
  try {
    stores = (await call('appointments', 'catalogue', {})).stores;
  } catch (err) {
    if (staff.storeIds.length === 0) throw err;
    stores = [];
  }
  const names = new Map(stores.map((s) => [s.storeId, lang === 'en' && s.name.en ? s.name.en : s.name.zh]));
  const ids = staff.storeIds.length ? staff.storeIds : stores.map((s) => s.storeId);
  return ids.map((storeId) => ({ storeId, name: names.get(storeId) ?? storeId }));
}
