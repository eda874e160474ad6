import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { OaApiError } from './errors';

const MAX_BODY = 256 * 1024;

/**
 * GET a WeChat JSON answer within `timeoutMs`. node:http(s) rather than `fetch`: the CloudBase
 * runtime the functions are deployed on (Nodejs16.13) has no global fetch.
 */
export function getJson(api: string, url: string, timeoutMs: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    if (timeoutMs <= 0) {
      reject(new OaApiError(api, null, 'timeout', 'no time left'));
      return;
    }
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    let settled = false;
    const fail = (e: OaApiError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(e);
    };
    const req = send(target, { method: 'GET', headers: { accept: 'application/json' } }, (res) => {
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
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
          settled = true;
          clearTimeout(timer);
          resolve(body);
        } catch {
          fail(new OaApiError(api, null, 'bad_response', `HTTP ${res.statusCode ?? '?'} not JSON`));
        }
      });
      res.on('error', (e) => fail(new OaApiError(api, null, 'network', e.message)));
    });
    // the whole exchange, not only socket idle time
    const timer = setTimeout(() => {
      fail(new OaApiError(api, null, 'timeout', `${timeoutMs} ms`));
      req.destroy();
    }, timeoutMs);
    req.on('error', (e) => fail(new OaApiError(api, null, 'network', e.message)));
    req.end();
  });
}
