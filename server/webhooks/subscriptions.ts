import type { z } from 'zod';
import { type replayWebhooks, type saveWebhook, type webhookSubscription } from '../../core/contracts/webhooks';
import { DomainError, ErrorCodes } from '../../core/errors';
import { audit, auditNow } from '../audit';
import { body } from '../db/documents';
import { inTransaction } from '../db/transaction';
import type { ActionContext } from '../kit/context';
import type { Database, AnyDb } from '../runtime/cloud';
import { requireStaff, staffActor } from '../staff/require';
import { CURSOR_ID, type WebhookSubscriptionDoc } from './documents';

export async function loadSubscriptions(db: Database): Promise<WebhookSubscriptionDoc[]> {
  const r = await db.collection('webhook_subscriptions').limit(100).get();
  return (r as unknown as { data: WebhookSubscriptionDoc[] }).data;
}

const view = (s: WebhookSubscriptionDoc): z.input<typeof webhookSubscription> => ({
  id: s._id,
  url: s.url,
  events: s.events as z.input<typeof webhookSubscription>['events'],
  secretEnv: s.secretEnv,
  active: s.active,
  updatedAt: new Date(s.updatedAt).toISOString(),
});

/**
 * Brand admin: create or replace a subscription, audited with the record before and after. The
 * first subscription also starts the events cursor at now, so the brand's history is not sent.
 */
export async function saveWebhookAction(input: z.output<typeof saveWebhook.input>, ctx: ActionContext) {
  const staff = await requireStaff(ctx, 'webhooks.manage');
  const now = ctx.now();
  const saved = await inTransaction(ctx.db, async (tx) => {
    const ref = tx.collection('webhook_subscriptions').doc(input.id);
    const before = (await ref.get()).data as WebhookSubscriptionDoc | null;
    const doc: WebhookSubscriptionDoc = {
      _id: input.id,
      url: input.url,
      events: [...input.events],
      secretEnv: input.secretEnv,
      active: input.active,
      createdAt: before ? new Date(before.createdAt) : now,
      updatedAt: now,
      updatedBy: staff._id,
    };
    await ref.set({ data: body(doc) });
    const cursor = tx.collection('event_cursor').doc(CURSOR_ID);
    if (!(await cursor.get()).data) await cursor.set({ data: { at: now, eventId: '' } });
    const { _id, ...after } = doc;
    const target = `webhook_subscriptions/${_id}`;
    const was = before ? { ...before } : null;
    await audit(tx, { ...staffActor(staff), at: now, action: 'webhooks.save', target, before: was, after });
    return doc;
  });
  return view(saved);
}

export async function listWebhooksAction(_input: unknown, ctx: ActionContext) {
  await requireStaff(ctx, 'webhooks.manage');
  return { subscriptions: (await loadSubscriptions(ctx.db)).map(view) };
}

/** Brand admin: queue deliveries again (delivered or given up ones; those still queued are left as they are). */
export async function replayWebhooksAction(input: z.output<typeof replayWebhooks.input>, ctx: ActionContext) {
  const staff = await requireStaff(ctx, 'webhooks.manage');
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const now = ctx.now();
  const finished = _.in(['delivered', 'failed']);
  const where =
    'key' in input
      ? { _id: input.key, kind: 'crmEvent', state: finished }
      : {
          subscriptionId: input.subscriptionId,
          kind: 'crmEvent',
          state: finished,
          eventAt: _.gte(new Date(input.from)).and(_.lte(new Date(input.to))),
        };
  if ('key' in input && !(await db.collection('outbox').where({ _id: input.key, kind: 'crmEvent' }).count()).total) {
    const message = `没有这条推送 / no delivery ${input.key}`;
    throw new DomainError(ErrorCodes.DELIVERY_NOT_FOUND, message, { key: input.key });
  }
  const r = await db
    .collection('outbox')
    .where(where)
    .update({
      data: {
        state: 'handoff',
        dueAt: now,
        attempts: 0,
        lease: null,
        reason: 'replayed',
        replayedAt: now,
        replays: _.inc(1),
      },
    });
  const replayed = (r.stats?.updated ?? 0) as number;
  const target = 'key' in input ? `outbox/${input.key}` : `webhook_subscriptions/${input.subscriptionId}`;
  const after = { ...input, replayed };
  await auditNow(ctx.db, { ...staffActor(staff), at: now, action: 'webhooks.replay', target, before: null, after });
  return { replayed };
}
