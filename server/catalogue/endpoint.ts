import { productSyncRequest } from '../../core/contracts/catalogue';
import { httpError, json, signedEndpoint } from '../http/signed';
import { syncProducts } from './sync';

/**
 * `POST /http/orders/products`: a brand system sends up to 500 products (id, name, category, price,
 * image), signed like order sync. Idempotent: each product is written only over an older version.
 */
export const productSyncEndpoint = signedEndpoint({
  handler: async (req, ctx) => {
    let raw: unknown;
    try {
      raw = JSON.parse(req.body.toString('utf8'));
    } catch {
      return httpError(400, 'INVALID_INPUT', 'body is not JSON');
    }
    const parsed = productSyncRequest.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
      return httpError(400, 'INVALID_INPUT', issues.join('; '));
    }
    const results = await syncProducts(ctx.db, req.source, parsed.data.products, ctx.now());
    return json(200, { ok: true, data: { results } });
  },
});
