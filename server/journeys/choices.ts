import type { z } from 'zod';
import type { journeyChoices } from '../../core/contracts/journeys';
import { STAGES } from '../../core/lifecycle/config';
import { loadBrandConfig } from '../config';
import type { ActionContext } from '../kit/context';
import { tagTaxonomy } from '../portrait/settings';
import { brandMessaging } from '../messaging/brand';
import { requireStaff } from '../staff/require';
import { JOURNEYS_PERMISSION } from './authoring';
import { loadJourneys } from './store';
import type { AnyDb } from '../runtime/cloud';

type Out = z.input<typeof journeyChoices.output>;

/** Enough for a picker on a phone: a brand with more segments or categories types the rest. */
const LIMIT = 200;

async function productCategories(db: AnyDb): Promise<string[]> {
  const r = (await db
    .collection('products')
    .aggregate()
    .group({ _id: '$category' })
    .sort({ _id: 1 })
    .limit(LIMIT)
    .end()) as { list: { _id: unknown }[] };
  return r.list.map((x) => x._id).filter((c): c is string => typeof c === 'string' && c.length > 0);
}

/** Template keys the brand maps to WeChat ids, and those its journeys send as subscription messages. */
async function consentKinds(ctx: ActionContext): Promise<string[]> {
  const [brand, book] = await Promise.all([brandMessaging(ctx.db), loadJourneys(ctx.db, ctx.log)]);
  const sent = [...book.live.values()].flatMap((j) =>
    j.steps.flatMap((s) => (s.type === 'send' && s.channel === 'subscribe' ? [s.template] : [])),
  );
  return [...new Set([...Object.keys(brand.templateIds), ...sent])].sort();
}

/** messaging journeys.choices: the values the editor's condition pickers offer, read in one call. */
export async function journeyChoicesAction(_input: unknown, ctx: ActionContext): Promise<Out> {
  await requireStaff(ctx, JOURNEYS_PERMISSION);
  const db = ctx.db as AnyDb;
  const [tags, segments, categories, consents] = await Promise.all([
    tagTaxonomy(ctx.db, ctx.now().getTime()),
    db.collection('segments').orderBy('updatedAt', 'desc').limit(LIMIT).field({ name: true }).get() as Promise<{
      data: { _id: string; name?: string }[];
    }>,
    productCategories(db),
    consentKinds(ctx),
  ]);
  return {
    tags: tags.filter((t) => !t.archived).map((t) => ({ id: t.id, name: t.name, category: t.category })),
    tiers: loadBrandConfig().config.tiers.tiers.map((t) => ({ id: t.id, name: t.name })),
    stages: [...STAGES],
    segments: segments.data.map((s) => ({ id: s._id, name: s.name ?? s._id })),
    categories,
    consents,
  };
}
