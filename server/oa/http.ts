import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { OaApiError } from './errors';

const MAX_BODY = 256 * 1024;
// kept-alive connections: the dispatcher sends many messages a second to the same host
const agents = {
  http: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
  https: new HttpsAgent({ keepAlive: true, maxSockets: 64 }),
};

/**
 * One exchange with the WeChat API within `timeoutMs` (the whole exchange, not only socket idle
 * time): GET when `body` is undefined, else POST it as JSON. node:http(s) rather than `fetch`:
 * the CloudBase runtime the functions are deployed on (Nodejs16.13) has no global fetch.
 */
function exchange(api: string, url: string, timeoutMs: number, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (timeoutMs <= 0) {
      reject(new OaApiError(api, null, 'timeout', 'no time left'));
      return;
    }
    const target = new URL(url);
    const https = target.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload)
      Object.assign(headers, { 'content-type': 'application/json; charset=utf-8', 'content-length': payload.length });
    let settled = false;
    const fail = (e: OaApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const req = send(
      target,
      { method: payload ? 'POST' : 'GET', headers, agent: https ? agents.https : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) req.destroy(new Error('answer too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          try {
            const answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
            settled = true;
            clearTimeout(timer);
            resolve(answer);
          } catch {
            fail(new OaApiError(api, null, 'bad_response', `HTTP ${res.statusCode ?? '?'} not JSON`));
          }
        });
        res.on('error', (e) => fail(new OaApiError(api, null, 'network', e.message)));
      },
    );
    const timer = setTimeout(() => {
      fail(new OaApiError(api, null, 'timeout', `${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => fail(new OaApiError(api, null, 'network', e.message)));
    req.end(payload);
  });
}

/** GET a WeChat JSON answer within `timeoutMs`. */
export const getJson = (api: string, url: string, timeoutMs: number): Promise<unknown> => exchange(api, url, timeoutMs);

/** POST `body` as JSON and read WeChat's JSON answer within `timeoutMs`. */
export const postJson = (api: string, url: string, body: unknown, timeoutMs: number): Promise<unknown> =>
  exchange(api, url, timeoutMs, body);
