import { verifyRequest } from '../../core/signing';
import type { z } from 'zod';
import { DomainError, ErrorCodes } from '../../core/errors';

/** The import CLI's signing source, and the environment variable of the function holding its secret. */
export const IMPORT_SOURCE = 'import';
export const IMPORT_SECRET_ENV = 'IMPORT_SECRET';

/** The path a batch is signed for: `/import/members` or `/import/orders`. */
export const importPath = (kind: 'members' | 'orders'): string => `/import/${kind}`;

/**
 * A batch comes from a server SDK holding the environment's keys; it must also carry the brand's
 * import signature over its JSON, so a leaked key alone cannot write members.
 */
export function requireSignedBatch(
  kind: 'members' | 'orders',
  batch: unknown,
  signed: { timestamp: string; nonce: string; signature: string },
  now: Date,
): void {
  const secret = process.env[IMPORT_SECRET_ENV];
  const off = `导入未开启 / no ${IMPORT_SECRET_ENV} in this environment`;
  if (!secret) throw new DomainError(ErrorCodes.SIGNATURE_INVALID, off);
  const { timestamp, nonce } = signed;
  const parts = { method: 'POST', path: importPath(kind), timestamp, nonce, body: JSON.stringify(batch) };
  const check = verifyRequest(secret, parts, signed.signature, now);
  if (!check.ok) throw new DomainError(check.code, `导入签名无效 / import batch refused: ${check.code}`);
}

/** A row refused, with the reason a person reads in the report. */
export const rejected = (line: number, reason: string) => ({
  line,
  outcome: 'rejected' as const,
  memberId: null,
  reason,
});

export const reasonsOf = (e: z.ZodError): string =>
  e.issues.map((i) => `${i.path.join('.') || 'row'}: ${i.message}`).join('; ');
