import { randomBytes } from 'node:crypto';
import { ErrorCodes, isDomainError } from '../../core/errors';
import { systemActor } from '../audit';
import { grantCoupon } from '../coupons/grant';
import { inTransaction, type Tx } from '../db/transaction';
import type { SystemContext } from '../kit/context';
import { eachLimited } from '../kit/each-limited';
import type { OutboxDoc } from '../messaging/documents';
import { dueEffects, EFFECT_KINDS } from '../messaging/handoff';
import { adjustPoints } from '../points/adjust';
import type { AnyDb } from '../runtime/cloud';

type EffectKind = (typeof EFFECT_KINDS)[number];

/**
 * A claimed row is due again after this, should its instance die before applying it: the grant
 * and the row's mark share one transaction, so a rerun applies what did not commit and nothing twice.
 */
export const EFFECT_LEASE_MS = 2 * 60_000;
/** Tries of a row that met an unexpected error before it is failed (a busy database is always tried again). */
export const EFFECT_MAX_ATTEMPTS = 5;
const RETRY_MS = 60_000;
const CHUNK = 50;
const CONCURRENCY = 4;

export interface EffectsReport {
  applied: number;
  failed: number;
  retried: number;
}

/** What the row asks for, through the module that owns it; `key` (the outbox key) makes both once only. */
async function apply(tx: Tx, ctx: SystemContext, row: OutboxDoc, now: Date): Promise<Record<string, unknown>> {
  const d = row.data ?? {};
  const reason = String(d['reason'] ?? `journey:${row.journeyId}`);
  const who = systemActor('journeys');
  const kind = row.kind as EffectKind;
  if (kind === 'grantCoupon') {
    const input = { templateId: String(d['templateId']), memberId: row.memberId, occasion: row.key, reason, who, now };
    const g = await grantCoupon(tx, ctx.db, input);
    return { couponId: g.coupon?._id ?? null, alreadyGranted: !g.granted };
  }
  const input = { memberId: row.memberId, delta: Number(d['points']), reason, key: row.key, source: 'journey' };
  const r = await adjustPoints(tx, { ...input, who, now });
  return { ledgerId: r.ledgerId, balance: r.balance };
}

type Outcome = 'applied' | 'gone' | { failed: string; message: string; permanent: boolean };

/** Applies one claimed row and marks it done in the same transaction; a refusal is returned, not swallowed. */
async function applyOne(ctx: SystemContext, id: string, lease: string): Promise<Outcome> {
  try {
    return await inTransaction(ctx.db, async (tx): Promise<Outcome> => {
      const ref = tx.collection('outbox').doc(id);
      const row = (await ref.get()).data as OutboxDoc | null;
      if (!row || row.state !== 'handoff' || row.lease !== lease) return 'gone';
      const now = ctx.now();
      const result = await apply(tx, ctx, row, now);
      await ref.update({ data: { state: 'done', sentAt: now, endedAt: now, lease: null, reason: null, result } });
      return 'applied';
    });
  } catch (e) {
    if (isDomainError(e)) return { failed: e.code, message: e.message, permanent: e.code !== ErrorCodes.CONFLICT };
    return { failed: 'error', message: String((e as Error)?.message ?? e), permanent: false };
  }
}

async function record(
  ctx: SystemContext,
  row: OutboxDoc,
  lease: string,
  o: Outcome,
  report: EffectsReport,
): Promise<void> {
  if (o === 'gone') return;
  if (o === 'applied') {
    report.applied++;
    return;
  }
  const outbox = (ctx.db as AnyDb).collection('outbox');
  const now = ctx.now();
  const busy = o.failed === ErrorCodes.CONFLICT;
  // a busy document (e.g. held by a killed instance's open transaction) passes: tried again, never failed for it
  const final = o.permanent || (!busy && row.attempts >= EFFECT_MAX_ATTEMPTS);
  const reason = busy || o.failed === 'error' ? o.failed.toLowerCase() : o.failed;
  const data = final
    ? { state: 'failed', reason, lastError: o.message, lease: null, endedAt: now }
    : {
        dueAt: new Date(now.getTime() + RETRY_MS * (busy ? 1 : row.attempts)),
        reason,
        lastError: o.message,
        lease: null,
      };
  const marked = await outbox.where({ _id: row._id, lease }).update({ data });
  const facts = { key: row.key, kind: row.kind, reason, error: o.message };
  if (!marked.stats?.updated) {
    // the row is no longer this claim's: its commit went through though its answer was lost, or the claim ran out
    ctx.log.warn('journey effect: outcome unknown here, the row was settled elsewhere', facts);
    return;
  }
  if (final) report.failed++;
  else report.retried++;
  (final ? ctx.log.error : ctx.log.warn).call(ctx.log, 'journey effect not applied', { ...facts, final });
}

/**
 * Carries out due coupon and points rows until none is left or `deadlineMs` (wall clock) passes,
 * in slices: a slice is claimed by a conditional update that moves its dueAt past the lease (a
 * claim by another instance no longer matches), then each row is applied in its own transaction.
 */
export async function applyDueEffects(ctx: SystemContext, deadlineMs: number): Promise<EffectsReport> {
  const db = ctx.db as AnyDb;
  const _ = db.command;
  const outbox = db.collection('outbox');
  const report: EffectsReport = { applied: 0, failed: 0, retried: 0 };
  while (Date.now() < deadlineMs) {
    const now = ctx.now();
    const query = outbox.where(dueEffects(db, now)).orderBy('dueAt', 'asc').limit(CHUNK);
    const due = (await query.get()).data as OutboxDoc[];
    if (due.length === 0) break;
    const lease = randomBytes(8).toString('hex');
    const ids = due.map((r) => r._id);
    const claim = { lease, dueAt: new Date(now.getTime() + EFFECT_LEASE_MS), attempts: _.inc(1) };
    await outbox.where({ ...dueEffects(db, now), _id: _.in(ids) }).update({ data: claim });
    const claimed = (
      await outbox
        .where({ _id: _.in(ids), lease })
        .limit(CHUNK)
        .get()
    ).data as OutboxDoc[];
    await eachLimited(claimed, CONCURRENCY, async (row) => {
      if (Date.now() >= deadlineMs) return; // left claimed: due again when its lease ends
      await record(ctx, row, lease, await applyOne(ctx, row._id, lease), report);
    });
  }
  return report;
}
