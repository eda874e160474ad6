/**
 * The one catalogue of error codes. The client, the tests and the logs match on these strings, so
 * a code never changes meaning once shipped: add new codes, do not rename old ones. Each says who
 * reads it: 'app' codes reach the Mini Program, which has a text for each in both languages
 * (miniprogram/i18n); 'system' codes answer brand systems, timers and operators.
 */
const catalogue = {
  // Any action
  INVALID_INPUT: 'app',
  UNKNOWN_ACTION: 'app',
  UNAUTHENTICATED: 'app',
  FORBIDDEN: 'app',
  NOT_FOUND: 'app',
  CONFLICT: 'app',
  LIMIT_EXCEEDED: 'app',
  INTERNAL: 'app',
  // Members and identity
  MEMBER_NOT_FOUND: 'app',
  CARD_NOT_CLAIMED: 'app',
  MEMBER_CODE_EXPIRED: 'app',
  MEMBER_CODE_INVALID: 'app',
  PHONE_CODE_INVALID: 'app',
  WECHAT_API_FAILED: 'app',
  DELETE_NOT_CONFIRMED: 'app',
  // Staff and brand admin
  NOT_STAFF: 'app',
  STORE_NOT_FOUND: 'app',
  ADVISOR_NOT_FOUND: 'app',
  INVITE_INVALID: 'app',
  INVITE_USED: 'app',
  INVITE_EXPIRED: 'app',
  ALREADY_STAFF: 'app',
  RANGE_TOO_LONG: 'app',
  TAG_NOT_FOUND: 'app',
  TAG_RETIRED: 'app',
  TAG_JOB_CONFLICT: 'app',
  // Coupons
  COUPON_PAUSED: 'app',
  COUPON_NOT_ACTIVE: 'app',
  COUPON_CHANNEL_NOT_ALLOWED: 'app',
  COUPON_OUT_OF_STOCK: 'app',
  COUPON_LIMIT_REACHED: 'app',
  COUPON_NOT_OWNED: 'app',
  COUPON_ALREADY_USED: 'app',
  COUPON_EXPIRED: 'app',
  COUPON_NOT_YET_VALID: 'app',
  COUPON_STORE_NOT_ALLOWED: 'app',
  COUPON_MIN_SPEND: 'app',
  COUPON_CODE_INVALID: 'app',
  TEMPLATE_EXISTS: 'app',
  STOCK_BELOW_CLAIMED: 'app',
  STOCK_UNLIMITED: 'app',
  // Points
  POINTS_INSUFFICIENT: 'app',
  POINTS_ORDER_UNKNOWN: 'system',
  // Orders (signed sync)
  ORDER_MALFORMED: 'system',
  ORDER_UNKNOWN_CURRENCY: 'system',
  ORDER_NEGATIVE_AMOUNT: 'system',
  ORDER_MISMATCH: 'system',
  ORDER_BATCH_TOO_LARGE: 'system',
  ORDER_SOURCE_MISMATCH: 'system',
  ORDER_SYNC_SECRET_MISSING: 'system',
  // Appointments
  SERVICE_NOT_FOUND: 'app',
  SERVICE_MISCONFIGURED: 'app',
  SERVICE_NOT_AT_STORE: 'app',
  APPOINTMENT_NOT_FOUND: 'app',
  SLOT_IN_PAST: 'app',
  SLOT_OUTSIDE_WINDOW: 'app',
  SLOT_NOT_ALIGNED: 'app',
  STORE_CLOSED: 'app',
  SLOT_FULL: 'app',
  APPOINTMENT_OVERLAP: 'app',
  ADVISOR_LACKS_SKILL: 'app',
  CANCEL_TOO_LATE: 'app',
  RESCHEDULE_TOO_LATE: 'app',
  CHECK_IN_TOO_EARLY: 'app',
  NO_SHOW_TOO_EARLY: 'app',
  APPOINTMENT_INVALID_TRANSITION: 'app',
  // Messaging, segments and journeys
  NO_CONSENT: 'app',
  SEGMENT_NOT_FOUND: 'app',
  SEND_AT_IN_PAST: 'app',
  JOURNEY_NOT_FOUND: 'app',
  JOURNEY_STEP_UNKNOWN: 'system',
  JOURNEY_MISMATCH: 'system',
  JOURNEY_LOOP: 'system',
  JOURNEY_INVALID: 'app',
  JOURNEY_CONDITION_UNKNOWN: 'system',
  JOURNEY_ENTRY_UNKNOWN: 'system',
  JOURNEY_EXISTS: 'app',
  JOURNEY_ARCHIVED: 'app',
  JOURNEY_NO_DRAFT: 'app',
  // Behaviour tracking and email (the Mini Program never sends events without consent)
  TRACKING_NOT_CONSENTED: 'system',
  EMAIL_TOO_SOON: 'app',
  EMAIL_LINK_INVALID: 'system',
  EMAIL_LINK_EXPIRED: 'system',
  EMAIL_LINK_STALE: 'system',
  // Referral and surveys
  REFERRAL_NOT_MEMBER: 'app',
  SURVEY_NOT_FOUND: 'system',
  SURVEY_ANSWER_INVALID: 'system',
  // CRM webhooks
  WEBHOOK_NOT_FOUND: 'system',
  DELIVERY_NOT_FOUND: 'system',
  // Official Account
  OA_API_FAILED: 'system',
  OA_NOT_CONFIGURED: 'system',
  // Signed HTTP endpoints
  METHOD_NOT_ALLOWED: 'system',
  UNKNOWN_SOURCE: 'system',
  SOURCE_MISMATCH: 'system',
  SIGNATURE_MISSING: 'system',
  SIGNATURE_INVALID: 'system',
  SIGNATURE_EXPIRED: 'system',
  NONCE_REUSED: 'system',
  // Brand configuration (deploy and start-up)
  BRAND_CONFIG_INVALID: 'system',
  BRAND_CONFIG_MISSING: 'system',
} as const satisfies Record<string, 'app' | 'system'>;

export type ErrorCode = keyof typeof catalogue;

/** Every code by name: `ErrorCodes.MEMBER_NOT_FOUND === 'MEMBER_NOT_FOUND'`. */
export const ErrorCodes = Object.fromEntries(Object.keys(catalogue).map((c) => [c, c])) as {
  readonly [C in ErrorCode]: C;
};

export const errorCodes = Object.keys(catalogue) as ErrorCode[];

/** The codes the Mini Program shows (it holds a text for each). */
export const appErrorCodes = errorCodes.filter((c) => catalogue[c] === 'app');

export const isErrorCode = (code: unknown): code is ErrorCode =>
  typeof code === 'string' && Object.prototype.hasOwnProperty.call(catalogue, code);

/** A business error: expected, carries a stable code and a message a person can read. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const isDomainError = (e: unknown): e is DomainError => e instanceof DomainError;
