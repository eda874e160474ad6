import { OA_EVENT_TYPES } from '../../core/identity/oa';
import { readEvents } from '../db/event-reader';
import type { SystemContext } from '../kit/context';
import { inTransaction } from '../db/transaction';
import { brandTimeZone } from './config';
import { asDate, type ReferralDoc } from './documents';
import { markFollowerOnly, segmentsEntered } from './follow';
import { referralOfMember } from './store';
import { settleDue } from './settle';
import { resolveMember, resolveMemberTx } from '../members/resolve';
import type { AnyDb } from '../runtime/cloud';

interface StoredEvent {
  _id: string;
  type: string;
  memberId?: string;
  at: Date | string;
  receivedAt?: Date | string;
  data?: Record<string, unknown>;
}

/**
 * Two streams: domain events by `at`, and Official Account events by `receivedAt` (their `at` is
 * the platform's CreateTime, which may be earlier than events already read).
 */
const STREAMS = [
  { cursorId: 'events', field: 'at', types: ['member.joined', 'order.paid', 'order.refunded'] },
  { cursorId: 'oa', field: 'receivedAt', types: [OA_EVENT_TYPES.subscribe] },
] as const;

async function apply(ctx: SystemContext, e: StoredEvent, now: Date): Promise<void> {
  if (!e.memberId) return;
  const current = await resolveMember(ctx.db, e.memberId);
  const r =
    (await referralOfMember(ctx.db, e.memberId)) ??
    (current && current._id !== e.memberId ? await referralOfMember(ctx.db, current._id) : null);
  if (!r || !current) return;
  const at = asDate(e.at) ?? now;
  const data = e.data ?? {};
  const followerOnly = e.type.startsWith('oa.') && current.oaFollowing === true && !current.cardNo && !r.followEmitted;
  const segments = followerOnly ? await segmentsEntered(ctx.db, current, now, brandTimeZone()) : [];
  await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('referrals').doc(r._id);
    const fresh = (await ref.get()).data as ReferralDoc | null;
    if (!fresh) return;
    const doc = { ...fresh, _id: r._id };
    let patch: Partial<ReferralDoc> = {};
    if (e.type === 'member.joined' && !doc.joinedAt) patch = { joinedAt: at, dueAt: now };
    else if (e.type.startsWith('oa.')) {
      const m = await resolveMemberTx(tx, current._id);
      patch = {
        ...(doc.followedAt ? {} : { followedAt: at }),
        ...(m ? await markFollowerOnly(tx, doc, m, segments, now) : {}),
      };
    } else if (e.type === 'order.paid' && !doc.firstOrder && typeof data.orderId === 'string') {
      patch = {
        firstOrder: {
          orderId: data.orderId,
          paidAt: asDate(data.paidAt) ?? at,
          paidFen: Number(data.paidFen ?? 0),
          refundedFen: 0,
          refundedAt: null,
        },
        dueAt: now,
      };
    } else if (e.type === 'order.refunded' && doc.firstOrder && doc.firstOrder.orderId === data.orderId) {
      const refunds = doc.firstOrder.refundIds ?? [];
      if (refunds.includes(e._id)) return;
      const refundedFen = doc.firstOrder.refundedFen + Number(data.deltaFen ?? data.amountFen ?? 0);
      // a partial refund leaves a qualifying purchase; the whole order refunded does not
      const full = refundedFen >= doc.firstOrder.paidFen;
      patch = {
        firstOrder: {
          ...doc.firstOrder,
          refundedFen,
          refundedAt: doc.firstOrder.refundedAt ?? (full ? at : null),
          refundIds: [...refunds, e._id],
        },
        ...(full ? { dueAt: now } : {}),
      };
    }
    if (Object.keys(patch).length) await ref.update({ data: patch });
  });
}

async function consumeStream(ctx: SystemContext, s: (typeof STREAMS)[number], deadlineMs: number): Promise<number> {
  const where = { type: (ctx.db as AnyDb).command.in([...s.types]) };
  const stream = { collection: 'referral_cursor', cursorId: s.cursorId, field: s.field, where };
  return readEvents<StoredEvent>(ctx, stream, deadlineMs, (e, now) => apply(ctx, e, now));
}

/**
 * The `referral` timer: reads new events into the referrals they concern, then settles every referral
 * due, within a slice of 20 s (its timeout is 60 s); the rest waits for the next run.
 */
export async function referralTick(
  ctx: SystemContext,
  budgetMs = 20_000,
): Promise<{ events: number; settled: number }> {
  const deadline = Date.now() + budgetMs;
  let events = 0;
  for (const s of STREAMS) events += await consumeStream(ctx, s, deadline);
  const settled = await settleDue(ctx, deadline);
  return { events, settled };
}
