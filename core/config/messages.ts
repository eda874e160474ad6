/**
 * Every subscription-message type the code sends. Add a type here when code starts sending it:
 * the brand schema then requires its template id, and `npm run deploy` refuses to ship without one.
 */
export const MESSAGE_TYPES = [
  'appointmentReminder',
  'paymentReminder',
  'welcome',
  'thankYou',
  'birthday',
  'couponExpiring',
  'pointsExpiring',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** Placeholder template id used in `config/brand.example.json`; deploy rejects it. */
export const TEMPLATE_PLACEHOLDER = 'REPLACE_WITH_TEMPLATE_ID';
