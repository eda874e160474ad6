import { parseRfmConfig, parseTagTaxonomy, DEFAULT_TAGS, type TagDefinition } from '../../core/portrait';
import type { Database } from '../runtime/cloud';
import { loadBrandConfig } from '../config';
import type { PortraitSettings } from './compute';

const TAXONOMY_TTL_MS = 60_000;
let cached: { at: number; tags: TagDefinition[] } | null = null;

/**
 * The brand's tag taxonomy: the `tags` collection (one definition per document, `_id` = tag id), or
 * the default taxonomy when it is empty. Cached for a minute per instance: it changes rarely and
 * every order would otherwise read it.
 */
export async function tagTaxonomy(
  db: Database,
  nowMs: number,
  opts: { fresh?: boolean } = {},
): Promise<TagDefinition[]> {
  if (!opts.fresh && cached && nowMs - cached.at < TAXONOMY_TTL_MS) return cached.tags;
  const r = (await db.collection('tags').limit(1000).get()) as { data: Record<string, unknown>[] };
  const tags = r.data.length ? parseTagTaxonomy(r.data.map(({ _id, ...d }) => ({ id: _id, ...d }))) : DEFAULT_TAGS;
  cached = { at: nowMs, tags };
  return tags;
}

export async function portraitSettings(db: Database, now: Date): Promise<PortraitSettings> {
  const { config } = loadBrandConfig();
  return {
    lifecycle: config.lifecycle,
    rfm: parseRfmConfig({}),
    tags: await tagTaxonomy(db, now.getTime()),
    forecastDays: 365,
  };
}

/** After staff change the taxonomy: this instance reads it again (others within the minute). */
export const forgetTagTaxonomy = (): void => {
  cached = null;
};
