import { z } from 'zod';
import { BEHAVIOUR_KINDS } from '../events/behaviour';
import { defineAction, isoInstant } from './common';
import { productId, productView } from './catalogue';
import { externalIdentityType } from './member';

const NEEDS: Record<(typeof BEHAVIOUR_KINDS)[number], 'page' | 'productId' | 'query' | null> = {
  page_view: 'page',
  product_view: 'productId',
  add_to_cart: 'productId',
  share: null,
  search: 'query',
};

/** One behaviour event as a client sends it; the fields a kind needs are required for that kind. */
export const behaviourEvent = z
  .object({
    kind: z.enum(BEHAVIOUR_KINDS),
    at: isoInstant,
    page: z
      .string()
      .max(128)
      .regex(/^[A-Za-z0-9_/.:-]+$/, 'expected a page path')
      .optional(),
    productId: productId.optional(),
    query: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    const needs = NEEDS[e.kind];
    if (needs && e[needs] === undefined) {
      ctx.addIssue({ code: 'custom', path: [needs], message: `${e.kind} needs ${needs}` });
    }
  });
export type BehaviourEventInput = z.output<typeof behaviourEvent>;

const accepted = z.object({
  accepted: z.number().int(),
  /** events older than the accepted window, or after a consent withdrawal */
  dropped: z.number().int(),
});

/** The Mini Program's tracker sends a batch of the caller's events (consent required). */
export const track = defineAction(z.object({ events: z.array(behaviourEvent).min(1).max(50) }).strict(), accepted);

/** The caller agrees to (or declines) behaviour tracking; declining also erases what was collected. */
export const setTrackingConsent = defineAction(
  z.object({ optIn: z.boolean() }).strict(),
  z.object({ trackingOptIn: z.boolean(), changedAt: isoInstant, erased: z.number().int() }),
);

/** Interest tags (categories by weight) and products recommended for the caller. */
export const recommendations = defineAction(
  z.object({ limit: z.number().int().min(1).max(20).default(6) }).strict(),
  z.object({
    interests: z.array(z.object({ category: z.string(), score: z.number() })),
    products: z.array(productView),
  }),
);

export const behaviourContracts = { track, setTrackingConsent, recommendations } as const;

/**
 * `POST /http/member/track`: the brand's website sends, signed by its server, the events of its
 * visitors. Each visitor has the site's anonymous id; `identities` say who a visitor is once they
 * logged in on the site (that joins the anonymous id, and all its events, to the member).
 * `consent: true` says the site collected each visitor's consent; without it nothing is stored.
 */
const identity = z.object({ type: externalIdentityType, value: z.string().min(1).max(128) }).strict();
export const webVisitor = z
  .object({
    anonymousId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8–64 of A-Z a-z 0-9 _ -'),
    identities: z.array(identity).max(5).optional(),
    events: z.array(behaviourEvent).max(200).default([]),
  })
  .strict();
export const webTrackRequest = z
  .object({ consent: z.literal(true), visitors: z.array(webVisitor).min(1).max(100) })
  .strict()
  .refine((r) => r.visitors.reduce((n, v) => n + v.events.length, 0) <= 1000, 'at most 1000 events a request');
export type WebTrackRequest = z.output<typeof webTrackRequest>;
