import type { AnyDb } from '../runtime/cloud';

/**
 * Outbox kinds a journey hands off to the coupon and points modules: the outbox keeps them beside
 * its messages (the dispatcher wakes for them, metrics count them); `server/journeys/effects.ts` carries them out.
 */
export const EFFECT_KINDS = ['grantCoupon', 'points'] as const;

/** The due condition: handoff rows of the effect kinds whose time (or expired claim) has come. */
export const dueEffects = (db: AnyDb, now: Date) => ({
  kind: db.command.in([...EFFECT_KINDS]),
  state: 'handoff',
  dueAt: db.command.lte(now),
});
