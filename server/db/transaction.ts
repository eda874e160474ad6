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

/**
 * Runs `work` in a database transaction. The SDK reruns it when the commit conflicts, so `work`
 * must have no effects outside the transaction: emit events or enqueue outbox rows inside it instead.
 */
export function inTransaction<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.runTransaction(work as (tx: unknown) => Promise<T>) as Promise<T>;
}
