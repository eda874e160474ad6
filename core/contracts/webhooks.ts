import { z } from 'zod';
import type { EventType } from '../events';
import { defineAction, isoInstant } from './common';

/**
 * CRM webhooks: the events a brand's systems may subscribe to, and the brand-admin actions that
 * manage subscriptions and replay deliveries (in the `admin` function).
 */
export const WEBHOOK_EVENT_TYPES = [
  'member.joined',
  'member.merged',
  'member.deleted',
  'member.stage_changed',
  'tier.changed',
  'points.earned',
  'points.spent',
  'points.adjusted',
  'points.reversed',
  'points.expired',
  'coupon.issued',
  'coupon.redeemed',
  'order.attached',
  'consent.marketing_withdrawn',
] as const satisfies readonly EventType[];

const subscriptionId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'id: a-z 0-9 -, at most 32');
/** The name of the environment variable holding the signing secret (the secret itself never enters the database). */
const secretEnv = z.string().regex(/^[A-Z][A-Z0-9_]{2,63}$/, 'an environment variable name: A-Z 0-9 _');
const url = z.url({ protocol: /^https?$/ }).max(500);

export const webhookSubscription = z.object({
  id: subscriptionId,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  secretEnv: z.string(),
  active: z.boolean(),
  updatedAt: isoInstant,
});

/** Create or replace a subscription by id; `active: false` stops new deliveries (those queued still go). */
export const saveWebhook = defineAction(
  z.strictObject({
    id: subscriptionId,
    url,
    events: z.array(z.enum(WEBHOOK_EVENT_TYPES)).min(1).max(WEBHOOK_EVENT_TYPES.length),
    secretEnv,
    active: z.boolean().default(true),
  }),
  webhookSubscription,
);

export const listWebhooks = defineAction(z.strictObject({}), z.object({ subscriptions: z.array(webhookSubscription) }));

/** Deliver again: one delivery by its key, or every delivery of a subscription whose event lies in [from, to]. */
export const replayWebhooks = defineAction(
  z.union([
    z.strictObject({ key: z.string().min(1).max(100) }),
    z
      .strictObject({ subscriptionId, from: isoInstant, to: isoInstant })
      .refine((i) => Date.parse(i.from) <= Date.parse(i.to), { message: 'from after to', path: ['to'] }),
  ]),
  z.object({ replayed: z.number().int() }),
);

export const webhookContracts = {
  'webhooks.save': saveWebhook,
  'webhooks.list': listWebhooks,
  'webhooks.replay': replayWebhooks,
};
