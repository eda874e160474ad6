import { z } from 'zod';

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const text = z.object({ zh: z.string().min(1).max(80), en: z.string().min(1).max(120).optional() });
const fen = z.number().int().positive();

export const couponBenefitSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('amountOff'), amountFen: fen }),
  /** Percent off the order (10 = 10% off, "9折"), in steps of 0.1; the discount is floored to the fen. */
  z.object({
    kind: z.literal('percentOff'),
    percent: z
      .number()
      .gt(0)
      .lt(100)
      .refine((p) => Math.abs(p * 10 - Math.round(p * 10)) < 1e-9, 'at most one decimal'),
    maxDiscountFen: fen.optional(),
  }),
  z.object({ kind: z.literal('gift'), gift: text }),
]);
export type CouponBenefit = z.output<typeof couponBenefitSchema>;

export const couponValiditySchema = z.discriminatedUnion('kind', [
  /** From the start of fromDate to the end of untilDate, local days in the brand's time zone. */
  z
    .object({ kind: z.literal('fixed'), fromDate: localDay, untilDate: localDay })
    .refine((v) => v.fromDate <= v.untilDate, 'untilDate before fromDate'),
  /** From the claim to the end of the local day `days − 1` days later (the claim day is day 1). */
  z.object({ kind: z.literal('daysAfterClaim'), days: z.number().int().min(1).max(3650) }),
]);
export type CouponValidity = z.output<typeof couponValiditySchema>;

/** Where a coupon can be obtained: the claim centre, a rule grant (join, referral), the points mall, POS. */
export const couponChannel = z.enum(['claimCentre', 'grant', 'pointsMall', 'pos']);
export type CouponChannel = z.output<typeof couponChannel>;

export const couponTemplateSchema = z.object({
  templateId: z.string().min(1).max(64),
  name: text,
  benefit: couponBenefitSchema,
  /** The order must reach this amount (equal is enough). */
  minSpendFen: z.number().int().min(0).default(0),
  validity: couponValiditySchema,
  /** Coupons that may ever be issued; null = unlimited. */
  totalStock: z.number().int().min(0).nullable().default(null),
  /** Coupons of this template one member may hold in total (used ones count); null = unlimited. */
  perMemberLimit: z.number().int().min(1).nullable().default(1),
  channels: z.array(couponChannel).min(1).max(4).default(['claimCentre']),
  /** Stores where it can be redeemed; null = every store. */
  storeIds: z.array(z.string().min(1).max(64)).max(200).nullable().default(null),
  /** When it can be claimed (instants; `until` exclusive). Absent = always. */
  activeWindow: z
    .object({ from: z.coerce.date(), until: z.coerce.date() })
    .refine((w) => w.from < w.until, 'empty window')
    .optional(),
  paused: z.boolean().default(false),
  /** Price in the points mall. */
  pointsCost: z.number().int().positive().optional(),
});
export type CouponTemplate = z.output<typeof couponTemplateSchema>;
export type CouponTemplateInput = z.input<typeof couponTemplateSchema>;

export const parseCouponTemplate = (input: unknown): CouponTemplate => couponTemplateSchema.parse(input);

/** An issued coupon: a snapshot of the template's terms, so later template edits do not change it. */
export interface Coupon {
  couponId: string;
  templateId: string;
  memberId: string;
  code: string;
  benefit: CouponBenefit;
  minSpendFen: number;
  storeIds: string[] | null;
  claimedAt: Date;
  validFrom: Date;
  /** Exclusive: the coupon is expired from this instant on. */
  validUntil: Date;
  usedAt: Date | null;
}
