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
    case 'openid':
      return [one('mp_openid', ref.value), one('oa_openid', ref.value)];
    case 'unionid':
      return [one('unionid', ref.value)];
    case 'phone':
      return [one('phone', ref.value)];
    case 'cardNo':
      return [one('card', ref.value)];
    // as the signed link endpoint records them: `external:<source>:<id>`
    case 'externalId':
      return [one('external', `${source}:${ref.value}`)];
  }
}

export const refIdsOf = (o: Pick<StoredOrder, 'source' | 'customer'>): string[] =>
  [...new Set(o.customer.flatMap((r) => identityIdsOf(o.source, r)))].sort();

const EXTRA = new Set(['_id', 'memberId', 'refIds', 'syncedAt', 'attachedAt']);

const DATE_FIELDS = ['createdAt', 'paidAt', 'shippedAt', 'completedAt', 'refundedAt'] as const;
const asDate = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? new Date(v) : v);

/**
 * The StoredOrder inside a stored document (what mergeOrderUpdate folds into), its instants as
 * Dates even where the stored document holds them as text (imported or older documents).
 */
export function storedOrderOf(d: Record<string, unknown>): StoredOrder {
  const o = Object.fromEntries(Object.entries(d).filter(([k]) => !EXTRA.has(k))) as Record<string, unknown>;
  for (const f of DATE_FIELDS) if (o[f] !== undefined) o[f] = asDate(o[f]);
  const version = o.version as { updatedAt?: unknown } | undefined;
  if (version?.updatedAt !== undefined) o.version = { ...version, updatedAt: asDate(version.updatedAt) };
  if (Array.isArray(o.refunds)) {
    o.refunds = o.refunds.map((r: { at?: unknown }) => (r?.at !== undefined ? { ...r, at: asDate(r.at) } : r));
  }
  return o as unknown as StoredOrder;
}
