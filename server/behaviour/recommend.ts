import type { recommendations as contract } from '../../core/contracts/behaviour';
import { interestsOf, recommend, type Interest, type InterestSignal } from '../../core/behaviour/interests';
import type { Database } from '../runtime/cloud';
import type { Handler } from '../kit/router';
import { requireMember } from '../members/resolve';

const SIGNAL_DAYS = 180;
const MAX_ROWS = 500;
const TOP_CATEGORIES = 3;

type SeenRow = { kind: string; category?: string; at: Date };
type PaidRow = { items?: { sku: string; category: string }[]; paidAt?: Date; createdAt: Date };

interface ProductDoc {
  _id: string;
  name: { zh: string; en?: string };
  category: string;
  priceFen: number;
  imageUrl: string;
}

/** The member's interests and the skus they bought: behaviour rows and paid orders of the last half year. */
export async function interestFacts(
  db: Database,
  memberId: string,
  now: Date,
): Promise<{ interests: Interest[]; bought: Set<string> }> {
  const _ = db.command;
  const since = new Date(now.getTime() - SIGNAL_DAYS * 86_400_000);
  const seen = (await db
    .collection('behaviour')
    .where({ memberId, at: _.gte(since) })
    .orderBy('at', 'desc')
    .field({ kind: true, category: true, at: true })
    .limit(MAX_ROWS)
    .get()) as unknown as { data: SeenRow[] };
  const orders = (await db
    .collection('orders')
    .where({ memberId, paid: true, createdAt: _.gte(since) })
    .orderBy('createdAt', 'desc')
    .field({ items: true, paidAt: true, createdAt: true })
    .limit(100)
    .get()) as unknown as { data: PaidRow[] };
  const signals: InterestSignal[] = seen.data.flatMap((r) =>
    r.category && r.kind !== 'page_view' && r.kind !== 'search'
      ? [{ category: r.category, kind: r.kind as InterestSignal['kind'], at: new Date(r.at) }]
      : [],
  );
  const bought = new Set<string>();
  for (const o of orders.data) {
    for (const item of o.items ?? []) {
      bought.add(item.sku);
      signals.push({ category: item.category, kind: 'bought', at: new Date(o.paidAt ?? o.createdAt) });
    }
  }
  return { interests: interestsOf(signals, now), bought };
}

/** Products recommended for a member, in their language: the top interests' active products, newest first. */
export async function recommendedProducts(db: Database, memberId: string, now: Date, limit: number, lang: 'zh' | 'en') {
  const { interests, bought } = await interestFacts(db, memberId, now);
  const top = interests.slice(0, TOP_CATEGORIES);
  const where = top.length ? { category: db.command.in(top.map((i) => i.category)), active: true } : { active: true };
  const r = (await db
    .collection('products')
    .where(where)
    .orderBy('updatedAt', 'desc')
    .limit(Math.min(100, (limit + bought.size) * 3))
    .get()) as unknown as { data: ProductDoc[] };
  const candidates = r.data.map((p) => ({ ...p, productId: p._id }));
  const products = recommend(top, candidates, bought, limit).map((p) => ({
    productId: p.productId,
    name: (lang === 'en' ? p.name.en : undefined) ?? p.name.zh,
    category: p.category,
    priceFen: p.priceFen,
    imageUrl: p.imageUrl,
  }));
  return { interests, products };
}

export const recommendFor: Handler<typeof contract> = async (input, ctx) => {
  const m = await requireMember(ctx.db, ctx.openid);
  return recommendedProducts(ctx.db, m._id, ctx.now(), input.limit, m.language ?? 'zh');
};

/** Message data naming the member's top recommended products in both languages (empty with none). */
export async function recommendationText(db: Database, memberId: string, now: Date): Promise<Record<string, string>> {
  const [zh, en] = await Promise.all((['zh', 'en'] as const).map((l) => recommendedProducts(db, memberId, now, 2, l)));
  const line = (ps: { name: string; priceFen: number }[]) =>
    ps.map((p) => `${p.name} ¥${p.priceFen / 100}`).join(' · ');
  if (!zh?.products.length || !en) return {};
  return {
    recommended_zh: `为您推荐：${line(zh.products)}`,
    recommended_en: `Picked for you: ${line(en.products)}`,
  };
}
