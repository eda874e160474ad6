import { z } from 'zod';
import { eventTypeSchema } from '../events';
import { isDuration } from '../journeys/duration';
import { defineAction, isoInstant } from './common';

/**
 * Authoring journeys (staff with `journeys.manage`): drafts, versions, the simulator. A draft is
 * checked by the journey schema the engine runs (`core/journeys`); its problems name the step.
 */
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'id: a-z 0-9 -');
/** Maps in these inputs hold at most this many keys (a journey document has about ten). */
export const MAX_MAP_KEYS = 20;
const fewKeys = (r: Record<string, unknown>) => Object.keys(r).length <= MAX_MAP_KEYS;
const smallMap = <V extends z.ZodType>(value: V) =>
  z.record(z.string().max(64), value).refine(fewKeys, `at most ${MAX_MAP_KEYS} keys`);

/** The journey as the editor holds it; the journey schema checks it in the action, step by step. */
const journeyBody = smallMap(z.unknown()).refine((r) => JSON.stringify(r).length <= 60_000, 'journey too large');
const name = z.string().min(1).max(64);
const duration = z.string().max(16).refine(isDuration, 'duration like 30m, 47h, 3d');

export const journeyStatus = z.enum(['draft', 'live', 'archived']);

export const authoringView = z.object({
  id: z.string(),
  status: journeyStatus,
  /** The live version; 0 before the first publication. */
  version: z.number().int(),
  /** What the editor edits: the draft, or the live journey when there is no draft. */
  draft: z.record(z.string(), z.unknown()),
  /** The draft differs from the live version. */
  unpublished: z.boolean(),
  versions: z.array(z.object({ version: z.number().int(), publishedAt: isoInstant, publishedBy: z.string() })),
});

export const getJourney = defineAction(z.strictObject({ journeyId: id }), authoringView);
export const createJourney = defineAction(z.strictObject({ journey: journeyBody }), authoringView);
export const saveJourneyDraft = defineAction(z.strictObject({ journeyId: id, journey: journeyBody }), authoringView);
export const duplicateJourney = defineAction(
  z.strictObject({ journeyId: id, newId: id, name: z.string().min(1).max(80).optional() }),
  authoringView,
);
export const archiveJourney = defineAction(z.strictObject({ journeyId: id }), authoringView);
export const publishJourney = defineAction(z.strictObject({ journeyId: id }), authoringView);

/** A member described instead of chosen: what the journey's branches and the send rules read. */
export const simProfile = z.strictObject({
  language: z.enum(['zh', 'en']).default('zh'),
  tags: z.array(name).max(50).default([]),
  stage: z.string().nullable().default(null),
  tier: z.string().nullable().default(null),
  isFollower: z.boolean().default(false),
  isMember: z.boolean().default(true),
  referred: z.boolean().default(false),
  hasEmail: z.boolean().default(false),
  /** Subscription-message consents held (template keys), one message each. */
  consents: z.array(name).max(50).default([]),
  marketingOptOut: z.boolean().default(false),
  segmentIds: z.array(name).max(20).default([]),
  /** Last interaction with the Official Account, hours before the start; null: none. */
  oaActiveHoursAgo: z
    .number()
    .min(0)
    .max(24 * 365)
    .nullable()
    .default(null),
  attributes: smallMap(z.union([z.string().max(200), z.number(), z.boolean()])).default({}),
});

export const timelineEntry = z.object({
  at: isoInstant,
  stepId: z.string(),
  /**
   * enter, waited, then, else, event, timeout, send, skip, defer, expired, grantCoupon, points, tag,
   * webhook, exit, goal, end
   */
  kind: z.string(),
  /** What it would do: a template, a tag, points… */
  detail: z.string(),
  /** Why it went that way: the condition, the skip reason, the quiet hours' end… */
  why: z.string(),
});

export const simulateJourney = defineAction(
  z
    .strictObject({
      journeyId: id,
      /** Play the draft (default) or the live version. */
      source: z.enum(['draft', 'live']).default('draft'),
      memberId: z.string().min(1).max(64).optional(),
      profile: simProfile.optional(),
      /** The trigger event's data (an order's categories, a segment id…) and subject. */
      trigger: z
        .strictObject({ subjectId: z.string().max(64).optional(), data: smallMap(z.unknown()).default({}) })
        .default({ data: {} }),
      start: isoInstant.optional(),
      days: z.number().int().min(1).max(30).default(7),
      /** What the member does meanwhile: an event this long after the start. */
      events: z
        .array(
          z.strictObject({
            after: duration,
            type: eventTypeSchema,
            subjectId: z.string().max(64).optional(),
            data: smallMap(z.unknown()).default({}),
          }),
        )
        .max(20)
        .default([]),
    })
    .refine((x) => (x.memberId === undefined) !== (x.profile === undefined), 'either memberId or profile'),
  z.object({
    entered: z.boolean(),
    status: z.enum(['active', 'completed', 'exited', 'not_entered']),
    exitReason: z.string().nullable(),
    timeline: z.array(timelineEntry),
  }),
);

const named = z.object({ id: z.string(), name: z.object({ zh: z.string(), en: z.string().optional() }) });

/** What the editor's condition pickers offer: the brand's own tags, tiers, segments, categories and templates. */
export const journeyChoices = defineAction(
  z.strictObject({}),
  z.object({
    /** Live tags of the taxonomy, with their category. */
    tags: z.array(named.extend({ category: z.string() })),
    tiers: z.array(named),
    /** The lifecycle stages, in their order. */
    stages: z.array(z.string()),
    /** Saved segments, most recently changed first. */
    segments: z.array(z.object({ id: z.string(), name: z.string() })),
    /** Product categories of the catalogue. */
    categories: z.array(z.string()),
    /** Subscription-message template keys a member can hold a consent for. */
    consents: z.array(z.string()),
  }),
);

export const journeyAuthoringContracts = {
  'journeys.choices': journeyChoices,
  'journeys.get': getJourney,
  'journeys.create': createJourney,
  'journeys.saveDraft': saveJourneyDraft,
  'journeys.duplicate': duplicateJourney,
  'journeys.archive': archiveJourney,
  'journeys.publish': publishJourney,
  'journeys.simulate': simulateJourney,
} as const;
