import { verifyRequest } from '../../core/signing';
import { DomainError, HttpErrorCodes } from '../../core/errors';

/** The import CLI's signing source, and the environment variable of the function holding its secret. */
export const IMPORT_SOURCE = 'import';
export const IMPORT_SECRET_ENV = 'IMPORT_SECRET';

/** The path a batch is signed for: `/import/members` or `/import/orders`. */
export const importPath = (kind: 'members' | 'orders'): string => `/import/${kind}`;

/**
 * A batch comes from a server SDK holding the environment's keys; it must also carry the brand's
 * import signature over its JSON, so a leaked key alone cannot write members.
 */
export function requireSignedBatch(kind: 'members' | 'orders', batch: unknown, signed: { timestamp: string; nonce: string; signature: string }, now: Date): void {
  const secret = process.env[IMPORT_SECRET_ENV];
  if (!secret) throw new DomainError(HttpErrorCodes.SIGNATURE_INVALID, `导入未开启 / no ${IMPORT_SECRET_ENV} in this environment`);
  const check = verifyRequest(secret, { method: 'POST', path: importPath(kind), timestamp: signed.timestamp, nonce: signed.nonce, body: JSON.stringify(batch) }, signed.signature, now);
  if (!check.ok) throw new DomainError(check.code, `导入签名无效 / import batch refused: ${check.code}`);
}
