import { syncRequest } from '../../core/contracts/orders';
import { DomainError } from '../../core/errors';
import { httpError, json, parsedBody, signedEndpoint } from '../http/signed';
import { syncOrders } from './sync';

/**
 * `POST /http/orders/sync`: a brand system (shop, POS, e-commerce) sends up to 500 order updates,
 * signed as server/http/signed.ts checks (bad signature, stale timestamp and reused nonce are
 * refused before anything is written). The answer lists one result per order.
 */
export const orderSyncEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    const parsed = parsedBody(syncRequest, req);
    if (!parsed.ok) return parsed.response;
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
