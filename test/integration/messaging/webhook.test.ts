import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook } from '../../../server/messaging/webhook';

/** A journey webhook reaches a real HTTP server: JSON with the outbox key; 5xx and timeouts retry, 4xx stop. */
let server: Server;
let base = '';
const seen: { path: string; key: string | undefined; body: unknown }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({
        path: req.url ?? '',
        key: req.headers['x-outbox-key'] as string | undefined,
        body: JSON.parse(body || 'null'),
      });
      if (req.url === '/hang') return; // never answers
      res.statusCode = Number((req.url ?? '/200').slice(1)) || 200;
      res.end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('S17 webhook: delivered with its outbox key; 5xx and timeouts are transient, 4xx permanent', async () => {
  expect(await postWebhook(`${base}/200`, { memberId: 'm1', step: 'tag' }, 'run1:hook')).toEqual({ ok: true });
  expect(seen[0]).toEqual({ path: '/200', key: 'run1:hook', body: { memberId: 'm1', step: 'tag' } });
  expect(await postWebhook(`${base}/503`, {}, 'k2')).toEqual({
    ok: false,
    failure: { errcode: -1, errmsg: 'HTTP 503' },
  });
  expect(await postWebhook(`${base}/404`, {}, 'k3')).toEqual({
    ok: false,
    failure: { errcode: 47003, errmsg: 'HTTP 404' },
  });
  expect(await postWebhook(`${base}/hang`, {}, 'k4', 300)).toEqual({ ok: false, failure: { timeout: true } });
  expect(await postWebhook('not a url', {}, 'k5')).toEqual({ ok: false, failure: { timeout: true } });
});
