import type { MemberFacts } from './rule';

/**
 * The member document as the product writes it, for the fields segments read: the Official Account
 * callback sets `oaFollowing`, claiming the card sets `state` and `cardNo`, each order (and refund)
 * rewrites `ltvFen` and `lifecycle.paidOrders`, login keeps `attribution`, the profile `birthday`.
 */
export interface StoredMember {
  tags?: readonly { tagId: string }[] | null;
  stage?: string | null;
  tier?: string | null;
  language?: string | null;
  attribution?: { first?: { storeId?: string | null } | null; last?: { storeId?: string | null } | null } | null;
  ltvFen?: number | null;
  lifecycle?: { paidOrders?: readonly { paidAt: Date | string }[] | null } | null;
  birthday?: string | null;
  oaFollowing?: boolean | null;
  state?: string | null;
  cardNo?: string | null;
}

/** Where each fact is kept on the member document; `toMongoQuery` queries these paths. */
export const FACT_PATHS = {
  tags: 'tags.tagId',
  storeFirst: 'attribution.first.storeId',
  storeLast: 'attribution.last.storeId',
  spendFen: 'ltvFen',
  paidAt: 'lifecycle.paidOrders.paidAt',
  birthday: 'birthday',
  follower: 'oaFollowing',
} as const;

const BIRTH_MONTH = /(?:^|-)(\d{2})-\d{2}$/;

function latest(orders: readonly { paidAt: Date | string }[] | null | undefined): Date | null {
  let max: number | null = null;
  for (const o of orders ?? []) {
    const t = new Date(o.paidAt).getTime();
    if (!Number.isNaN(t) && (max === null || t > max)) max = t;
  }
  return max === null ? null : new Date(max);
}

/** A member document's segment facts (what `matches` evaluates), read from the fields the product writes. */
export function factsOfMember(m: StoredMember): MemberFacts {
  const month = typeof m.birthday === 'string' ? BIRTH_MONTH.exec(m.birthday)?.[1] : undefined;
  return {
    tags: m.tags ?? null,
    stage: m.stage ?? null,
    tier: m.tier ?? null,
    language: m.language ?? null,
    storeId: m.attribution?.first?.storeId ?? m.attribution?.last?.storeId ?? null,
    spendFen: typeof m.ltvFen === 'number' ? m.ltvFen : null,
    lastPaidAt: latest(m.lifecycle?.paidOrders),
    birthdayMonth: month ? Number(month) : null,
    isFollower: m.oaFollowing === true,
    isMember: m.state === 'member' || m.cardNo != null,
  };
}
