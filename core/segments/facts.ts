import type { LatestPaid } from './window';
import { birthMonthOf } from './birthday';
import type { MemberFacts, WindowOrder } from './rule';

interface StoredTouch {
  storeId?: string | null;
  advisorId?: string | null;
  campaign?: string | null;
  via?: string | null;
}

/**
 * The member document as the product writes it, for the fields segments read: the Official Account
 * callback sets `oaFollowing`, claiming the card sets `state` and `cardNo`, each order (and refund)
 * rewrites `ltvFen`, `rfm`, `ltvForecastFen` and `lifecycle` (paid orders, categories, channels), login keeps
 * `attribution` and `lastSeenAt`, the profile `birthday` and `consents`.
 */
export interface StoredMember {
  tags?: readonly { tagId: string }[] | null;
  rfm?: { r?: number | null; f?: number | null; m?: number | null } | null;
  ltvForecastFen?: number | null;
  consents?: { marketingOptIn?: boolean | null } | null;
  lastSeenAt?: Date | string | null;
  stage?: string | null;
  tier?: string | null;
  language?: string | null;
  attribution?: { first?: StoredTouch | null; last?: StoredTouch | null } | null;
  ltvFen?: number | null;
  lifecycle?: {
    paidOrders?: readonly WindowOrder[] | null;
    categories?: readonly string[] | null;
    channels?: readonly string[] | null;
    latestPaid?: LatestPaid | null;
    spendReach?: Record<string, Date | null> | null;
  } | null;
  birthday?: string | null;
  /** the birthday's month, written with it (`birthMonthOf`) */
  birthMonth?: number | null;
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
  latestPaid: 'lifecycle.latestPaid',
  spendReach: 'lifecycle.spendReach',
  birthMonth: 'birthMonth',
  follower: 'oaFollowing',
  rfm: 'rfm',
  ltvForecastFen: 'ltvForecastFen',
  categories: 'lifecycle.categories',
  channels: 'lifecycle.channels',
  attribution: 'attribution.first',
  marketingOptIn: 'consents.marketingOptIn',
  lastSeenAt: 'lastSeenAt',
} as const;

/** The member fields a segment reads: what the server fetches when a rule needs checking member by member. */
export const FACT_FIELDS = [
  'tags',
  'stage',
  'tier',
  'language',
  'attribution',
  'ltvFen',
  'ltvForecastFen',
  'lifecycle',
  'birthday',
  'oaFollowing',
  'state',
  'cardNo',
  'rfm',
  'consents',
  'lastSeenAt',
] as const;

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
  return {
    tags: m.tags ?? null,
    stage: m.stage ?? null,
    tier: m.tier ?? null,
    language: m.language ?? null,
    storeId: m.attribution?.first?.storeId ?? m.attribution?.last?.storeId ?? null,
    spendFen: typeof m.ltvFen === 'number' ? m.ltvFen : null,
    lastPaidAt: latest(m.lifecycle?.paidOrders),
    birthdayMonth: birthMonthOf(m.birthday),
    isFollower: m.oaFollowing === true,
    isMember: m.state === 'member' || m.cardNo != null,
    rfm: m.rfm ?? null,
    ltvForecastFen: typeof m.ltvForecastFen === 'number' ? m.ltvForecastFen : null,
    paidOrders: m.lifecycle?.paidOrders ?? null,
    categories: m.lifecycle?.categories ?? null,
    channels: m.lifecycle?.channels ?? null,
    attribution: m.attribution?.first ?? null,
    marketingOptIn: m.consents?.marketingOptIn ?? null,
    lastSeenAt: m.lastSeenAt ? new Date(m.lastSeenAt) : null,
  };
}
