import { z } from 'zod';
import { DomainError, ErrorCodes } from '../../core/errors';
import { isTransactionConflict } from '../db/transaction';
import type { ActionResult } from '../../core/contracts/common';

/** Turns anything thrown into the envelope the client reads; unexpected errors keep their detail in the log only. */
export function toFailure(e: unknown): { result: ActionResult<never>; expected: boolean } {
  if (e instanceof DomainError)
    return {
      result: { ok: false, error: { code: e.code, message: e.message, ...(e.details ? { details: e.details } : {}) } },
      expected: true,
    };
  if (e instanceof z.ZodError) {
    const issues = e.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    const message = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    return {
      result: {
        ok: false,
        error: { code: ErrorCodes.INVALID_INPUT, message: `输入有误 / invalid input: ${message}`, details: { issues } },
      },
      expected: true,
    };
  }
  if (isTransactionConflict(e)) {
    return {
      result: { ok: false, error: { code: ErrorCodes.CONFLICT, message: '操作繁忙，请重试 / busy, please retry' } },
      expected: true,
    };
  }
  return {
    result: {
      ok: false,
      error: { code: ErrorCodes.INTERNAL, message: '服务异常，请稍后再试 / internal error, please retry later' },
    },
    expected: false,
  };
}
