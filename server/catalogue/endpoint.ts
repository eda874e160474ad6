import { productSyncRequest } from '../../core/contracts/catalogue';
import { json, parsedBody, signedEndpoint } from '../http/signed';
import { syncProducts } from './sync';

/**
 * `POST /http/orders/products`: a brand system sends up to 500 products (id, name, category, price,
 * image), signed like order sync. Idempotent: each product is written only over an older version.
 */
export const productSyncEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    const parsed = parsedBody(productSyncRequest, req);
    if (!parsed.ok) return parsed.response;
    const results = await syncProducts(ctx.db, req.source, parsed.data.products, ctx.now());
    return json(200, { ok: true, data: { results } });
  },
});
