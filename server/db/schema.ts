/**
 * Every collection the product uses, with its indexes and what Mini Program clients may do
 * directly. The emulator applies this at start; `npm run deploy` creates the same in CloudBase.
 * Value collections are never writable by clients: every change goes through a cloud function.
 */
import { LATEST_PAID_KEPT, SPEND_LADDER_FEN, spendReachKey } from '../../core/segments/window';
export interface IndexDeclaration {
  name: string;
  fields: string[];
  unique?: boolean;
}

export interface CollectionDeclaration {
  name: string;
  indexes: IndexDeclaration[];
  clientAccess: { read: boolean; write: boolean };
}

const closed = { read: false, write: false };

export const collections: CollectionDeclaration[] = [
  {
    name: 'members',
    indexes: [
      { name: 'cardNo_unique', fields: ['cardNo'], unique: true },
      { name: 'state_createdAt', fields: ['state'] },
      { name: 'mergedInto', fields: ['mergedInto'] },
      // staff lookup by phone (a phone not yet an identity) and by name
      { name: 'phone', fields: ['phone'] },
      { name: 'name', fields: ['name'] },
      // segment previews: a count whose conditions these answer reads no member document
      { name: 'tags_tagId', fields: ['tags.tagId'] },
      { name: 'tier', fields: ['tier'] },
      { name: 'stage', fields: ['stage'] },
      { name: 'deletedAt', fields: ['deletedAt'] },
      // the segment dimensions a brand filters on most: categories bought, order channels, RFM bands, marketing
      // consent, last visit, paid orders by time (windows and recency)
      { name: 'lifecycle_categories', fields: ['lifecycle.categories'] },
      { name: 'lifecycle_channels', fields: ['lifecycle.channels'] },
      { name: 'rfm_r', fields: ['rfm.r'] },
      { name: 'rfm_f', fields: ['rfm.f'] },
      { name: 'rfm_m', fields: ['rfm.m'] },
      { name: 'consents_marketingOptIn', fields: ['consents.marketingOptIn'] },
      { name: 'lastSeenAt', fields: ['lastSeenAt'] },
      { name: 'lifecycle_paidOrders_paidAt', fields: ['lifecycle.paidOrders.paidAt'] },
      // the other dimensions, so that every part of a rule is answered by an index: order counts in
      // a window by the latest counted orders' paid times, value, follower, language, first and last store, first touch
      ...Array.from({ length: LATEST_PAID_KEPT }, (_v, i) => ({
        name: `lifecycle_latestPaid_n${i + 1}`,
        fields: [`lifecycle.latestPaid.n${i + 1}`],
      })),
      // spend in a window by when the spend counted back from the newest order reached each ladder amount
      ...SPEND_LADDER_FEN.map((fen) => ({
        name: `lifecycle_spendReach_${spendReachKey(fen)}`,
        fields: [`lifecycle.spendReach.${spendReachKey(fen)}`],
      })),
      { name: 'ltvFen', fields: ['ltvFen'] },
      { name: 'ltvForecastFen', fields: ['ltvForecastFen'] },
      { name: 'oaFollowing', fields: ['oaFollowing'] },
      { name: 'language', fields: ['language'] },
      { name: 'attribution_first_storeId', fields: ['attribution.first.storeId'] },
      { name: 'attribution_last_storeId', fields: ['attribution.last.storeId'] },
      { name: 'attribution_first_advisorId', fields: ['attribution.first.advisorId'] },
      { name: 'attribution_first_campaign', fields: ['attribution.first.campaign'] },
      { name: 'attribution_first_via', fields: ['attribution.first.via'] },
      { name: 'birthMonth', fields: ['birthMonth'] },
      // lifecycle: the nightly job reads the members due for review, those created lately without a lifecycle,
      // and stage changes whose history row and event a crash left owed
      { name: 'nextReviewAt', fields: ['nextReviewAt'] },
      { name: 'createdAt', fields: ['createdAt'] },
      { name: 'stageLog_at', fields: ['stageLog.at'] },
      // carts due for the abandonment check (server/behaviour/cart.ts)
      { name: 'cart_dueAt', fields: ['cart.dueAt'] },
    ],
    clientAccess: closed,
  },
  {
    // _id is `${type}:${value}`, so one identity belongs to one member by construction
    name: 'identities',
    indexes: [{ name: 'memberId', fields: ['memberId'] }],
    clientAccess: closed,
  },
  {
    name: 'events',
    indexes: [
      // a member's events by time (its prefix serves `memberId` alone)
      { name: 'memberId_at', fields: ['memberId', 'at'] },
      // consumers read new events in (at, _id) order, each event once as their cursor moves on (the
      // referral one filters types as it goes); Official Account events by arrival (only they carry receivedAt)
      { name: 'at', fields: ['at'] },
      { name: 'receivedAt', fields: ['receivedAt'] },
    ],
    clientAccess: closed,
  },
  { name: 'idempotency', indexes: [], clientAccess: closed },
  // identity: store/advisor codes by id (a `q=` scene), merges by member pair, signed-request nonces by `${source}:${nonce}`
  { name: 'qrcodes', indexes: [{ name: 'storeId', fields: ['storeId'] }], clientAccess: closed },
  {
    name: 'merges',
    indexes: [
      { name: 'loserId', fields: ['loserId'] },
      { name: 'survivorId', fields: ['survivorId'] },
    ],
    clientAccess: closed,
  },
  { name: 'nonces', indexes: [{ name: 'expiresAt', fields: ['expiresAt'] }], clientAccess: closed },
  // brand set-up: readable by the Mini Program, changed only through staff actions
  { name: 'brand', indexes: [], clientAccess: { read: true, write: false } },
  { name: 'stores', indexes: [], clientAccess: { read: true, write: false } },
  { name: 'staff', indexes: [{ name: 'openid_unique', fields: ['openid'], unique: true }], clientAccess: closed },
  { name: 'coupon_templates', indexes: [], clientAccess: { read: true, write: false } },
  // value ledger: written only by the points and coupons functions
  {
    // _id is the idempotency key, so a retried movement finds its first result
    name: 'points_ledger',
    indexes: [
      { name: 'idempotencyKey_unique', fields: ['idempotencyKey'], unique: true },
      { name: 'memberId_at', fields: ['memberId', 'at'] },
    ],
    clientAccess: closed,
  },
  {
    name: 'points_lots',
    indexes: [
      { name: 'memberId', fields: ['memberId'] },
      { name: 'remaining_expiresAt', fields: ['remaining', 'expiresAt'] },
    ],
    clientAccess: closed,
  },
  // one per order that earned points: what its refunds have taken back so far
  { name: 'points_orders', indexes: [], clientAccess: closed },
  {
    name: 'coupons',
    indexes: [
      { name: 'code_unique', fields: ['code'], unique: true },
      { name: 'memberId_claimedAt', fields: ['memberId', 'claimedAt'] },
      { name: 'status_validUntil', fields: ['status', 'validUntil'] },
      // staff template list: redeemed counts per template
      { name: 'templateId_status', fields: ['templateId', 'status'] },
    ],
    clientAccess: closed,
  },
  // `${templateId}:${memberId}` counters of coupons a member holds of a template (per-member limit)
  { name: 'coupon_claims', indexes: [{ name: 'memberId', fields: ['memberId'] }], clientAccess: closed },
  // `${templateId}:${k}` shards of a template's stock (units left, issued): a claim takes a unit from one
  { name: 'coupon_stock', indexes: [{ name: 'templateId', fields: ['templateId'] }], clientAccess: closed },
  // once-per-person grant markers, by member and by each identity of the person
  { name: 'coupon_grants', indexes: [], clientAccess: closed },
  { name: 'audit_log', indexes: [{ name: 'when', fields: ['when'] }], clientAccess: closed },
  // appointments: services and hours are brand set-up; counters and guards keep capacity and overlaps safe under concurrency
  { name: 'services', indexes: [], clientAccess: closed },
  { name: 'store_hours', indexes: [], clientAccess: closed },
  {
    name: 'appointments',
    indexes: [
      { name: 'memberId', fields: ['memberId'] },
      { name: 'storeId_date', fields: ['storeId', 'date'] },
      { name: 'status_start', fields: ['status', 'start'] },
    ],
    clientAccess: closed,
  },
  // `${storeId}:${serviceId}:${startISO}`: active bookings of one slot (read and written in the booking transaction)
  {
    name: 'slot_counts',
    indexes: [{ name: 'storeId_serviceId_date', fields: ['storeId', 'serviceId', 'date'] }],
    clientAccess: closed,
  },
  // `${memberId}:${localDate}`: the member's active appointments starting that day (overlap guard)
  { name: 'member_slots', indexes: [], clientAccess: closed },
  // messaging and journeys. consents and message_prefs: _id is the memberId. outbox: _id is the message key
  // (journey run + step, or campaign + member), so a key is inserted once; journey_runs: _id is the run id.
  { name: 'consents', indexes: [], clientAccess: closed },
  { name: 'message_prefs', indexes: [], clientAccess: closed },
  {
    name: 'outbox',
    indexes: [
      { name: 'key_unique', fields: ['key'], unique: true },
      // the dispatcher reads due rows in dueAt order (a range); its prefix serves `state` alone
      { name: 'state_dueAt', fields: ['state', 'dueAt'] },
      { name: 'memberId', fields: ['memberId'] },
      { name: 'journeyId_state', fields: ['journeyId', 'state'] },
      { name: 'campaignId_state', fields: ['campaignId', 'state'] },
      // CRM webhook deliveries: due ones by kind, and one subscription's queue for a member in event order
      { name: 'kind_state_dueAt', fields: ['kind', 'state', 'dueAt'] },
      { name: 'subscriptionId_memberId_eventAt', fields: ['subscriptionId', 'memberId', 'eventAt'] },
    ],
    clientAccess: closed,
  },
  {
    name: 'journey_runs',
    indexes: [
      { name: 'memberId_status', fields: ['memberId', 'status'] },
      { name: 'memberId_journeyId', fields: ['memberId', 'journeyId'] },
      { name: 'status', fields: ['status'] },
      // the tick reads due runs in (nextDueAt, _id) order: a range of this index
      { name: 'status_nextDueAt', fields: ['status', 'nextDueAt'] },
      { name: 'journeyId', fields: ['journeyId'] },
    ],
    clientAccess: closed,
  },
  // journeys: the live version and the draft staff edit;
  // journey_versions: `${journeyId}@${version}`, one per publication, never changed
  { name: 'journeys', indexes: [], clientAccess: closed },
  {
    name: 'journey_versions',
    indexes: [{ name: 'journeyId_version', fields: ['journeyId', 'version'] }],
    clientAccess: closed,
  },
  { name: 'segments', indexes: [], clientAccess: closed },
  { name: 'campaigns', indexes: [{ name: 'state', fields: ['state'] }], clientAccess: closed },
  { name: 'event_cursor', indexes: [], clientAccess: closed },
  // `${surveyId}:${memberId}`: a member's survey completion (OA reply or Mini Program page), recorded once
  { name: 'survey_responses', indexes: [{ name: 'memberId', fields: ['memberId'] }], clientAccess: closed },
  // orders and lifecycle. orders: _id `${source}:${orderNo}`; refIds are the identity ids (`phone:…`) an
  // unattached order waits on. stage_history: one row per stage change. daily_stats: _id is the local date. tags: the taxonomy.
  {
    name: 'orders',
    indexes: [
      { name: 'memberId_createdAt', fields: ['memberId', 'createdAt'] },
      { name: 'refIds_memberId', fields: ['refIds', 'memberId'] },
    ],
    clientAccess: closed,
  },
  // by `at` too: the nightly insight statistics read one day's changes
  {
    name: 'stage_history',
    indexes: [
      { name: 'memberId_at', fields: ['memberId', 'at'] },
      { name: 'at', fields: ['at'] },
    ],
    clientAccess: closed,
  },
  // insight_stats: `${kind}:${date}`, one row per report kind and local day (server/insight)
  { name: 'insight_stats', indexes: [{ name: 'kind_date', fields: ['kind', 'date'] }], clientAccess: closed },
  { name: 'daily_stats', indexes: [], clientAccess: closed },
  { name: 'tags', indexes: [], clientAccess: closed },
  // bulk tagging jobs by the id the admin chose; the timer picks up the running ones
  { name: 'tag_jobs', indexes: [{ name: 'state', fields: ['state'] }], clientAccess: closed },
  // staff admin: one-time invitation codes by code; per staff-day usage of limited permissions (`${staffId}:${date}`)
  { name: 'staff_invites', indexes: [], clientAccess: closed },
  { name: 'staff_limits', indexes: [], clientAccess: closed },
  // referral. referrals: _id is the friend's member id, so the first inviter wins by construction;
  // referral_codes: short poster codes by code; referral_cursor: the event consumer's position.
  {
    name: 'referrals',
    indexes: [
      { name: 'referrerId_openedAt', fields: ['referrerId', 'openedAt'] },
      { name: 'refereeId', fields: ['refereeId'] },
      { name: 'dueAt', fields: ['dueAt'] },
      // daily statistics: joins per day (a range, served by the index in CloudBase) and invitations per day
      { name: 'joinedAt', fields: ['joinedAt'] },
      { name: 'day', fields: ['day'] },
    ],
    clientAccess: closed,
  },
  { name: 'referral_codes', indexes: [{ name: 'referrerId', fields: ['referrerId'] }], clientAccess: closed },
  { name: 'referral_cursor', indexes: [], clientAccess: closed },
  // behaviour (Mini Program and website): one small row per event; a member's rows by time (interests, export),
  // an anonymous visitor's rows (joined to the member when the site says who they are), old rows (retention)
  {
    name: 'behaviour',
    indexes: [
      { name: 'memberId_at', fields: ['memberId', 'at'] },
      { name: 'anonId', fields: ['anonId'] },
      { name: 'at', fields: ['at'] },
    ],
    clientAccess: closed,
  },
  // the product catalogue by product id, synced from the brand's systems; recommendations read a category's products
  { name: 'products', indexes: [{ name: 'category_active', fields: ['category', 'active'] }], clientAccess: closed },
  // CRM webhooks: brand subscriptions by id (url, events, the name of the secret's environment variable)
  { name: 'webhook_subscriptions', indexes: [], clientAccess: closed },
  // Official Account access token shared by all instances: _id is the OA appid (server/oa/token.ts)
  { name: 'oa_tokens', indexes: [], clientAccess: closed },
  // one lease per timer (`function:trigger`) so two runs of one timer never overlap (server/kit/timer-lease.ts)
  { name: 'timer_leases', indexes: [], clientAccess: closed },
  { name: 'lifecycle_rebuilds', indexes: [], clientAccess: closed },
];

export const collectionNames = collections.map((c) => c.name);
