import { z } from 'zod';
import { couponBenefitSchema, couponChannel, couponTemplateSchema, couponValiditySchema } from '../coupons/template';
import { defineAction, isoInstant } from './common';
import { requestId } from './points';

const text = z.object({ zh: z.string(), en: z.string().optional() });
const templateId = z.string().min(1).max(64);
export const couponStatusSchema = z.enum(['available', 'used', 'expired']);

/** A coupon in the wallet (no code: the code is only in coupons.detail). */
export const couponView = z.object({
  couponId: z.string(),
  templateId: z.string(),
  name: text,
  benefit: couponBenefitSchema,
  minSpendFen: z.number().int(),
  storeIds: z.array(z.string()).nullable(),
  claimedAt: isoInstant,
  validFrom: isoInstant,
  validUntil: isoInstant,
  usedAt: isoInstant.nullable(),
  status: couponStatusSchema,
});

/** coupons.list: the wallet, newest first; one status or all. */
export const list = defineAction(
  z.object({ status: couponStatusSchema.optional() }).strict(),
  z.object({ items: z.array(couponView) }),
);

/** A template's terms, as every view of a template shows them. */
const templateTerms = z.object({
  templateId: z.string(),
  name: text,
  benefit: couponBenefitSchema,
  minSpendFen: z.number().int(),
  validity: couponValiditySchema,
  totalStock: z.number().int().nullable(),
  perMemberLimit: z.number().int().nullable(),
  pointsCost: z.number().int().nullable(),
});

export const offerView = templateTerms.extend({
  /** Left to claim; null when unlimited. */
  remaining: z.number().int().nullable(),
  claimedByMember: z.number().int(),
  claimable: z.boolean(),
  /** Why it cannot be claimed now (stable code + message), when not claimable. */
  blocked: z.object({ code: z.string(), message: z.string() }).nullable(),
});

/** coupons.claimCentre: templates offered now on a channel (claim centre by default, or the points mall). */
export const claimCentre = defineAction(
  z.object({ channel: z.enum(['claimCentre', 'pointsMall']).default('claimCentre') }).strict(),
  z.object({ items: z.array(offerView) }),
);

/** coupons.claim: idempotent by requestId (a retry returns the same coupon). */
export const claim = defineAction(
  z.object({ templateId, requestId }).strict(),
  z.object({ coupon: couponView, replayed: z.boolean() }),
);

/** coupons.detail: one of the caller's coupons with its code (shown as QR and as text). */
export const detail = defineAction(
  z.object({ couponId: z.string().min(1).max(64) }).strict(),
  couponView.extend({ code: z.string(), codeDisplay: z.string() }),
);

/** coupons.exchange: points mall; spends the template's points cost and issues the coupon in one transaction. */
export const exchange = defineAction(
  z.object({ templateId, requestId }).strict(),
  z.object({ coupon: couponView, pointsSpent: z.number().int(), balance: z.number().int(), replayed: z.boolean() }),
);

/**
 * coupons.redeem (staff): by the scanned or typed code; audited; once. With a `requestId`, the same
 * staff member retrying the same code with the same id (after a lost answer) gets the first answer
 * again (`replayed: true`) and nothing is redeemed twice; another id on a used coupon is refused.
 */
export const redeem = defineAction(
  z
    .object({
      code: z.string().min(1).max(40),
      storeId: z.string().min(1).max(64),
      orderAmountFen: z.number().int().min(0).max(1e10).default(0),
      /** The member paying, when known (POS): a coupon of someone else is refused. Defaults to the coupon's owner. */
      memberId: z.string().min(1).max(64).optional(),
      /** One per intended redemption; the client reuses it only to retry that intent. */
      requestId: requestId.optional(),
    })
    .strict(),
  z.object({
    couponId: z.string(),
    memberId: z.string(),
    templateId: z.string(),
    name: text,
    discountFen: z.number().int(),
    payableFen: z.number().int(),
    gift: text.nullable(),
    usedAt: isoInstant,
    replayed: z.boolean(),
  }),
);

/** What a coupon is now, as staff see it before redeeming (`not yet valid` is a fixed window that has not begun). */
export const inspectStatus = z.enum(['usable', 'used', 'expired', 'notYetValid']);

/**
 * coupons.inspect (staff, right `coupons.redeem`, read-only): a coupon by its code, before redeeming.
 * With `storeId` (one of the caller's stores) it also says whether it can be redeemed there now.
 */
export const inspect = defineAction(
  z.object({ code: z.string().min(1).max(40), storeId: z.string().min(1).max(64).optional() }).strict(),
  z.object({
    couponId: z.string(),
    code: z.string(),
    codeDisplay: z.string(),
    templateId: z.string(),
    name: text,
    benefit: couponBenefitSchema,
    minSpendFen: z.number().int(),
    status: inspectStatus,
    validFrom: isoInstant,
    validUntil: isoInstant,
    usedAt: isoInstant.nullable(),
    /** The holder, the name masked (林**) so staff can confirm who shows it. */
    holder: z.object({ memberId: z.string(), displayName: z.string().nullable(), cardNo: z.string().nullable() }),
    /** Stores where it can be redeemed, named; null = every store. */
    stores: z.array(z.object({ storeId: z.string(), name: text })).nullable(),
    /** At `storeId`, ignoring the order amount: redeemable, or the refusal redeeming would get (stable code). */
    here: z
      .object({
        storeId: z.string(),
        redeemable: z.boolean(),
        blocked: z.object({ code: z.string(), message: z.string() }).nullable(),
      })
      .nullable(),
  }),
);

/** coupons.grant (staff or system): a rule grant (join in store, referral); once per person and template when the limit is 1. */
export const grant = defineAction(
  z
    .object({
      templateId,
      memberId: z.string().min(1).max(64),
      reason: z.string().trim().min(2).max(100),
      /** What the grant is for when a person may get it more than once (e.g. `referral:<id>`); absent = once per person. */
      occasion: z
        .string()
        .regex(/^[A-Za-z0-9_.:-]{1,80}$/)
        .optional(),
    })
    .strict(),
  z.object({ granted: z.boolean(), coupon: couponView.nullable(), alreadyGrantedTo: z.string().nullable() }),
);

export const TEMPLATE_PAGE_SIZE = 20;

/**
 * A new template as staff fill it in: the stored template's own schema (core/coupons/template.ts),
 * with instants as ISO strings on the wire and an optional id (the server makes one from the request).
 */
const templateFields = couponTemplateSchema.omit({ templateId: true, activeWindow: true }).shape;
export const templateDraft = z
  .strictObject({
    ...templateFields,
    name: z.strictObject({ zh: z.string().trim().min(1).max(40), en: z.string().trim().min(1).max(60).optional() }),
    templateId: z
      .string()
      .regex(/^[A-Za-z0-9_-]{3,64}$/, 'id: 3–64 letters, digits, _ or -')
      .optional(),
    totalStock: z.number().int().min(0).max(10_000_000).nullable().default(null),
    activeWindow: z
      .strictObject({ from: isoInstant, until: isoInstant })
      .refine((w) => Date.parse(w.from) < Date.parse(w.until), 'empty window')
      .optional(),
    requestId,
  })
  .refine((t) => !t.channels.includes('pointsMall') || t.pointsCost !== undefined, {
    message: '积分商城券需要积分价格 / pointsMall needs pointsCost',
    path: ['pointsCost'],
  });

/** A template as staff see it: its terms, and how much of its stock is claimed and redeemed. */
export const templateAdminView = templateTerms.extend({
  channels: z.array(couponChannel),
  storeIds: z.array(z.string()).nullable(),
  paused: z.boolean(),
  activeWindow: z.object({ from: isoInstant, until: isoInstant }).nullable(),
  /** Coupons issued so far (claims, grants, exchanges): the stock counter. */
  claimed: z.number().int(),
  redeemed: z.number().int(),
  /** Left to issue; null when unlimited. */
  stockLeft: z.number().int().nullable(),
});

/** coupons.templates.list (staff): every template, newest first, 20 a page, with claimed and redeemed counts. */
export const templatesList = defineAction(
  z.strictObject({ page: z.number().int().min(0).max(500).default(0) }),
  z.object({
    items: z.array(templateAdminView),
    page: z.number().int(),
    pageSize: z.number().int(),
    hasMore: z.boolean(),
  }),
);

/** coupons.templates.create (staff): idempotent by requestId; an id already used → TEMPLATE_EXISTS. */
export const templatesCreate = defineAction(
  templateDraft,
  z.object({ template: templateAdminView, replayed: z.boolean() }),
);

/** coupons.templates.stock (staff): add or remove stock; never below what is claimed; idempotent by requestId. */
export const templatesStock = defineAction(
  z.strictObject({
    templateId,
    delta: z
      .number()
      .int()
      .min(-10_000_000)
      .max(10_000_000)
      .refine((d) => d !== 0, 'delta must not be 0'),
    requestId,
  }),
  z.object({ template: templateAdminView, replayed: z.boolean() }),
);

/** coupons.templates.pause (staff): pause (no claims, grants or exchanges) or resume; setting the current state changes nothing. */
export const templatesPause = defineAction(
  z.strictObject({ templateId, paused: z.boolean() }),
  z.object({ template: templateAdminView, changed: z.boolean() }),
);

export const couponsContracts = {
  list,
  claimCentre,
  claim,
  detail,
  exchange,
  redeem,
  inspect,
  grant,
  'templates.list': templatesList,
  'templates.create': templatesCreate,
  'templates.stock': templatesStock,
  'templates.pause': templatesPause,
} as const;
