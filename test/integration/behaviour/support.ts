import type { z } from 'zod';
import type { behaviourEvent } from '../../../core/contracts/behaviour';
import type { Emulator } from '../../../emulator/emulator';
import { emulatorNow, signedPost, type SignOptions } from '../orders/support';

export const PRODUCTS_PATH = '/http/orders/products';
export const TRACK_PATH = '/http/member/track';

export interface ProductOptions {
  category?: string;
  priceFen?: number;
  updatedAt?: Date;
  active?: boolean;
  name?: string;
}

/** A product as the brand's system sends it. */
export const product = (productId: string, o: ProductOptions = {}) => ({
  productId,
  name: { zh: o.name ?? `商品 ${productId}` },
  category: o.category ?? 'qipao',
  priceFen: o.priceFen ?? 128_000,
  imageUrl: `https://img.example.com/${productId}.jpg`,
  ...(o.active === undefined ? {} : { active: o.active }),
  updatedAt: (o.updatedAt ?? new Date('2026-03-01T00:00:00Z')).toISOString(),
});

export const syncProducts = (emu: Emulator, products: unknown[], o: SignOptions = {}) =>
  signedPost(emu, 'pos', { products }, { ...o, path: PRODUCTS_PATH });

export const webTrack = (emu: Emulator, body: unknown, o: SignOptions = {}) =>
  signedPost(emu, 'pos', body, { ...o, path: TRACK_PATH });

type BehaviourEvent = z.input<typeof behaviourEvent>;

/** Behaviour events a minute apart, the last a minute before the emulator's present. */
export async function events(emu: Emulator, list: Omit<BehaviourEvent, 'at'>[]): Promise<BehaviourEvent[]> {
  const now = await emulatorNow(emu);
  return list.map((e, i) => ({ ...e, at: new Date(now.getTime() - (list.length - i) * 60_000).toISOString() }));
}
