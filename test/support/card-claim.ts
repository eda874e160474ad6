/** What a member fills in to claim the card, with the demo brand's privacy version and marketing consent. */
export const CARD_CLAIM = {
  name: '周女士',
  birthday: '1988-08-18',
  gender: 'female',
  language: 'zh',
  consents: { privacyVersion: '2026-01', marketingOptIn: true },
} as const;
