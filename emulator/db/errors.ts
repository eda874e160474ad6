/** Errors in the platform's shape: `code` is a TCB code the SDK maps to an errCode (docs/emulator-wire.md#errors). */
export class TcbError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export const TcbCodes = {
  collectionMissing: 'DATABASE_COLLECTION_NOT_EXIST',
  collectionExists: 'DATABASE_COLLECTION_ALREADY_EXIST',
  requestFailed: 'DATABASE_REQUEST_FAILED',
  invalidParam: 'INVALID_PARAM',
  conflict: 'DATABASE_TRANSACTION_CONFLICT',
  transactionFailed: 'DATABASE_TRANSACTION_FAIL',
  permission: 'DATABASE_PERMISSION_DENIED',
  limit: 'EXCEED_REQUEST_LIMIT',
  functionMissing: 'FUNCTIONS_REQUEST_FAIL',
  functionFailed: 'FUNCTIONS_EXECUTE_FAIL',
  timeout: 'FUNCTIONS_TIME_LIMIT_EXCEEDED',
  action: 'INVALID_ACTION',
} as const;

export const duplicateKey = (coll: string, index: string, key: string) =>
  new TcbError(
    TcbCodes.requestFailed,
    `E11000 duplicate key error collection: ${coll} index: ${index} dup key: ${key}`,
  );
