import type { SendOutcome } from './channels';

/** POSTs a journey webhook (JSON, `X-Outbox-Key` for the receiver's de-duplication); 5xx and network errors retry, 4xx stop. */
export async function postWebhook(url: string, payload: unknown, key: string, timeoutMs = 10_000): Promise<SendOutcome> {
  try {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-outbox-key': key }, body: JSON.stringify(payload), signal: AbortSignal.timeout(timeoutMs) });
    if (res.ok) return { ok: true };
    return { ok: false, failure: { errcode: res.status >= 500 ? -1 : 47003, errmsg: `HTTP ${res.status}` } };
  } catch {
    return { ok: false, failure: { timeout: true } };
  }
}
