import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY_POLICY, nextRetry, type Channel, type SendFailure } from '../../core/messaging';
import type { Clock } from '../../core/time';
import type { Logger } from '../kit/logger';
import { eachLimited } from '../kit/each-limited';
import type { Database, AnyDb } from '../runtime/cloud';
import { inTransaction } from '../db/transaction';
import { loadAudiences } from './audience';
import { wechatTemplateId, type BrandMessaging } from './brand';
import type { ChannelAdapter, SendOutcome } from './channels';
import { textOf } from './content';
import type { Audience } from './decision';
import type { OutboxDoc } from './documents';
import { deadlineOfRow, redecideInTx } from './outbox';
import { dueEffects } from './handoff';
import { postWebhook } from './webhook';
import { MARKETING_WITHDRAWN } from './withdrawn';

/**
 * A claim lasts longer than any instance can live (function timeout 60 s): a row still `sending`
 * after its lease was claimed by an instance that died, and its send may or may not have reached
 * WeChat. Such rows become `unknown` and are never sent again (at most once beats at least once
 * for marketing messages); the metrics count them.
 */
export const LEASE_MS = 2 * 60_000;

/** Rows claimed (and their sends in flight, up to `concurrency`) per round of the dispatcher. */
export const DISPATCH_CHUNK = 100;

export interface DispatchDeps {
  db: Database;
  now: Clock;
  log: Logger;
  brand: BrandMessaging;
  adapters: Record<Channel, ChannelAdapter>;
  random?: () => number;
}

export interface DispatchReport {
  leaseExpired: number;
  redecided: number;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** no answer in time: recorded as unknown, not resent (or resent under the same id where WeChat de-duplicates) */
  unknown: number;
  /** past their deadline before they could be sent: dropped, not sent late */
  expired: number;
}

/** One cheap query: is anything due (pending, deferred, a lease to expire, a coupon or points row)? Timers call it before doing more. */
export async function hasDueOutbox(db: Database, now: Date): Promise<boolean> {
  const _ = (db as AnyDb).command;
  const r = await (db as AnyDb)
    .collection('outbox')
    .where(
      _.or([
        { state: 'pending', dueAt: _.lte(now) },
        { state: 'deferred', dueAt: _.lte(now) },
        { state: 'sending', leaseUntil: _.lt(now) },
        dueEffects(db, now),
      ]),
    )
    .limit(1)
    .field({ _id: true })
    .get();
  return r.data.length > 0;
}

async function send(deps: DispatchDeps, row: OutboxDoc, a: Audience | undefined): Promise<SendOutcome> {
  if (row.kind === 'webhook') {
    const d = row.data ?? {};
    return postWebhook(String(d['url']), d['payload'], row.key);
  }
  if (!a || !row.channel || !row.template)
    return { ok: false, failure: { errcode: 40003, errmsg: 'member_not_found' } };
  // a confirmation mail goes to the address being confirmed (enqueueAddressedEmailInTx in ./outbox.ts)
  const addressed = row.channel === 'email' && typeof row.data?.['emailTo'] === 'string' ? row.data['emailTo'] : null;
  const email = addressed ?? a.email ?? undefined;
  const touser = row.channel === 'subscribe' ? a.openid : row.channel === 'email' ? (email ?? '') : a.oaOpenid;
  if (touser === null) return { ok: false, failure: { errcode: 40003, errmsg: 'no_address' } };
  const language = (
    row.data?.['lang'] === 'en' || row.data?.['lang'] === 'zh' ? row.data['lang'] : a.prefs.language
  ) as 'zh' | 'en';
  const text = textOf(row.template, language, row.data);
  const templateId = wechatTemplateId(deps.brand, row.template);
  return deps.adapters[row.channel].send({ key: row.key, touser, email, templateId, language, ...text });
}

/**
 * Sends due outbox rows until none is left or `deadlineMs` (wall clock) passes. Rows are claimed
 * by a conditional update (`pending` → `sending` with this run's lease; a row another dispatcher
 * claimed first no longer matches), sent through the channel adapter, then marked: sent,
 * pending again with a backoff until the message's deadline (transient errors), failed (permanent
 * ones, or `expired:` past the deadline), or unknown (no answer in time; `UNKNOWN_OUTCOME` says
 * which channels may resend under the same id).
 */
export async function dispatchDue(
  deps: DispatchDeps,
  opts: { deadlineMs: number; chunk?: number; concurrency?: number },
): Promise<DispatchReport> {
  const db = deps.db as AnyDb;
  const _ = db.command;
  const outbox = db.collection('outbox');
  const report: DispatchReport = {
    leaseExpired: 0,
    redecided: 0,
    claimed: 0,
    sent: 0,
    retried: 0,
    failed: 0,
    unknown: 0,
    expired: 0,
  };
  const chunk = opts.chunk ?? DISPATCH_CHUNK;
  let now = deps.now();

  const expired = await outbox
    .where({ state: 'sending', leaseUntil: _.lt(now) })
    .update({ data: { state: 'unknown', reason: 'outcome_unknown', endedAt: now } });
  report.leaseExpired = expired.stats?.updated ?? 0;
  if (report.leaseExpired)
    deps.log.warn('outbox rows with an expired lease marked unknown (not resent)', { count: report.leaseExpired });

  const deferred = (
    await outbox
      .where({ state: 'deferred', dueAt: _.lte(now) })
      .limit(100)
      .get()
  ).data as OutboxDoc[];
  if (deferred.length) {
    const audiences = await loadAudiences(deps.db, [...new Set(deferred.map((r) => r.memberId))], {
      withOa: deferred.some((r) => r.channel === 'oa_custom'),
    });
    for (const r of deferred) {
      const state = await inTransaction(deps.db, (tx) =>
        redecideInTx(tx, r.key, audiences.get(r.memberId) ?? null, deps.brand, now),
      );
      if (state) report.redecided++;
    }
  }

  while (Date.now() < opts.deadlineMs) {
    now = deps.now();
    const due = (
      await outbox
        .where({ state: 'pending', dueAt: _.lte(now) })
        .orderBy('dueAt', 'asc')
        .limit(chunk)
        .get()
    ).data as OutboxDoc[];
    if (due.length === 0) break;
    const lease = randomBytes(8).toString('hex');
    const leaseUntil = new Date(now.getTime() + LEASE_MS);
    const ids = due.map((d) => d._id);
    const won = await outbox
      .where({ _id: _.in(ids), state: 'pending' })
      .update({ data: { state: 'sending', lease, leaseUntil, attempts: _.inc(1) } });
    // all of them claimed (the usual case): the rows as read are the rows claimed; else read back which are ours
    const claimed =
      won.stats?.updated === due.length
        ? due.map((r) => ({ ...r, state: 'sending' as const, lease, leaseUntil, attempts: r.attempts + 1 }))
        : ((
            await outbox
              .where({ _id: _.in(ids), lease, state: 'sending' })
              .limit(chunk)
              .get()
          ).data as OutboxDoc[]);
    report.claimed += claimed.length;
    if (claimed.length === 0) continue;
    const audiences = await loadAudiences(deps.db, [...new Set(claimed.map((r) => r.memberId))], { withOa: false });

    // Sent marks are batched: whatever finished while the previous mark was being written goes in the next one.
    let marks: string[] = [];
    let flushing: Promise<void> | null = null;
    const flush = async (): Promise<void> => {
      while (marks.length && !flushing) {
        const ids = marks;
        marks = [];
        flushing = outbox
          .where({ _id: _.in(ids), lease })
          .update({ data: { state: 'sent', sentAt: deps.now(), reason: null } })
          .then(() => undefined);
        await flushing;
        flushing = null;
        report.sent += ids.length;
      }
    };

    await eachLimited(claimed, opts.concurrency ?? 32, async (row) => {
      // consent withdrawn after the row was decided: never sent
      if (row.purpose === 'marketing' && audiences.get(row.memberId)?.prefs.marketingOptOut) {
        await outbox
          .where({ _id: row._id, lease })
          .update({ data: { state: 'skipped', reason: MARKETING_WITHDRAWN, endedAt: deps.now() } });
        return;
      }
      if (deadlineOfRow(row).getTime() <= deps.now().getTime()) {
        report.expired++;
        const reason = row.reason ? `expired:${row.reason}` : 'expired';
        await outbox.where({ _id: row._id, lease }).update({ data: { state: 'failed', reason, endedAt: deps.now() } });
        return;
      }
      const outcome = await send(deps, row, audiences.get(row.memberId));
      if (outcome.ok) {
        marks.push(row._id);
        if (!flushing) await flush();
        return;
      }
      await markFailure(deps, row, lease, outcome.failure, report);
    });
    while (flushing) await flushing;
    await flush();
  }
  return report;
}

/** After a try that failed or got no answer: back to pending with a backoff, or failed / unknown for good. */
async function markFailure(
  deps: DispatchDeps,
  row: OutboxDoc,
  lease: string,
  failure: SendFailure,
  report: DispatchReport,
): Promise<void> {
  const at = deps.now();
  const unknownSince = 'timeout' in failure ? (row.unknownSince ?? at) : (row.unknownSince ?? null);
  const attempt = {
    channel: row.kind === 'webhook' ? ('webhook' as const) : (row.channel ?? 'subscribe'),
    attempts: row.attempts,
    deadlineAt: deadlineOfRow(row),
    unknownSince,
  };
  const d = nextRetry(failure, attempt, DEFAULT_RETRY_POLICY, (deps.random ?? Math.random)(), at);
  const lastError = 'errmsg' in failure ? (failure.errmsg ?? null) : 'timeout';
  if (d.retry) report.retried++;
  else if (d.state === 'unknown') report.unknown++;
  else report.failed++;
  if (!d.retry && d.state === 'unknown')
    deps.log.warn('send outcome unknown: recorded, not resent', { key: row.key, channel: row.channel ?? row.kind });
  await (deps.db as AnyDb)
    .collection('outbox')
    .where({ _id: row._id, lease })
    .update({
      data: d.retry
        ? { state: 'pending', dueAt: d.at, reason: d.reason, lastError, unknownSince }
        : { state: d.state, reason: d.reason, lastError, unknownSince, endedAt: at },
    });
}
