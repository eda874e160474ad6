import type { z } from 'zod';
import type { ProductInput, productSyncResult } from '../../core/contracts/catalogue';
import type { Database } from '../runtime/cloud';

type Result = z.input<typeof productSyncResult>;
const isDuplicate = (e: unknown) => /E11000|duplicate/i.test((e as Error)?.message ?? '');

const docOf = (p: ProductInput, source: string, now: Date) => ({
  name: p.name,
  category: p.category,
  priceFen: p.priceFen,
  imageUrl: p.imageUrl,
  active: p.active,
  updatedAt: new Date(p.updatedAt),
  source,
  syncedAt: now,
});

/**
 * One product: written only over an older version (a conditional update on `updatedAt`), so the
 * same update sent twice, or an old one arriving late, changes nothing; a product not yet stored is
 * inserted, and an insert that loses a race to another falls back to the conditional update.
 */
async function syncProduct(db: Database, source: string, p: ProductInput, now: Date): Promise<Result> {
  const _ = db.command;
  const data = docOf(p, source, now);
  const newer = async () => {
    const r = (await db
      .collection('products')
      .where({ _id: p.productId, updatedAt: _.lt(data.updatedAt) })
      .update({ data })) as { stats?: { updated?: number } };
    return (r.stats?.updated ?? 0) > 0;
  };
  if (await newer()) return { productId: p.productId, outcome: 'updated' };
  try {
    await db.collection('products').add({ data: { _id: p.productId, ...data } });
    return { productId: p.productId, outcome: 'created' };
  } catch (e) {
    if (!isDuplicate(e)) throw e;
  }
  return { productId: p.productId, outcome: (await newer()) ? 'updated' : 'unchanged' };
}

/** A batch from a brand system, product by product in order (a product named twice: the newer wins). */
export async function syncProducts(
  db: Database,
  source: string,
  products: ProductInput[],
  now: Date,
): Promise<Result[]> {
  const results: Result[] = [];
  for (const p of products) results.push(await syncProduct(db, source, p, now));
  return results;
}
