import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { SendOutcome } from './channels';

/** The status of a JSON POST, or null on a network error or timeout. node:http(s): the deployed runtime (Nodejs16.13) has no fetch. */
function postJson(
  url: string,
  body: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<number | null> {
  return new Promise((resolve) => {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      resolve(null);
      return;
    }
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
        res.on('error', () => resolve(null));
      },
    );
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

/**
 * POSTs a webhook (JSON, `X-Outbox-Key` for the receiver's de-duplication, plus `headers`, e.g. a
 * signature over the JSON body); 5xx and network errors retry, 4xx stop.
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  key: string,
  timeoutMs = 10_000,
  headers: Record<string, string> = {},
): Promise<SendOutcome> {
  const status = await postJson(url, JSON.stringify(payload), { ...headers, 'x-outbox-key': key }, timeoutMs);
  if (status === null) return { ok: false, failure: { timeout: true } };
  if (status >= 200 && status < 300) return { ok: true };
  return { ok: false, failure: { errcode: status >= 500 ? -1 : 47003, errmsg: `HTTP ${status}` } };
}
