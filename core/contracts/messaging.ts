import { z } from 'zod';
import { STEP_TYPES } from '../journeys/schema';
import { segmentRuleSchema } from '../segments/rule';
import { defineAction, isoInstant } from './common';
import { journeyAuthoringContracts } from './journeys';
import { surveyContracts } from './survey';

/**
 * The `messaging` cloud function: subscription consents and message preferences (members),
 * segments, campaigns and metrics (staff; the role comes from the `staff` collection).
 */

export const channel = z.enum(['subscribe', 'oa_template', 'oa_custom', 'email']);
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm');
const templateId = z.string().min(1).max(64);
const id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'id: a-z 0-9 -');

/** What `wx.requestSubscribeMessage` answered, per template id; `longTerm` lists templates of long-term categories. */
export const recordConsent = defineAction(
  z
    .object({
      results: z
        .record(templateId, z.enum(['accept', 'reject', 'ban', 'filter']))
        .refine((r) => Object.keys(r).length > 0 && Object.keys(r).length <= 20, '1–20 templates'),
      longTerm: z.array(templateId).max(20).optional(),
    })
    .strict(),
  z.object({
    templates: z.record(
      z.string(),
      z.object({ remaining: z.number().int(), longTerm: z.boolean(), blocked: z.enum(['reject', 'ban']).nullable() }),
    ),
  }),
);

export const prefsView = z.object({
  marketingOptOut: z.boolean(),
  channelOptOut: z.array(channel),
  capPerDay: z.number().int().nullable(),
  capPerWeek: z.number().int().nullable(),
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable(),
  language: z.enum(['zh', 'en']),
});

/** The caller's preferences (brand defaults filled in). */
export const prefs = defineAction(z.object({}).strict(), prefsView);

/** PIPL: opt out of all marketing or per channel; language for content. Caps and quiet hours are the brand's. */
export const updatePrefs = defineAction(
  z
    .object({
      marketingOptOut: z.boolean().optional(),
      channelOptOut: z.array(channel).max(4).optional(),
      language: z.enum(['zh', 'en']).optional(),
    })
    .strict(),
  prefsView,
);

/** Staff: how many members a rule matches now. */
const sampleMember = z.object({
  memberId: z.string(),
  name: z.string().nullable(),
  stage: z.string().nullable(),
  tier: z.string().nullable(),
  ltvFen: z.number(),
});
/** Staff: the size of a rule's segment now and a sample of up to ten of its members. */
export const previewSegment = defineAction(
  z.object({ rule: segmentRuleSchema }).strict(),
  z.object({ count: z.number().int(), sample: z.array(sampleMember), at: isoInstant }),
);

/** Staff: save (create or replace) a segment by id. */
export const saveSegment = defineAction(
  z.object({ id, name: z.string().trim().min(1).max(80), rule: segmentRuleSchema }).strict(),
  z.object({ id: z.string(), count: z.number().int() }),
);

export const campaignMessage = z
  .object({
    channel,
    template: z.string().min(1).max(64),
    purpose: z.enum(['marketing', 'transactional']).default('marketing'),
    data: z
      .record(z.string().min(1).max(32), z.union([z.string().max(200), z.number(), z.boolean()]))
      .refine((d) => Object.keys(d).length <= 20, 'at most 20 fields')
      .default({}),
  })
  .strict();

/** Staff: send a campaign to a saved segment now or at a time; caps, quiet hours and opt-outs apply per member. */
export const sendCampaign = defineAction(
  z
    .object({
      id,
      name: z.string().trim().min(1).max(80),
      segmentId: id,
      message: campaignMessage,
      sendAt: isoInstant.optional(),
    })
    .strict(),
  z.object({
    campaignId: z.string(),
    state: z.enum(['scheduled', 'enqueuing', 'enqueued']),
    sendAt: isoInstant,
    enqueued: z.number().int(),
  }),
);

export const metricsView = z.object({
  entered: z.number().int(),
  sent: z.number().int(),
  skipped: z.record(z.string(), z.number().int()),
  deferred: z.number().int(),
  pending: z.number().int(),
  failed: z.number().int(),
  unknown: z.number().int(),
  converted: z.number().int(),
});

/** Staff: figures of one journey or campaign. */
export const metrics = defineAction(
  z.union([z.object({ journeyId: id }).strict(), z.object({ campaignId: id }).strict()]),
  metricsView,
);

export const JOURNEY_PAGE_SIZE = 20;

/** Counts of one step: runs that reached it, runs waiting on it now, messages it sent, and those credited with a paid order. */
export const journeyStepMetrics = z.object({
  id: z.string(),
  type: z.enum(STEP_TYPES),
  /** What the step does in a few characters: a duration, a template id, a tag… */
  detail: z.string(),
  reached: z.number().int(),
  waiting: z.number().int(),
  sent: z.number().int(),
  converted: z.number().int(),
});

export const journeyAdminView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  enabled: z.boolean(),
  /** draft (never published), live, archived; version 0 before the first publication. */
  status: z.enum(['draft', 'live', 'archived']).default('live'),
  version: z.number().int().default(0),
  trigger: z.string(),
  totals: z.object({
    entered: z.number().int(),
    active: z.number().int(),
    completed: z.number().int(),
    exited: z.number().int(),
    sent: z.number().int(),
    converted: z.number().int(),
  }),
  steps: z.array(journeyStepMetrics),
});

/** Staff (`journeys.manage`): the journeys, 20 a page by id, each with its per-step figures. */
export const listJourneys = defineAction(
  z.strictObject({ page: z.number().int().min(0).max(500).default(0) }),
  z.object({
    items: z.array(journeyAdminView),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
  }),
);

/**
 * Staff: switch a journey on or off. Off admits no new runs, and runs still waiting in it exit at
 * their next step (`journey_disabled`); setting the current state changes nothing.
 */
export const setJourneyEnabled = defineAction(
  z.strictObject({ journeyId: id, enabled: z.boolean() }),
  z.object({ id: z.string(), enabled: z.boolean(), changed: z.boolean(), activeRuns: z.number().int() }),
);

export const SEGMENT_PAGE_SIZE = 20;

/** A saved segment as staff pick it: its rule as saved, and when it last changed. */
export const segmentAdminView = z.object({
  id: z.string(),
  name: z.string(),
  rule: segmentRuleSchema,
  updatedAt: isoInstant,
});

/** Staff (`segments.manage`): the saved segments, most recently changed first, 20 a page. */
export const listSegments = defineAction(
  z.strictObject({ page: z.number().int().min(0).max(500).default(0) }),
  z.object({
    items: z.array(segmentAdminView),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
  }),
);

/** Campaigns carry their figures, each counted as `metrics` counts them: a smaller page keeps one call short. */
export const CAMPAIGN_PAGE_SIZE = 10;

export const campaignAdminView = z.object({
  id: z.string(),
  name: z.string(),
  /** scheduled (waiting for sendAt), enqueuing (members being queued), enqueued (every member queued or skipped). */
  state: z.enum(['scheduled', 'enqueuing', 'enqueued']),
  /** The segment it went to; name null when the segment no longer exists. */
  segment: z.object({ id: z.string(), name: z.string().nullable() }),
  channel,
  template: z.string(),
  /** When it is due (scheduled) or went out (sent now). */
  sendAt: isoInstant,
  createdAt: isoInstant,
  /** Why enqueuing stopped, e.g. `segment_missing`; null when it did not. */
  error: z.string().nullable(),
  metrics: metricsView,
});

/** Staff (`campaigns.send`): the campaigns, newest first, 10 a page, each with the figures `metrics` gives. */
export const listCampaigns = defineAction(
  z.strictObject({ page: z.number().int().min(0).max(500).default(0) }),
  z.object({
    items: z.array(campaignAdminView),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
  }),
);

export const messagingContracts = {
  recordConsent,
  prefs,
  updatePrefs,
  'segments.preview': previewSegment,
  'segments.save': saveSegment,
  'segments.list': listSegments,
  'campaigns.send': sendCampaign,
  'campaigns.list': listCampaigns,
  metrics,
  'journeys.list': listJourneys,
  'journeys.setEnabled': setJourneyEnabled,
  ...journeyAuthoringContracts,
  ...surveyContracts,
} as const;
