/**
 * Stable error codes: the client, the tests and the logs match on these strings, so a code
 * never changes meaning once shipped. Add new codes; do not rename old ones.
 */
export const ErrorCodes = {
  INVALID_INPUT: 'INVALID_INPUT',
  UNKNOWN_ACTION: 'UNKNOWN_ACTION',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  MEMBER_NOT_FOUND: 'MEMBER_NOT_FOUND',
  CONFLICT: 'CONFLICT',
  LIMIT_EXCEEDED: 'LIMIT_EXCEEDED',
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

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

/** Codes of the signed HTTP endpoints (`server/http/signed.ts`): a system reads them, not a person. */
export const HttpErrorCodes = {
  METHOD_NOT_ALLOWED: 'METHOD_NOT_ALLOWED',
  UNKNOWN_SOURCE: 'UNKNOWN_SOURCE',
  SOURCE_MISMATCH: 'SOURCE_MISMATCH',
  SIGNATURE_MISSING: 'SIGNATURE_MISSING',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  SIGNATURE_EXPIRED: 'SIGNATURE_EXPIRED',
  NONCE_REUSED: 'NONCE_REUSED',
} as const;
