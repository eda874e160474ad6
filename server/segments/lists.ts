import type { z } from 'zod';
import {
  CAMPAIGN_PAGE_SIZE,
  SEGMENT_PAGE_SIZE,
  type listCampaigns,
  type listSegments,
} from '../../core/contracts/messaging';
import { segmentRuleSchema } from '../../core/segments';
import type { ActionContext } from '../kit/context';
import type { CampaignDoc, SegmentDoc } from '../messaging/documents';
import { metricsOf } from '../messaging/metrics';
import { requireStaff } from '../staff/require';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;
type SegmentsOut = z.input<typeof listSegments.output>;
type CampaignsOut = z.input<typeof listCampaigns.output>;

const iso = (d: Date | string): string => new Date(d).toISOString();

/** One page in a stable order, one row more than the page to know whether another follows. */
async function pageOf<T>(
  ctx: ActionContext,
  collection: string,
  by: [string, 'asc' | 'desc'][],
  page: number,
  size: number,
): Promise<{ rows: T[]; hasMore: boolean }> {
  let q = (ctx.db as AnyDb).collection(collection);
  for (const [field, dir] of by) q = q.orderBy(field, dir);
  const r = (await q
    .skip(page * size)
    .limit(size + 1)
    .get()) as { data: T[] };
  return { rows: r.data.slice(0, size), hasMore: r.data.length > size };
}

/** messaging segments.list: saved segments, most recently changed first; a rule that no longer parses is logged and left out. */
export async function listSegmentsAction(
  input: z.output<typeof listSegments.input>,
  ctx: ActionContext,
): Promise<SegmentsOut> {
  await requireStaff(ctx, 'segments.manage');
  const { rows, hasMore } = await pageOf<SegmentDoc>(
    ctx,
    'segments',
    [
      ['updatedAt', 'desc'],
      ['_id', 'asc'],
    ],
    input.page,
    SEGMENT_PAGE_SIZE,
  );
  const items: SegmentsOut['items'] = [];
  for (const doc of rows) {
    const rule = segmentRuleSchema.safeParse(doc.rule);
    if (rule.success) items.push({ id: doc._id, name: doc.name, rule: rule.data, updatedAt: iso(doc.updatedAt) });
    else ctx.log.warn('segment skipped: invalid rule', { segmentId: doc._id });
  }
  return { items, page: input.page, pageSize: SEGMENT_PAGE_SIZE, hasMore };
}

/**
 * messaging campaigns.list: campaigns, newest first, each with the figures `metrics` counts (the
 * same code, per campaign) and the name of the segment it went to.
 */
export async function listCampaignsAction(
  input: z.output<typeof listCampaigns.input>,
  ctx: ActionContext,
): Promise<CampaignsOut> {
  await requireStaff(ctx, 'campaigns.send');
  const { rows, hasMore } = await pageOf<CampaignDoc & { error?: string }>(
    ctx,
    'campaigns',
    [
      ['createdAt', 'desc'],
      ['_id', 'desc'],
    ],
    input.page,
    CAMPAIGN_PAGE_SIZE,
  );
  const db = ctx.db as AnyDb;
  const segmentIds = [...new Set(rows.map((c) => c.segmentId))];
  const [segments, figures] = await Promise.all([
    segmentIds.length
      ? (db
          .collection('segments')
          .where({ _id: db.command.in(segmentIds) })
          .field({ name: true })
          .get() as Promise<{ data: { _id: string; name: string }[] }>)
      : { data: [] },
    Promise.all(rows.map((c) => metricsOf(ctx.db, { campaignId: c._id }))),
  ]);
  const names = new Map(segments.data.map((s) => [s._id, s.name]));
  const items = rows.map((c, i) => ({
    id: c._id,
    name: c.name,
    state: c.state,
    segment: { id: c.segmentId, name: names.get(c.segmentId) ?? null },
    channel: c.message.channel,
    template: c.message.template,
    sendAt: iso(c.sendAt),
    createdAt: iso(c.createdAt),
    error: c.error ?? null,
    metrics: figures[i]!,
  }));
  return { items, page: input.page, pageSize: CAMPAIGN_PAGE_SIZE, hasMore };
}
