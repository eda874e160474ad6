import { isErrorCode } from '../../../../core/errors';

/** Every code the product declares lives in the one catalogue, core/errors.ts. */
export const isStableCode = (code: unknown): boolean => isErrorCode(code);
