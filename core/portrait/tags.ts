import { z } from 'zod';
import { eventTypeSchema } from '../events';
import { evaluateRule, ruleSchema, type Facts } from './rules';

/** Seed 001's taxonomy: who they are, what they do, what they buy, what they like, where they come from. */
export const TAG_CATEGORIES = ['demographic', 'behaviour', 'consumption', 'preference', 'channel'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];

/** Category names as staff read them in the taxonomy. */
export const TAG_CATEGORY_NAMES: Record<TagCategory, { zh: string; en: string }> = {
  demographic: { zh: '人口属性', en: 'Demographic' },
  behaviour: { zh: '行为', en: 'Behaviour' },
  consumption: { zh: '消费', en: 'Consumption' },
  preference: { zh: '偏好', en: 'Preference' },
  channel: { zh: '渠道', en: 'Channel' },
};

const name = z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(60).optional() });
const instant = z.union([
  z.date(),
  z
    .string()
    .datetime({ offset: true })
    .transform((v) => new Date(v)),
]);
const common = {
  id: z.string().regex(/^[a-z][a-z0-9_]{1,47}$/),
  category: z.enum(TAG_CATEGORIES),
  name,
  /** How the admin shows it, e.g. `#d4380d`. */
  colour: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/)
    .optional(),
  /** After this instant the tag is retired: no longer put on, and taken off everyone at their next review. */
  expiresAt: instant.optional(),
  /** Archived tags are kept for the record and taken off like retired ones. */
  archived: z.boolean().optional(),
};

/**
 * manual: only staff add and remove it. rule: kept equal to its rule by evaluateTags.
 * interaction: added when one of its triggers happens (seed 002's "interactive"), dropped after ttlDays.
 */
export const tagDefinitionSchema = z.discriminatedUnion('kind', [
  /** ttlDays: each holding ends that many days after it was put on (null: until taken off). */
  z.object({
    ...common,
    kind: z.literal('manual'),
    ttlDays: z.number().int().positive().max(3660).nullable().default(null),
  }),
  z.object({ ...common, kind: z.literal('rule'), rule: ruleSchema }),
  z.object({
    ...common,
    kind: z.literal('interaction'),
    triggers: z.array(eventTypeSchema).min(1),
    ttlDays: z.number().int().positive().max(3660).nullable().default(null),
  }),
]);
export type TagDefinition = z.output<typeof tagDefinitionSchema>;
/** A tag definition as written: interaction triggers are event names from the catalogue (`core/events`). */
export type TagDefinitionInput = z.input<typeof tagDefinitionSchema>;

export const tagTaxonomySchema = z
  .array(tagDefinitionSchema)
  .refine((d) => new Set(d.map((t) => t.id)).size === d.length, 'tag ids must be unique');
export const parseTagTaxonomy = (input: unknown): TagDefinition[] => tagTaxonomySchema.parse(input);

/** A tag a person holds and how it got there. */
export interface HeldTag {
  tagId: string;
  source: 'manual' | 'rule' | 'interaction';
  at: Date;
  expiresAt?: Date;
  /** The bulk tagging job that put it on, so a rerun of that job skips the member. */
  jobId?: string;
}

export interface TagDecision {
  add: HeldTag[];
  /** Tag ids to take off. */
  remove: string[];
}

/** Whether a definition is retired (archived, or past its `expiresAt`) at `now`. */
export const isRetired = (def: TagDefinition, now: Date): boolean =>
  def.archived === true || (def.expiresAt !== undefined && def.expiresAt.getTime() <= now.getTime());

/**
 * Rule tags follow their rule (added when it matches, removed when it stops matching); holdings past
 * their own expiry, and holdings of a retired tag, are removed whatever their source; other manual
 * tags, and tags a person holds from another source, are left alone (a rule never removes what staff
 * put on).
 */
export function evaluateTags(
  definitions: readonly TagDefinition[],
  facts: Facts,
  held: readonly HeldTag[],
  now: Date,
): TagDecision {
  const byId = new Map(held.map((h) => [h.tagId, h]));
  const out: TagDecision = { add: [], remove: [] };
  const expired = (h: HeldTag | undefined) => !!h?.expiresAt && new Date(h.expiresAt).getTime() <= now.getTime();
  for (const def of definitions) {
    const h = byId.get(def.id);
    if (h && (isRetired(def, now) || expired(h))) {
      out.remove.push(def.id);
    } else if (isRetired(def, now)) {
      continue;
    } else if (def.kind === 'rule') {
      const match = evaluateRule(def.rule, facts, now);
      if (match && !h) out.add.push({ tagId: def.id, source: 'rule', at: now });
      if (!match && h?.source === 'rule') out.remove.push(def.id);
    }
  }
  return out;
}

/** The holding staff put on a member now: with its expiry when the tag has `ttlDays`. */
export function manualHolding(def: TagDefinition | undefined, tagId: string, now: Date): HeldTag {
  const tag: HeldTag = { tagId, source: 'manual', at: now };
  if (def?.kind === 'manual' && def.ttlDays !== null)
    tag.expiresAt = new Date(now.getTime() + def.ttlDays * 86_400_000);
  return tag;
}

/** Interaction tags an event (such as `oa.menu_clicked`) puts on, with their expiry; refreshes ones held. */
export function tagsForInteraction(definitions: readonly TagDefinition[], trigger: string, now: Date): HeldTag[] {
  return definitions.flatMap((def) => {
    if (def.kind !== 'interaction' || !(def.triggers as readonly string[]).includes(trigger)) return [];
    const tag: HeldTag = { tagId: def.id, source: 'interaction', at: now };
    if (def.ttlDays !== null) tag.expiresAt = new Date(now.getTime() + def.ttlDays * 86_400_000);
    return [tag];
  });
}

/**
 * A starting taxonomy drawn from the seeds; brands edit their own. Rule facts the server provides:
 * age, gender, city, stage, tierId, paidOrderCount, spend12mFen, lastPaidAt, categories[] (bought),
 * channels[] (order sources and join channel), rfm.{r,f,m}, lastInteractionAt.
 */
const surveyTag = (id: string, zh: string, en: string): TagDefinitionInput[] => [
  { id, category: 'preference', kind: 'manual', name: { zh, en } },
];
type Rule = z.input<typeof ruleSchema>;
const ruleTag = (id: string, category: TagCategory, zh: string, en: string, rule: Rule): TagDefinitionInput => ({
  id,
  category,
  kind: 'rule',
  name: { zh, en },
  rule,
});
const viaChannel = (value: string): Rule => ({ field: 'channels', op: 'contains', value });

const defaults: TagDefinitionInput[] = [
  {
    id: 'hi_po_young_professional',
    category: 'demographic',
    kind: 'manual',
    name: { zh: '高潜青年职场人', en: 'Hi-Po young professional' },
  },
  ruleTag('age_25_34', 'demographic', '25–34 岁', 'Aged 25–34', {
    all: [
      { field: 'age', op: 'gte', value: 25 },
      { field: 'age', op: 'lte', value: 34 },
    ],
  }),
  {
    id: 'interactive',
    category: 'behaviour',
    kind: 'interaction',
    name: { zh: '互动活跃', en: 'Interactive' },
    triggers: ['oa.menu_clicked', 'oa.message', 'survey.completed'],
    ttlDays: 30,
  },
  ruleTag('recent_buyer', 'behaviour', '近30天购买', 'Bought in last 30 days', {
    field: 'lastPaidAt',
    op: 'withinDays',
    value: 30,
  }),
  ruleTag('high_value', 'consumption', '高价值客户', 'High value', {
    any: [
      { field: 'spend12mFen', op: 'gte', value: 500_000 },
      { field: 'rfm.m', op: 'eq', value: 5 },
    ],
  }),
  ruleTag('repeat_buyer', 'consumption', '复购客户', 'Repeat buyer', { field: 'paidOrderCount', op: 'gte', value: 2 }),
  ruleTag('likes_qipao', 'preference', '偏好旗袍', 'Likes qipao', {
    field: 'categories',
    op: 'contains',
    value: 'qipao',
  }),
  ruleTag('channel_store', 'channel', '门店顾客', 'Store customer', {
    any: [viaChannel('pos'), viaChannel('store_qr')],
  }),
  // seed 004: the follower survey's answers (core/surveys), put on when the member answers
  ...surveyTag('survey_custom_qipao', '问卷：旗袍定制', 'Survey: made-to-measure'),
  ...surveyTag('survey_ready_to_wear', '问卷：日常成衣', 'Survey: ready-to-wear'),
  ...surveyTag('survey_accessories', '问卷：配饰', 'Survey: accessories'),
  ...surveyTag('survey_store_events', '问卷：门店活动', 'Survey: store events'),
  ruleTag('channel_ecommerce', 'channel', '电商顾客', 'E-commerce customer', viaChannel('ecommerce')),
];
export const DEFAULT_TAGS: TagDefinition[] = parseTagTaxonomy(defaults);
