import { DomainError, ErrorCodes } from '../../core/errors';
import type { Database } from '../runtime/cloud';

/** The transaction handle the SDK passes to `runTransaction` callbacks (its typings say `any`). */
export interface Tx {
  collection(name: string): {
    doc(id: string): {
      get(): Promise<{ data: Record<string, unknown> | null }>;
      set(opts: { data: Record<string, unknown> }): Promise<unknown>;
      update(opts: { data: Record<string, unknown> }): Promise<{ stats: { updated: number } }>;
      remove(): Promise<unknown>;
    };
    add(opts: { data: Record<string, unknown> }): Promise<{ _id: string }>;
  };
}

export interface RerunPolicy {
  /** attempts in all, the first included */
  attempts: number;
  /** no rerun starts once this many ms have passed since the first attempt began (nor past the invocation's limit) */
  budgetMs: number;
  /** backoff before rerun n is random in [0, min(maxDelayMs, baseDelayMs · 2^n)) */
  baseDelayMs: number;
  maxDelayMs: number;
}

export const defaultRerunPolicy: RerunPolicy = { attempts: 12, budgetMs: 8000, baseDelayMs: 4, maxDelayMs: 250 };

/** When the running invocation must have answered (ms since epoch): one invocation per instance at a time. */
let invocationEndsAt = Infinity;

/**
 * Called as an invocation starts, with the platform's time limit (context.time_limit_in_ms; 3 s
 * by default): reruns stop early enough to leave a fifth of it, at least 500 ms, for answering.
 */
export function startInvocation(startedAt: number, timeLimitMs = 3000): void {
  invocationEndsAt = startedAt + timeLimitMs - Math.max(500, timeLimitMs / 5);
}

/**
 * A transaction conflict, however it arrives: the commit's raw error keeps the service's code; a
 * conflict answered to an operation inside the callback reaches it as errCode -501001 with the
 * service's message (docs/emulator.md "Transactions").
 */
export function isTransactionConflict(e: unknown): boolean {
  const err = e as { code?: unknown; errCode?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === 'DATABASE_TRANSACTION_CONFLICT') return true;
  const named = /DATABASE_TRANSACTION_CONFLICT|TransactionConflict|transaction (is )?conflict|write ?conflict/i;
  return err.errCode === -501001 && named.test(String(err.message));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` in a database transaction and reruns the whole of it when it conflicts (the service
 * aborts a transaction at its conflicting write, and the SDK reruns only commit conflicts), with a
 * jittered backoff, up to `policy.attempts` times within `policy.budgetMs`. After that it throws
 * DomainError CONFLICT ("busy, please retry"). `work` may run several times, so it must have no
 * effect outside the transaction (emit events or enqueue outbox rows inside it) and must not catch
 * the database's errors.
 */
export async function inTransaction<T>(
  db: Database,
  work: (tx: Tx) => Promise<T>,
  policy: RerunPolicy = defaultRerunPolicy,
): Promise<T> {
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    try {
      // times 0: the SDK reruns nothing itself, so every rerun gets the backoff below
      return (await db.runTransaction(work as (tx: unknown) => Promise<T>, 0)) as T;
    } catch (e) {
      if (!isTransactionConflict(e)) throw e;
      const delay = Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
      const rerunAt = Date.now() + delay;
      if (attempt >= policy.attempts || rerunAt - started > policy.budgetMs || rerunAt > invocationEndsAt) {
        throw new DomainError(ErrorCodes.CONFLICT, '操作繁忙，请重试 / busy, please retry', { attempts: attempt });
      }
      await sleep(delay);
    }
  }
}

/** What the SDK's transaction offers beyond `Tx`: a query, read at the transaction's snapshot. */
interface QueryTx {
  collection(name: string): {
    where(q: Record<string, unknown>): { limit(n: number): { get(): Promise<{ data: Record<string, unknown>[] }> } };
  };
}

/**
 * Documents of `coll` by id in one call inside a transaction (at most 1000 ids): each id maps to
 * its document, or null when absent. Writes to them still conflict as after a `doc().get()`.
 */
export async function readManyTx(
  tx: Tx,
  command: Database['command'],
  coll: string,
  ids: string[],
): Promise<Map<string, Record<string, unknown> | null>> {
  const wanted = [...new Set(ids)];
  const out = new Map<string, Record<string, unknown> | null>(wanted.map((id) => [id, null]));
  if (!wanted.length) return out;
  const q = (tx as unknown as QueryTx).collection(coll).where({ _id: command.in(wanted) });
  for (const d of (await q.limit(wanted.length).get()).data) out.set(String(d._id), d);
  return out;
}

type Settled<T extends readonly unknown[]> = { -readonly [K in keyof T]: Awaited<T[K]> };

/**
 * Independent database calls side by side (one round trip instead of several), in or out of a
 * transaction. Unlike `Promise.all` it waits for every call before it throws, so a transaction is
 * never ended while one of its calls is still out; it throws a transaction conflict if any call met
 * one (so `inTransaction` reruns), else the failure of the first call in argument order, as the
 * same calls made one after another would.
 */
export async function sideBySide<T extends readonly unknown[]>(calls: T): Promise<Settled<T>> {
  const settled = await Promise.allSettled(calls);
  const failures = settled.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length) throw failures.find(isTransactionConflict) ?? failures[0];
  return settled.map((r) => (r as PromiseFulfilledResult<unknown>).value) as Settled<T>;
}
