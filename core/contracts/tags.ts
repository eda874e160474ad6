import { z } from 'zod';
import { ruleSchema } from '../portrait/rules';
import { TAG_CATEGORIES } from '../portrait/tags';
import { MAX_RULE_DEPTH, ruleBoundsProblem } from '../segments/rule';
import { defineAction, isoInstant } from './common';

/**
 * The tag taxonomy staff keep in the admin area (categories, colours, manual and rule tags with an
 * expiry) and tagging a whole segment as a job that goes page by page and resumes where it stopped.
 */
const tagId = z.string().regex(/^[a-z][a-z0-9_]{1,47}$/, 'lower-case letters, digits and _');
const name = z.strictObject({ zh: z.string().trim().min(1).max(40), en: z.string().trim().min(1).max(60).optional() });
const colour = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'a colour such as #d4380d');
const common = {
  id: tagId,
  category: z.enum(TAG_CATEGORIES),
  name,
  colour: colour.optional(),
  expiresAt: isoInstant.optional(),
};

const tagRule = z
  .unknown()
  .superRefine((v, ctx) => {
    const problem = ruleBoundsProblem(v, MAX_RULE_DEPTH, ['all', 'any']);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .pipe(ruleSchema);

export const tagDraft = z.discriminatedUnion('kind', [
  z.strictObject({
    ...common,
    kind: z.literal('manual'),
    ttlDays: z.number().int().min(1).max(3660).nullable().default(null),
  }),
  z.strictObject({ ...common, kind: z.literal('rule'), rule: tagRule }),
]);

const tagView = z.object({
  id: z.string(),
  category: z.string(),
  kind: z.enum(['manual', 'rule', 'interaction']),
  name: z.object({ zh: z.string(), en: z.string().optional() }),
  colour: z.string().nullable(),
  ttlDays: z.number().nullable(),
  expiresAt: isoInstant.nullable(),
  archived: z.boolean(),
  rule: z.unknown().optional(),
});

export const listTags = defineAction(
  z.strictObject({ includeArchived: z.boolean().default(false) }),
  z.object({
    items: z.array(tagView),
    categories: z.array(z.object({ id: z.string(), zh: z.string(), en: z.string() })),
  }),
);

export const saveTag = defineAction(z.strictObject({ tag: tagDraft }), z.object({ id: z.string() }));

export const archiveTag = defineAction(
  z.strictObject({ id: tagId, archived: z.boolean() }),
  z.object({ id: z.string(), archived: z.boolean() }),
);

const jobView = z.object({
  jobId: z.string(),
  segmentId: z.string(),
  tagId: z.string(),
  op: z.enum(['add', 'remove']),
  state: z.enum(['running', 'done']),
  /** Members whose tags this job changed. */
  changed: z.number(),
  createdAt: isoInstant,
  finishedAt: isoInstant.nullable(),
});
export type TagJobView = z.output<typeof jobView>;

/** Put a tag on (or take it off) every member of a saved segment; `jobId` is the caller's, so a retry is the same job. */
export const bulkTag = defineAction(
  z.strictObject({
    jobId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
    segmentId: z.string().min(1).max(64),
    tagId,
    op: z.enum(['add', 'remove']),
  }),
  jobView,
);

export const tagJob = defineAction(z.strictObject({ jobId: z.string().min(1).max(64) }), jobView);

/** members.timeline: a member's portrait for staff, with one timeline of what happened to them. */
export const memberTimeline = defineAction(
  z.strictObject({ memberId: z.string().min(1).max(64) }),
  z.object({
    memberId: z.string(),
    stage: z.string().nullable(),
    rfm: z.object({ r: z.number(), f: z.number(), m: z.number() }).nullable(),
    ltvFen: z.number(),
    ltvForecastFen: z.number(),
    points: z.number(),
    tags: z.array(
      z.object({ tagId: z.string(), source: z.string(), at: isoInstant.nullable(), expiresAt: isoInstant.nullable() }),
    ),
    items: z.array(
      z.object({
        at: isoInstant,
        kind: z.enum(['stage', 'order', 'points', 'coupon', 'booking', 'message']),
        title: z.string(),
        ref: z.string(),
        name: z.object({ zh: z.string(), en: z.string().optional() }).optional(),
      }),
    ),
  }),
);

export const tagContracts = {
  'tags.list': listTags,
  'tags.save': saveTag,
  'tags.archive': archiveTag,
  'tags.bulk': bulkTag,
  'tags.job': tagJob,
  'members.timeline': memberTimeline,
};
