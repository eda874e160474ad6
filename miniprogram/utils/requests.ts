import { ClientErrorCodes, ServiceError } from '../services/cloud';
import { newRequestId } from '../pages/coupons/coupon-text';

/** `wx.showModal` as a promise: true when confirmed. Every action that changes data asks first. */
export function ask(content: string, confirmText?: string): Promise<boolean> {
  return new Promise((resolve) => {
    wx.showModal({
      content,
      ...(confirmText ? { confirmText } : {}),
      success: (r) => resolve(!!r.confirm),
      fail: () => resolve(false),
    });
  });
}

/** True when a call got no answer from the server (the network or the call itself failed). */
export const unanswered = (err: unknown): boolean =>
  err instanceof ServiceError && (err.code === ClientErrorCodes.NETWORK || err.code === ClientErrorCodes.CALL_FAILED);

/**
 * One key per intent: a retry after a network failure sends the same key (the server then applies
 * the change once and answers as before); after an answer, the next tap is a new intent.
 */
export function requestIdFor(keys: Record<string, string>, intent: string, prefix: string): string {
  keys[intent] ??= newRequestId(prefix);
  return keys[intent];
}

/** Forgets the intent's key once the server answered (with a result or a refusal). */
export function settleRequestId(keys: Record<string, string>, intent: string, err?: unknown): void {
  if (!unanswered(err)) delete keys[intent];
}
