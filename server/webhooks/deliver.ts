import { randomBytes } from 'node:crypto';
import { backoffMs, nextRetry, type RetryPolicy } from '../../core/messaging';
import { signedHeaders } from '../../core/signing';
import { eachLimited } from '../kit/each-limited';
import type { SystemContext } from '../kit/context';
import { postWebhook } from '../messaging/webhook';
import type { CrmDeliveryDoc } from './consume';
import type { WebhookSubscriptionDoc } from './documents';
import type { AnyDb } from '../runtime/cloud';

/** How webhook deliveries back off: 30 s doubling to an hour, given up after 12 tries (about half a day). */
export const WEBHOOK_RETRY: RetryPolicy = { baseMs: 30_000, maxMs: 60 * 60_000, jitter: 0.5 };
export const WEBHOOK_MAX_ATTEMPTS = 12;
/** A webhook has no deadline of its own: its tries are counted instead. */
const NO_DEADLINE = new Date(8.64e15);
/**
 * A claimed delivery is due again after this, should its instance die mid-send:
 * at least once, keyed for the receiver.
 */
export const DELIVERY_LEASE_MS = 2 * 60_000;
const CHUNK = 100;
const HTTP_TIMEOUT_MS = 5_000;
/** The `x-mc-source` a receiver sees: the member centre itself. */
export const WEBHOOK_SOURCE = 'member-centre';

export interface DeliveryReport {
  delivered: number;
  retried: number;
  failed: number;
  held: number;
}

const byEventOrder = (a: CrmDeliveryDoc, b: CrmDeliveryDoc) =>
  new Date(a.eventAt).getTime() - new Date(b.eventAt).getTime() || (a._id < b._id ? -1 : a._id > b._id ? 1 : 0);

/** The queue of one subscription for one member: its oldest undelivered row goes first, always. */
async function headOf(db: AnyDb, row: CrmDeliveryDoc): Promise<CrmDeliveryDoc | null> {
  const r = await db
    .collection('outbox')
    .where({ subscriptionId: row.subscriptionId, memberId: row.memberId, kind: 'crmEvent', state: 'handoff' })
    .orderBy('eventAt', 'asc')
    .orderBy('_id', 'asc')
    .limit(1)
    .get();
  return (r.data[0] as CrmDeliveryDoc | undefined) ?? null;
}

type Attempt = { ok: true } | { ok: false; retryAt: Date | null; reason: string; error: string };

async function attempt(
  sub: WebhookSubscriptionDoc | undefined,
  row: CrmDeliveryDoc,
  now: Date,
  random: number,
): Promise<Attempt> {
  const tries = row.attempts + 1;
  if (!sub) return { ok: false, retryAt: null, reason: 'subscription_removed', error: 'subscription_removed' };
  const secret = process.env[sub.secretEnv];
  if (!secret) {
    // a set-up mistake the brand can fix: keep trying on the same backoff
    const later = new Date(now.getTime() + backoffMs(tries, WEBHOOK_RETRY, random));
    const retryAt = tries < WEBHOOK_MAX_ATTEMPTS ? later : null;
    return { ok: false, retryAt, reason: 'secret_missing', error: `no ${sub.secretEnv} in the environment` };
  }
  const body = JSON.stringify(row.data);
  const target = new URL(sub.url);
  const nonce = randomBytes(12).toString('hex');
  const path = target.pathname + target.search;
  const headers = signedHeaders(secret, WEBHOOK_SOURCE, { method: 'POST', path, nonce, body, at: now });
  const extra = { ...headers, 'x-mc-event': String(row.data?.['type']) };
  const outcome = await postWebhook(sub.url, row.data, row.key, HTTP_TIMEOUT_MS, extra);
  if (outcome.ok) return { ok: true };
  const deadlineAt = tries < WEBHOOK_MAX_ATTEMPTS ? NO_DEADLINE : now;
  const tried = { channel: 'webhook' as const, attempts: tries, deadlineAt, unknownSince: null };
  const d = nextRetry(outcome.failure, tried, WEBHOOK_RETRY, random, now);
  const error = 'errmsg' in outcome.failure ? String(outcome.failure.errmsg) : 'timeout';
  return { ok: false, retryAt: d.retry ? d.at : null, reason: d.reason, error };
}

/**
 * Sends one member's claimed rows of one subscription in event order, stopping at the first that
 * must wait (its retry holds the rest back); rows whose queue head is not among them wait for it.
 */
async function deliverQueue(
  ctx: SystemContext,
  subs: Map<string, WebhookSubscriptionDoc>,
  rows: CrmDeliveryDoc[],
  lease: string,
  report: DeliveryReport,
): Promise<void> {
  const outbox = (ctx.db as AnyDb).collection('outbox');
  const _ = (ctx.db as AnyDb).command;
  const release = async (rest: CrmDeliveryDoc[], dueAt: Date) => {
    if (rest.length === 0) return;
    await outbox.where({ _id: _.in(rest.map((r) => r._id)), lease }).update({ data: { lease: null, dueAt } });
    report.held += rest.length;
  };
  const head = await headOf(ctx.db, rows[0] as CrmDeliveryDoc);
  if (!head || head._id !== rows[0]?._id) return release(rows, head ? new Date(head.dueAt) : ctx.now());
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as CrmDeliveryDoc;
    const now = ctx.now();
    const a = await attempt(subs.get(row.subscriptionId), row, now, Math.random());
    const mine = outbox.where({ _id: row._id, lease });
    if (a.ok) {
      await mine.update({ data: { state: 'delivered', sentAt: now, attempts: _.inc(1), lease: null, reason: null } });
      report.delivered++;
    } else if (a.retryAt) {
      await mine.update({
        data: { dueAt: a.retryAt, attempts: _.inc(1), lease: null, reason: a.reason, lastError: a.error },
      });
      report.retried++;
      return release(rows.slice(i + 1), a.retryAt);
    } else {
      await mine.update({
        data: { state: 'failed', attempts: _.inc(1), lease: null, reason: a.reason, lastError: a.error, endedAt: now },
      });
      report.failed++;
    }
  }
}

/**
 * Delivers due webhook rows until none is left or `deadlineMs` passes. Rows are claimed by a
 * conditional update that moves their dueAt past the lease (another instance's claim no longer
 * matches), grouped per subscription and member, and each group is sent in event order.
 */
export async function deliverDueWebhooks(
  ctx: SystemContext,
  subs: readonly WebhookSubscriptionDoc[],
  deadlineMs: number,
): Promise<DeliveryReport> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const outbox = db.collection('outbox');
  const byId = new Map(subs.map((s) => [s._id, s]));
  const report: DeliveryReport = { delivered: 0, retried: 0, failed: 0, held: 0 };
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const dueNow = { kind: 'crmEvent', state: 'handoff', dueAt: _.lte(now) };
    const due = (await outbox.where(dueNow).orderBy('dueAt', 'asc').limit(CHUNK).get()).data as CrmDeliveryDoc[];
    if (due.length === 0) break;
    const lease = randomBytes(8).toString('hex');
    const ids = due.map((d) => d._id);
    const leaseEnds = new Date(now.getTime() + DELIVERY_LEASE_MS);
    await outbox.where({ ...dueNow, _id: _.in(ids) }).update({ data: { lease, dueAt: leaseEnds } });
    const claimed = (
      await outbox
        .where({ _id: _.in(ids), lease })
        .limit(CHUNK)
        .get()
    ).data as CrmDeliveryDoc[];
    const queues = new Map<string, CrmDeliveryDoc[]>();
    for (const r of claimed.sort(byEventOrder)) {
      const k = `${r.subscriptionId}\n${r.memberId}`;
      queues.set(k, [...(queues.get(k) ?? []), r]);
    }
    await eachLimited([...queues.values()], 8, (rows) => deliverQueue(ctx, byId, rows, lease, report));
  }
  return report;
}
