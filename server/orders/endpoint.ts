import { syncRequest } from '../../core/contracts/orders';
import { DomainError } from '../../core/errors';
import { httpError, json, signedEndpoint } from '../http/signed';
import { syncOrders } from './sync';

/**
 * `POST /http/orders/sync`: a brand system (shop, POS, e-commerce) sends up to 500 order updates,
 * signed as server/http/signed.ts checks (bad signature, stale timestamp and reused nonce are
 * refused before anything is written). The answer lists one result per order.
 */
export const orderSyncEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch {
      return httpError(400, 'INVALID_INPUT', 'body is not JSON');
    }
    const parsed = syncRequest.safeParse(raw);
    if (!parsed.success)
      return httpError(
        400,
        'INVALID_INPUT',
        parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      );
    try {
      const results = await syncOrders(ctx, req.source, parsed.data.orders);
      const accepted = results.filter((r) => r.ok).length;
      return json(200, { ok: true, data: { results, accepted, rejected: results.length - accepted } });
    } catch (e) {
      if (e instanceof DomainError) return httpError(400, e.code, e.message);
      throw e;
    }
  },
});
