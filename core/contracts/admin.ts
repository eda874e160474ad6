import { z } from 'zod';
import { defineAction, isoInstant, localDateString } from './common';
import { insightContracts } from './insight';
import { tagContracts } from './tags';
import { webhookContracts } from './webhooks';

const role = z.enum(['brand_admin', 'store_manager', 'advisor']);
const id = z.string().min(1).max(64);

export const invite = defineAction(
  z.strictObject({
    inviteRole: role,
    storeIds: z.array(id).max(50).default([]),
    name: z.string().min(1).max(40),
    validDays: z.number().int().min(1).max(30).default(7),
  }),
  z.object({ code: z.string(), inviteRole: role, storeIds: z.array(z.string()), expiresAt: isoInstant }),
);

export const redeemInvite = defineAction(
  z.strictObject({ code: z.string().min(6).max(32) }),
  z.object({ staffId: z.string(), role, storeIds: z.array(z.string()) }),
);

export const me = defineAction(
  z.strictObject({}),
  z.object({
    staff: z
      .object({
        staffId: z.string(),
        name: z.string().nullable(),
        role,
        storeIds: z.array(z.string()),
        permissions: z.array(z.string()),
      })
      .nullable(),
  }),
);

const heldTag = z.object({ tagId: z.string(), source: z.string(), at: isoInstant.nullable() });
export const memberPortrait = z.object({
  memberId: z.string(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  cardNo: z.string().nullable(),
  stage: z.string().nullable(),
  tags: z.array(heldTag),
  tier: z.string().nullable(),
  points: z.number(),
  ltvFen: z.number(),
  orders: z.array(
    z.object({
      orderId: z.string(),
      amountFen: z.number().nullable(),
      status: z.string().nullable(),
      at: isoInstant.nullable(),
    }),
  ),
  appointments: z.array(
    z.object({
      appointmentId: z.string(),
      storeId: z.string().nullable(),
      status: z.string().nullable(),
      start: isoInstant.nullable(),
    }),
  ),
});

/**
 * members.lookup: by phone, card number or name (`by` guessed from the query when absent), or by
 * member id (`by: 'memberId'`, exact; a merged-away id finds the member it was merged into).
 */
export const lookup = defineAction(
  z
    .strictObject({
      query: z.string().trim().min(1).max(64),
      by: z.enum(['phone', 'card', 'name', 'memberId']).optional(),
    })
    .refine((i) => i.by === 'memberId' || i.query.length <= 40, { message: 'at most 40 characters', path: ['query'] }),
  z.object({ members: z.array(memberPortrait) }),
);

export const tag = defineAction(
  z.strictObject({
    memberId: id,
    add: z.array(id).max(20).default([]),
    remove: z.array(id).max(20).default([]),
    reason: z.string().max(100).optional(),
  }),
  z.object({ memberId: z.string(), tags: z.array(z.string()) }),
);

export const auditRow = z.object({
  id: z.string(),
  who: z.string(),
  role: z.string(),
  at: isoInstant,
  action: z.string(),
  target: z.string(),
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
  reason: z.string().optional(),
});

export const auditList = defineAction(
  z.strictObject({
    staffId: id.optional(),
    memberId: id.optional(),
    /** not `action`: that key routes the call */ auditAction: z.string().min(1).max(64).optional(),
    page: z.number().int().min(0).max(500).default(0),
  }),
  z.object({ items: z.array(auditRow), page: z.number(), pageSize: z.number(), hasMore: z.boolean() }),
);

const dayRow = z.object({
  date: localDateString,
  followers: z.number(),
  members: z.number(),
  paidCustomers: z.number(),
  paidAmongFollowers: z.number(),
  newMembers: z.number(),
  stages: z.record(z.string(), z.number()),
  /** Redeemed ÷ issued coupons that day, when the row carries those counts. */
  couponRedemptionRate: z.number().nullable(),
  /** Booked ÷ offered appointment slots that day, when the row carries those counts. */
  appointmentFillRate: z.number().nullable(),
  /** Referred friends who joined that day; null on rows computed before referrals were counted. */
  referralConversions: z.number().nullable(),
  /** Invitations opened that day; null on rows computed before referrals were counted. */
  referralOpens: z.number().nullable(),
});

export const dashboard = defineAction(
  z.strictObject({ from: localDateString, to: localDateString }),
  z.object({ from: z.string(), to: z.string(), days: z.array(dayRow), latest: dayRow.nullable() }),
);

const lifecycleRebuildView = z.object({
  /** the instant every slice computes at: when the rebuild started */
  at: isoInstant,
  members: z.number(),
  written: z.number(),
  stageChanges: z.number(),
  done: z.boolean(),
});
export type LifecycleRebuildView = z.output<typeof lifecycleRebuildView>;

/** lifecycle.rebuild: start the lifecycle rebuild from orders (or carry on the one under way). */
const lifecycleRebuild = defineAction(z.strictObject({}), lifecycleRebuildView);
/** lifecycle.rebuildProgress: the current rebuild's progress, none when none was started. */
const lifecycleRebuildProgress = defineAction(
  z.strictObject({}),
  z.object({ rebuild: lifecycleRebuildView.nullable() }),
);

export const adminContracts = {
  'staff.invite': invite,
  'staff.redeemInvite': redeemInvite,
  'staff.me': me,
  'members.lookup': lookup,
  'members.tag': tag,
  'audit.list': auditList,
  'dashboard.summary': dashboard,
  'lifecycle.rebuild': lifecycleRebuild,
  'lifecycle.rebuildProgress': lifecycleRebuildProgress,
  ...webhookContracts,
  ...tagContracts,
  ...insightContracts,
};
