import { z } from 'zod';
import { isoInstant } from './common';

/** A product id as the brand's systems name it (letters, digits, `_ - . :`). */
export const productId = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'expected 1–64 of A-Z a-z 0-9 _ - . :');
/** A category id (lower-case words joined by `-` or `_`), the unit interests are counted in. */
export const categoryId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, 'expected a lower-case category id like qipao');

/** One product as a brand system sends it to `POST /http/orders/products`. */
export const productInput = z
  .object({
    productId,
    name: z.object({ zh: z.string().trim().min(1).max(60), en: z.string().trim().min(1).max(120).optional() }).strict(),
    category: categoryId,
    priceFen: z.number().int().min(0).max(100_000_000),
    imageUrl: z
      .string()
      .max(512)
      .regex(/^https:\/\//, 'expected an https:// URL'),
    /** false: no longer sold, never recommended */
    active: z.boolean().default(true),
    /** when the product last changed in the brand's system: an older update than the stored one changes nothing */
    updatedAt: isoInstant,
  })
  .strict();
export type ProductInput = z.output<typeof productInput>;

export const productSyncRequest = z.object({ products: z.array(productInput).min(1).max(500) }).strict();

export const productSyncResult = z.object({
  productId: z.string(),
  /** created, updated, or unchanged (the stored version is as new or newer) */
  outcome: z.enum(['created', 'updated', 'unchanged']),
});

/** A product as the Mini Program shows it. */
export const productView = z.object({
  productId: z.string(),
  name: z.string(),
  category: z.string(),
  priceFen: z.number().int(),
  imageUrl: z.string(),
});
