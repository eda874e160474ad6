/**
 * The registry of member data: every collection that holds or refers to a member, how a member's
 * rows are found there, which values in them are personal and what deletion does with each, and
 * how a merge treats the rows. Merge, export, deletion and retention walk this table; a collection
 * missing from it (and from NO_MEMBER_DATA) fails a unit test. docs/privacy.md is its prose form.
 */

/** How a member's rows are found in a collection. */
export type RowFinder =
  /** rows whose `field` holds the member id (an array field: holds it among others) */
  | { by: 'field'; field: string }
  /** the one row whose `_id` is the member id */
  | { by: 'id' }
  /** rows whose `field` (an array of identity ids such as `phone:138…`) holds one of the member's identities */
  | { by: 'identities'; field: string };

/** What deletion does with a personal value. */
export type Erasure =
  /** the field goes */
  | 'remove'
  /** each personal value inside the field is replaced by a one-way pseudonym (no key is kept) */
  | 'pseudonymise'
  /** the whole row goes (its id itself holds a personal value, or it only serves to find the person) */
  | 'dropRow';

export interface PersonalField {
  /** dotted path in the row; `*` for "any text anywhere in the row" */
  path: string;
  /** what the value is, in words a regulator reads */
  holds: string;
  erasure: Erasure;
}

/**
 * How a merge treats the loser's rows:
 * - `repoint`: each finder field is set to the survivor (the row stays, now the survivor's);
 * - `fold`: the row keyed by the loser's id is folded into the survivor's (`folds` names the rule), then removed;
 * - `rekey`: rows whose id is `${key}:${memberId}` or `${memberId}:${key}` move to the survivor's id,
 *   folded into the row there when it exists;
 * - `keep`: a record about the pair itself, left as written.
 */
export type MergeRule =
  | { kind: 'repoint' }
  | { kind: 'fold'; folds: FoldRule }
  | { kind: 'rekey'; folds: FoldRule; idOrder: 'memberLast' | 'memberFirst' }
  | { kind: 'keep' };

/** Named rules of core/members/fold.ts: how two rows of one collection become one. */
export type FoldRule = 'consents' | 'messagePrefs' | 'claimCounter' | 'memberSlots';

/** Which retention period applies to old rows of a collection (a brand config field, core/config/brand.ts). */
export type RetentionClass = 'events' | 'outbox' | 'audit' | 'behaviour';

/**
 * What the retention timer does with rows older than the class's period: purge them (only those
 * whose `only.field` is one of `only.values`, when given), or pseudonymise them: the fields of `replaces`
 * take the values given there (a placeholder, so readers of the rows keep their shape).
 */
export type RetentionRule =
  | { class: RetentionClass; timeField: string; action: 'purge'; only?: { field: string; values: string[] } }
  | { class: RetentionClass; timeField: string; action: 'pseudonymise'; replaces: Record<string, string | null> };

export interface MemberDataEntry {
  collection: string;
  /** why the product keeps it */
  purpose: string;
  find: RowFinder[];
  personal: PersonalField[];
  merge: MergeRule;
  retention?: RetentionRule;
  /** deletion keeps the rows (pseudonymised) so totals stay true; otherwise they are removed */
  keepOnDelete: boolean;
}

/** What a pseudonymised reference reads afterwards. */
export const ERASED = 'erased';

const byMember = (field = 'memberId'): RowFinder => ({ by: 'field', field });
const repoint: MergeRule = { kind: 'repoint' };
/** Free text that may quote a person's values (event data, message data, audit before/after). */
const anyText = (holds: string): PersonalField => ({ path: '*', holds, erasure: 'pseudonymise' });
/** Rows that refer to the member by id and hold nothing else personal: re-pointed by a merge, kept by deletion. */
const refersOnly = (collection: string, purpose: string, find: RowFinder[] = [byMember()]): MemberDataEntry => ({
  collection,
  purpose,
  find,
  personal: [],
  merge: repoint,
  keepOnDelete: true,
});

export const MEMBER_DATA: readonly MemberDataEntry[] = [
  {
    collection: 'members',
    purpose: 'the member record: profile, card, points cache, consents, attribution, lifecycle and portrait',
    find: [{ by: 'id' }, byMember('mergedInto')],
    personal: [
      { path: 'name', holds: 'name', erasure: 'remove' },
      { path: 'birthday', holds: 'birthday', erasure: 'remove' },
      { path: 'birthMonth', holds: 'month of the birthday', erasure: 'remove' },
      { path: 'gender', holds: 'gender', erasure: 'remove' },
      { path: 'nickname', holds: 'WeChat nickname', erasure: 'remove' },
      { path: 'avatarUrl', holds: 'avatar', erasure: 'remove' },
      { path: 'phone', holds: 'phone number', erasure: 'remove' },
      { path: 'email', holds: 'email address', erasure: 'remove' },
      { path: 'emailPending', holds: 'an email address waiting for its confirmation', erasure: 'remove' },
      { path: 'address', holds: 'postal address', erasure: 'remove' },
      { path: 'openid', holds: 'Mini Program OpenID', erasure: 'remove' },
      { path: 'unionid', holds: 'UnionID', erasure: 'remove' },
      { path: 'oaOpenid', holds: 'Official Account OpenID', erasure: 'remove' },
      { path: 'cardNo', holds: 'member card number', erasure: 'remove' },
      { path: 'mergedCardNo', holds: 'card number of a merged record', erasure: 'remove' },
      { path: 'attribution', holds: 'store and advisor that brought the member', erasure: 'remove' },
    ],
    // the member document itself is merged field by field: core/members/merge-member.ts
    merge: { kind: 'keep' },
    keepOnDelete: true,
  },
  {
    collection: 'identities',
    purpose: 'how the member is recognised: OpenIDs, UnionID, phone, card, external ids (`_id` = type:value)',
    find: [byMember()],
    personal: [{ path: '_id', holds: 'the identity value itself', erasure: 'dropRow' }],
    merge: repoint,
    keepOnDelete: false,
  },
  {
    collection: 'events',
    purpose: 'what happened to the member (joined, visited, ordered, followed…), read by journeys and statistics',
    find: [byMember()],
    personal: [
      { path: '_id', holds: 'the OA OpenID inside the id of an Official Account event', erasure: 'pseudonymise' },
      anyText('values quoted in event data'),
    ],
    merge: repoint,
    retention: { class: 'events', timeField: 'at', action: 'purge' },
    keepOnDelete: true,
  },
  {
    collection: 'behaviour',
    purpose: 'what the member viewed, added to the cart, shared and searched (Mini Program and website), with consent',
    find: [byMember()],
    personal: [
      { path: 'anonId', holds: 'the website’s anonymous visitor id', erasure: 'remove' },
      { path: 'query', holds: 'words searched for', erasure: 'remove' },
    ],
    merge: repoint,
    retention: { class: 'behaviour', timeField: 'at', action: 'purge' },
    keepOnDelete: false,
  },
  {
    collection: 'points_ledger',
    purpose: 'every points movement (append-only)',
    find: [byMember()],
    personal: [anyText('values quoted in a movement note')],
    merge: repoint,
    keepOnDelete: true,
  },
  refersOnly('points_lots', 'points earned and what is left of them'),
  refersOnly('points_orders', 'what an order earned and its refunds took back'),
  refersOnly('coupons', 'coupons the member holds or used'),
  {
    collection: 'coupon_claims',
    purpose: 'how many of a template the member was issued (`_id` = templateId:memberId)',
    find: [byMember()],
    personal: [],
    merge: { kind: 'rekey', folds: 'claimCounter', idOrder: 'memberLast' },
    keepOnDelete: true,
  },
  {
    collection: 'coupon_grants',
    purpose: 'once-per-person grant markers, by member and by each identity of the person',
    find: [byMember()],
    personal: [{ path: '_id', holds: 'an identity id in a marker id', erasure: 'dropRow' }],
    merge: { kind: 'keep' },
    keepOnDelete: true,
  },
  {
    collection: 'orders',
    purpose: 'orders synced from the brand’s systems',
    find: [byMember(), { by: 'identities', field: 'refIds' }],
    personal: [
      { path: 'customer', holds: 'how the source knows the customer (phone, OpenID, card…)', erasure: 'remove' },
      { path: 'refIds', holds: 'identity ids the order waits on', erasure: 'pseudonymise' },
      anyText('names, phone numbers or addresses inside the order'),
    ],
    merge: repoint,
    keepOnDelete: true,
  },
  refersOnly('stage_history', 'lifecycle stage changes'),
  refersOnly('survey_responses', "the member's answer to a survey (`_id` = surveyId:memberId): the options chosen"),
  {
    collection: 'appointments',
    purpose: 'bookings of in-store services',
    find: [byMember()],
    personal: [anyText('contact details or notes of a booking')],
    merge: repoint,
    keepOnDelete: true,
  },
  {
    collection: 'member_slots',
    purpose: 'the member’s active bookings of one day (`_id` = memberId:date)',
    find: [byMember()],
    personal: [],
    merge: { kind: 'rekey', folds: 'memberSlots', idOrder: 'memberFirst' },
    keepOnDelete: true,
  },
  {
    collection: 'referrals',
    purpose: 'who invited whom, and the rewards of both sides',
    find: [byMember('referrerId'), byMember('refereeId')],
    personal: [],
    merge: repoint,
    keepOnDelete: true,
  },
  refersOnly('referral_codes', 'short poster codes of an inviter', [byMember('referrerId')]),
  {
    collection: 'consents',
    purpose: 'subscription-message consents per template and marketing sends counted for caps (`_id` = memberId)',
    find: [{ by: 'id' }],
    personal: [],
    merge: { kind: 'fold', folds: 'consents' },
    keepOnDelete: true,
  },
  {
    collection: 'message_prefs',
    purpose: 'the member’s message choices (`_id` = memberId)',
    find: [{ by: 'id' }],
    personal: [],
    merge: { kind: 'fold', folds: 'messagePrefs' },
    keepOnDelete: true,
  },
  {
    collection: 'outbox',
    purpose: 'messages and effects decided for the member, waiting or sent (with the send result)',
    find: [byMember()],
    personal: [anyText('values inside message data or a send result')],
    merge: repoint,
    // finished rows only: a row still waiting or in flight is the send itself
    retention: {
      class: 'outbox',
      timeField: 'createdAt',
      action: 'purge',
      only: { field: 'state', values: ['sent', 'skipped', 'failed', 'unknown'] },
    },
    keepOnDelete: true,
  },
  { ...refersOnly('journey_runs', 'the member’s place in a journey'), personal: [anyText('values in a run’s data')] },
  {
    collection: 'merges',
    purpose: 'records of two members found to be one person',
    find: [byMember('survivorId'), byMember('loserId')],
    personal: [],
    merge: { kind: 'keep' },
    keepOnDelete: true,
  },
  {
    collection: 'audit_log',
    purpose: 'staff and system actions on the member, with the record before and after',
    find: [byMember('target')],
    personal: [anyText('values in the record before and after')],
    merge: { kind: 'keep' },
    // the action, role and time stay (the trail of what staff did); who, to whom and what are removed
    retention: {
      class: 'audit',
      timeField: 'when',
      action: 'pseudonymise',
      replaces: { who: ERASED, target: ERASED, before: null, after: null, reason: null },
    },
    keepOnDelete: true,
  },
];

/** Collections that hold no member data, and why: set-up, counters, caches, system state. */
export const NO_MEMBER_DATA: Readonly<Record<string, string>> = {
  // a key may carry a member id next to a request id; the stored answers hold no personal value
  idempotency: 'stored answers of retried requests, so a retry gets the first answer',
  qrcodes: 'store and advisor codes',
  nonces: 'signed-request nonces of outside systems',
  brand: 'brand set-up',
  stores: 'brand set-up',
  staff: 'staff accounts (staff data, not member data)',
  coupon_templates: 'brand set-up',
  coupon_stock: 'stock counters of a template',
  services: 'brand set-up',
  store_hours: 'brand set-up',
  slot_counts: 'bookings per slot, counts only',
  timer_leases: 'which run of a timer holds it, so two runs never overlap',
  webhook_subscriptions: 'brand set-up: the brand systems that receive CRM events',
  journeys: 'brand set-up',
  journey_versions: 'brand set-up: each published version of a journey',
  segments: 'saved member conditions (rules, not members)',
  campaigns: 'campaign set-up and counts',
  event_cursor: 'a consumer’s position in the events',
  daily_stats: 'aggregates per day, no member reference',
  insight_stats: 'report aggregates per kind and day, no member reference',
  tags: 'the tag taxonomy',
  tag_jobs: 'bulk tagging jobs: segment, tag, counts and a position in member-id order',
  staff_invites: 'staff invitation codes',
  staff_limits: 'per staff-day usage counts',
  referral_cursor: 'a consumer’s position in the events',
  lifecycle_rebuilds: 'how far a lifecycle rebuild from orders has come: its _id ranges, the last member done in each',
  oa_tokens: 'the Official Account access token',
  products: 'brand set-up: the product catalogue synced from the brand’s systems',
};

export const registryEntry = (collection: string): MemberDataEntry | undefined =>
  MEMBER_DATA.find((e) => e.collection === collection);

/** The reference fields a merge re-points, collection by collection. */
export const repointedFields = (): { collection: string; field: string }[] =>
  MEMBER_DATA.filter((e) => e.merge.kind === 'repoint').flatMap((e) =>
    e.find.flatMap((f) => (f.by === 'field' ? [{ collection: e.collection, field: f.field }] : [])),
  );
