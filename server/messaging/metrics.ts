import type { z } from 'zod';
import type { metrics as metricsContract } from '../../core/contracts/messaging';
import type { Handler } from '../kit/router';
import type { Database, AnyDb } from '../runtime/cloud';
import { requireMarketingStaff } from './member';
import { EFFECT_KINDS } from './handoff';
import { REPORTED_SKIPS } from '../../core/messaging';

type Metrics = z.input<typeof metricsContract.output>;

/**
 * Figures of one journey or campaign, counted from the outbox (messages; failed counts the
 * journey's coupon and points rows too) and journey_runs (entered). Converted: sent messages
 * credited with a paid order within the window.
 */
export async function metricsOf(db: Database, scope: { journeyId: string } | { campaignId: string }): Promise<Metrics> {
  const d = db as AnyDb;
  const _ = d.command;
  const outbox = d.collection('outbox');
  const count = async (where: Record<string, unknown>): Promise<number> =>
    (await outbox.where({ ...scope, kind: 'message', ...where }).count()).total as number;
  const failedRows = async (where: Record<string, unknown>): Promise<number> =>
    (await outbox.where({ ...scope, kind: _.in(['message', ...EFFECT_KINDS]), ...where }).count()).total as number;
  const entered =
    'journeyId' in scope
      ? ((await d.collection('journey_runs').where({ journeyId: scope.journeyId }).count()).total as number)
      : await count({});
  const [sent, deferred, pending, failed, unknown, converted, ...skips] = await Promise.all([
    count({ state: 'sent' }),
    count({ state: 'deferred' }),
    count({ state: _.in(['pending', 'sending']) }),
    // a journey's coupon or points row that failed counts with its failed messages
    failedRows({ state: 'failed' }),
    count({ state: 'unknown' }),
    count({ convertedAt: _.exists(true) }),
    ...REPORTED_SKIPS.map((reason) => count({ state: 'skipped', reason })),
  ]);
  const skipped = Object.fromEntries(
    REPORTED_SKIPS.map((r, i) => [r, skips[i] ?? 0]).filter(([, n]) => (n as number) > 0),
  );
  return {
    entered,
    sent: sent ?? 0,
    skipped,
    deferred: deferred ?? 0,
    pending: pending ?? 0,
    failed: failed ?? 0,
    unknown: unknown ?? 0,
    converted: converted ?? 0,
  };
}

export const metricsAction: Handler<typeof metricsContract> = async (input, ctx) => {
  await requireMarketingStaff(ctx);
  return metricsOf(ctx.db, input);
};
