import type { z } from 'zod';
import { type sendCampaign } from '../../core/contracts/messaging';
import { DomainError, ErrorCodes } from '../../core/errors';
import { body, readDoc } from '../db/documents';
import { inTransaction } from '../db/transaction';
import type { ActionContext, SystemContext } from '../kit/context';
import { loadAudiences } from '../messaging/audience';
import type { BrandMessaging } from '../messaging/brand';
import type { CampaignDoc } from '../messaging/documents';
import { requireMarketingStaff } from '../messaging/member';
import { enqueueInTx } from '../messaging/outbox';
import { segmentPage } from './members';
import { loadSegment, segmentNotFound } from './segments';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK types a query's get() as string | void | IQueryResult
type AnyDb = any;

const PAGE = 100;
export const campaignKey = (campaignId: string, memberId: string): string => `campaign:${campaignId}:${memberId}`;

/**
 * Enqueues a due campaign page by page in member-id order, one transaction per member (decision,
 * consent and outbox row together). Resumable: the cursor is saved after each page, and a member
 * already enqueued has a row under its key, so a rerun after a crash adds nothing twice.
 */
export async function enqueueCampaign(
  ctx: SystemContext,
  brand: BrandMessaging,
  c: CampaignDoc,
  deadlineMs: number,
): Promise<CampaignDoc> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const seg = await loadSegment(ctx.db, c.segmentId);
  let cur: CampaignDoc = { ...c, state: 'enqueuing' };
  if (!seg) {
    await db
      .collection('campaigns')
      .doc(c._id)
      .update({ data: { state: 'enqueued', error: 'segment_missing' } });
    return { ...cur, state: 'enqueued' };
  }
  await db
    .collection('campaigns')
    .doc(c._id)
    .update({ data: { state: 'enqueuing' } });
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const page = await segmentPage(ctx.db, seg.rule, now, brand.timeZone, cur.cursor, PAGE);
    const ids = page.members.map((m) => m._id);
    const audiences = await loadAudiences(ctx.db, ids, { withOa: c.message.channel === 'oa_custom' });
    let added = 0;
    for (const memberId of ids) {
      const row = await inTransaction(ctx.db, (tx) =>
        enqueueInTx(
          tx,
          { key: campaignKey(c._id, memberId), memberId, campaignId: c._id, ...c.message },
          audiences.get(memberId) ?? null,
          brand,
          now,
        ),
      );
      if (row) added++;
    }
    const done = page.next === null;
    cur = {
      ...cur,
      cursor: page.next ?? cur.cursor,
      enqueued: cur.enqueued + added,
      state: done ? 'enqueued' : 'enqueuing',
    };
    await db
      .collection('campaigns')
      .doc(c._id)
      .update({ data: { cursor: cur.cursor, enqueued: _.inc(added), state: cur.state } });
    if (done) break;
  }
  return cur;
}

/** Campaigns whose time has come and that are not fully enqueued. */
export async function dueCampaigns(ctx: SystemContext): Promise<CampaignDoc[]> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  return (
    await db
      .collection('campaigns')
      .where({ state: _.in(['scheduled', 'enqueuing']), sendAt: _.lte(ctx.now()) })
      .limit(20)
      .get()
  ).data as CampaignDoc[];
}

/** Staff: create the campaign (idempotent by id); a campaign due now is enqueued at once. */
export async function sendCampaignAction(
  input: z.output<typeof sendCampaign.input>,
  ctx: ActionContext,
  run: (c: CampaignDoc) => Promise<CampaignDoc>,
) {
  const staff = await requireMarketingStaff(ctx);
  const now = ctx.now();
  if (!(await loadSegment(ctx.db, input.segmentId))) throw segmentNotFound(input.segmentId);
  const sendAt = input.sendAt ? new Date(input.sendAt) : now;
  if (sendAt.getTime() < now.getTime() - 60_000)
    throw new DomainError(ErrorCodes.SEND_AT_IN_PAST, '发送时间已过 / sendAt is in the past');
  const created = await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('campaigns').doc(input.id);
    const existing = (await ref.get()).data as CampaignDoc | null;
    if (existing) return { ...existing, _id: input.id };
    const doc: CampaignDoc = {
      _id: input.id,
      name: input.name,
      segmentId: input.segmentId,
      message: input.message,
      sendAt,
      state: 'scheduled',
      cursor: null,
      enqueued: 0,
      createdBy: staff.staffId,
      createdAt: now,
    };
    await ref.set({ data: body(doc) });
    return doc;
  });
  const c =
    new Date(created.sendAt).getTime() <= now.getTime() && created.state !== 'enqueued' ? await run(created) : created;
  const fresh = (await readDoc<CampaignDoc>(ctx.db, 'campaigns', input.id)) ?? c;
  return {
    campaignId: input.id,
    state: fresh.state,
    sendAt: new Date(fresh.sendAt).toISOString(),
    enqueued: fresh.enqueued,
  };
}
