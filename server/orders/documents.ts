import type { IdentityRef, StoredOrder } from '../../core/orders';
import { identityId, type IdentityType } from '../members/documents';

/** An order as stored in `orders`, `_id` = `${source}:${orderNo}`. */
export interface OrderDoc extends StoredOrder {
  _id: string;
  /** The member it belongs to; null while its customer is not known yet. */
  memberId: string | null;
  /** Identity ids (`phone:138…`) its customer refs stand for: how an unattached order is found when one appears. */
  refIds: string[];
  syncedAt: Date;
  attachedAt?: Date;
}

export const orderIdOf = (source: string, orderNo: string): string => `${source}:${orderNo}`;

/** The identities an order's customer ref may be known by (an OpenID from a source is the Mini Program's or the Official Account's). */
export function identityIdsOf(source: string, ref: IdentityRef): string[] {
  const one = (t: IdentityType, v: string) => identityId(t, v);
  switch (ref.type) {
    case 'openid': return [one('mp_openid', ref.value), one('oa_openid', ref.value)];
    case 'unionid': return [one('unionid', ref.value)];
    case 'phone': return [one('phone', ref.value)];
    case 'cardNo': return [one('card', ref.value)];
    // as the signed link endpoint records them: `external:<source>:<id>`
    case 'externalId': return [one('external', `${source}:${ref.value}`)];
  }
}

export const refIdsOf = (o: Pick<StoredOrder, 'source' | 'customer'>): string[] => [...new Set(o.customer.flatMap((r) => identityIdsOf(o.source, r)))].sort();

const EXTRA = new Set(['_id', 'memberId', 'refIds', 'syncedAt', 'attachedAt']);

/** The StoredOrder inside a stored document (what mergeOrderUpdate folds into). */
export function storedOrderOf(d: Record<string, unknown>): StoredOrder {
  return Object.fromEntries(Object.entries(d).filter(([k]) => !EXTRA.has(k))) as unknown as StoredOrder;
}

