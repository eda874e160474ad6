import { randomBytes } from 'node:crypto';
import { TcbCodes, TcbError } from './errors';
import type { View } from './engine';
import type { DocumentStore, Write } from './store';
import type { Doc } from './values';
import { committedView } from './engine';

const keyOf = (coll: string, id: string) => `${coll}\u0000${id}`;

interface Waiter {
  tx: Tx;
  grant: () => void;
  timer: NodeJS.Timeout;
}

export interface Tx {
  id: string;
  /** seq of each document read, or -1 when it was missing: checked again at commit */
  reads: Map<string, number>;
  writes: Map<string, Write>;
  locks: Set<string>;
  waitingFor?: string;
  doomed?: string;
  touchedAt: number;
}

/**
 * Transactions as the platform gives them: reads see a stable state, and a commit that would
 * overwrite a change made since fails with DATABASE_TRANSACTION_CONFLICT (at commit, where the SDK retries).
 *
 * Documents read or written in a transaction are locked for its duration, so transactions on one
 * hot document queue instead of failing. A deadlock or a long wait does not block: the transaction
 * goes on unlocked, marked doomed, and its commit reports the conflict. Writes by plain (non-transaction)
 * calls are not blocked; they bump the document's sequence, which the commit check catches.
 */
export class TransactionManager {
  private readonly txs = new Map<string, Tx>();
  private readonly owners = new Map<string, Tx>();
  private readonly queues = new Map<string, Waiter[]>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly store: DocumentStore,
    private readonly opts: { lockWaitMs: number; idleMs: number },
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, opts.idleMs)).unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const tx of [...this.txs.values()]) this.end(tx);
  }

  start(): string {
    const tx: Tx = { id: randomBytes(8).toString('hex'), reads: new Map(), writes: new Map(), locks: new Set(), touchedAt: Date.now() };
    this.txs.set(tx.id, tx);
    return tx.id;
  }

  get active(): number {
    return this.txs.size;
  }

  tx(id: string): Tx {
    const tx = this.txs.get(id);
    if (!tx) throw new TcbError(TcbCodes.invalidParam, `transaction ${id} does not exist or has ended`);
    tx.touchedAt = Date.now();
    return tx;
  }

  /** Locks a document for the transaction; resolves when granted, or at once (dooming the transaction) on deadlock or timeout. */
  async lock(tx: Tx, coll: string, id: string): Promise<void> {
    const key = keyOf(coll, id);
    const owner = this.owners.get(key);
    if (!owner || owner === tx) {
      this.owners.set(key, tx);
      tx.locks.add(key);
      return;
    }
    if (tx.doomed || this.wouldDeadlock(tx, owner)) {
      tx.doomed ??= `deadlock on ${coll}/${id}`;
      return;
    }
    await new Promise<void>((resolve) => {
      const waiter: Waiter = {
        tx,
        grant: () => {
          clearTimeout(waiter.timer);
          tx.waitingFor = undefined;
          this.owners.set(key, tx);
          tx.locks.add(key);
          resolve();
        },
        timer: setTimeout(() => {
          const q = this.queues.get(key) ?? [];
          q.splice(q.indexOf(waiter), 1);
          tx.waitingFor = undefined;
          tx.doomed ??= `lock wait on ${coll}/${id} exceeded ${this.opts.lockWaitMs} ms`;
          resolve();
        }, this.opts.lockWaitMs),
      };
      tx.waitingFor = key;
      const q = this.queues.get(key) ?? [];
      q.push(waiter);
      this.queues.set(key, q);
    });
  }

  private wouldDeadlock(tx: Tx, owner: Tx): boolean {
    const seen = new Set<Tx>();
    let cur: Tx | undefined = owner;
    while (cur && !seen.has(cur)) {
      if (cur === tx) return true;
      seen.add(cur);
      cur = cur.waitingFor ? this.owners.get(cur.waitingFor) : undefined;
    }
    return false;
  }

  /** The transaction's view: its own writes over committed data, recording what it read. */
  view(tx: Tx): View {
    const base = committedView(this.store);
    const record = (coll: string, id: string) => {
      const k = keyOf(coll, id);
      if (!tx.reads.has(k) && !tx.writes.has(k)) tx.reads.set(k, this.store.seqOf(coll, id) ?? -1);
    };
    return {
      get: (coll, id) => {
        const w = tx.writes.get(keyOf(coll, id));
        if (w) return w.doc ?? undefined;
        record(coll, id);
        return base.get(coll, id);
      },
      candidates(coll, query, order) {
        const base_ = base.candidates(coll, query, order);
        const own = [...tx.writes.values()].filter((w) => w.coll === coll);
        function* docs() {
          const seen = new Set<string>();
          for (const doc of base_.docs) {
            const id = String(doc._id);
            seen.add(id);
            const w = tx.writes.get(keyOf(coll, id));
            if (w) {
              if (w.doc) yield w.doc;
              continue;
            }
            record(coll, id);
            yield doc;
          }
          for (const w of own) if (w.doc && !seen.has(w.id)) yield w.doc;
        }
        // the transaction's own writes come last, out of any order
        return { docs: docs(), ordered: base_.ordered && own.length === 0 };
      },
    };
  }

  stage(tx: Tx, writes: Write[]): void {
    for (const w of writes) tx.writes.set(keyOf(w.coll, w.id), w);
  }

  commit(id: string): void {
    const tx = this.tx(id);
    try {
      if (tx.doomed) throw new TcbError(TcbCodes.conflict, `transaction conflict: ${tx.doomed}`);
      for (const [k, seq] of tx.reads) {
        const [coll, docId] = k.split('\u0000') as [string, string];
        if ((this.store.seqOf(coll, docId) ?? -1) !== seq) throw new TcbError(TcbCodes.conflict, `transaction conflict: ${coll}/${docId} changed since it was read`);
      }
      this.store.apply([...tx.writes.values()]);
    } finally {
      this.end(tx);
    }
  }

  abort(id: string): void {
    const tx = this.txs.get(id);
    if (tx) this.end(tx);
  }

  private end(tx: Tx): void {
    this.txs.delete(tx.id);
    for (const key of tx.locks) {
      this.owners.delete(key);
      const next = this.queues.get(key)?.shift();
      if (this.queues.get(key)?.length === 0) this.queues.delete(key);
      next?.grant();
    }
    tx.locks.clear();
  }

  private sweep(): void {
    const cutoff = Date.now() - this.opts.idleMs;
    for (const tx of [...this.txs.values()]) if (tx.touchedAt < cutoff && !tx.waitingFor) this.end(tx);
  }
}

export type { Doc };
