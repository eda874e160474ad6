/**
 * Every collection that points at a member, and by which field. A merge re-points these from
 * the loser to the survivor; export reads them. A collection another feature has not created yet
 * is skipped. Add a line here when a new collection holds member ids.
 */
export const MEMBER_REFERENCES: ReadonlyArray<{ collection: string; field: string }> = [
  { collection: 'identities', field: 'memberId' },
  { collection: 'points_ledger', field: 'memberId' },
  { collection: 'points_lots', field: 'memberId' },
  { collection: 'coupons', field: 'memberId' },
  { collection: 'orders', field: 'memberId' },
  { collection: 'appointments', field: 'memberId' },
  { collection: 'referrals', field: 'referrerId' },
  { collection: 'referrals', field: 'refereeId' },
  { collection: 'member_tags', field: 'memberId' },
  { collection: 'consents', field: 'memberId' },
  { collection: 'journey_runs', field: 'memberId' },
  { collection: 'message_log', field: 'memberId' },
  { collection: 'events', field: 'memberId' },
  { collection: 'survey_responses', field: 'memberId' },
];
