import { randomBytes } from 'node:crypto';
import { TcbCodes, TcbError } from './errors';
import type { View } from './engine';
import type { DocumentStore, Write } from './store';
import type { Doc } from './values';
import { committedView } from './engine';

const keyOf = (coll: string, id: string) => `${coll}\u0000${id}`;

export interface Tx {
  id: string;
  /** the commit sequence number its reads see */
  snapshot: number;
  writes: Map<string, Write>;
  /** each written document as its first write found it at the snapshot (null: absent), when the writer said */
  found: Map<string, Doc | null>;
  touchedAt: number;
}

/** A document as it was before the commit numbered `until` (undefined: it did not exist). */
interface Version {
  until: number;
  doc: Doc | undefined;
}

/** The id a query names alone (`{ _id: 'x' }`), else null. */
function soleId(query: Record<string, unknown>): string | null {
  const keys = Object.keys(query);
  return keys.length === 1 && keys[0] === '_id' && typeof query._id === 'string' ? query._id : null;
}

const CHANGED = 'changed after the transaction began';
const conflict = (coll: string, id: string, why: string) =>
  new TcbError(TcbCodes.conflict, `[DATABASE_TRANSACTION_CONFLICT] transaction conflict: ${coll}/${id} ${why}`);

/**
 * Transactions as the platform gives them (docs/emulator.md "Transactions"):
 * - reads see the snapshot taken when the transaction started, plus its own writes;
 * - a write to a document that another open transaction has written, or that was changed since
 *   the snapshot, fails at once with DATABASE_TRANSACTION_CONFLICT and aborts the transaction;
 * - a commit fails the same way when a plain write changed one of its documents meanwhile;
 * - a finished transaction used again answers DATABASE_TRANSACTION_FAIL.
 * Nothing waits: hot documents conflict instead of queueing. While transactions are open, every
 * write keeps the version it replaced, so snapshot reads find it; versions no open transaction can
 * see are dropped.
 */
export class TransactionManager {
  private readonly txs = new Map<string, Tx>();
  /** how each recently finished transaction ended, for the error its reuse gets */
  private readonly finished = new Map<string, string>();
  /** document key → the open transaction holding an uncommitted write to it */
  private readonly writers = new Map<string, Tx>();
  /** collection → the sequence number of its last committed write */
  private readonly lastWrite = new Map<string, number>();
  /** collection → document id → versions replaced while transactions were open, oldest first */
  private readonly versions = new Map<string, Map<string, Version[]>>();
  private readonly sweeper: NodeJS.Timeout;
  /** counts since start: tests and the bench read conflicts per commit from them */
  readonly stats = { started: 0, committed: 0, conflictsAtWrite: 0, conflictsAtCommit: 0 };

  constructor(
    private readonly store: DocumentStore,
    private readonly opts: { idleMs: number },
  ) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(1000, opts.idleMs)).unref();
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const tx of [...this.txs.values()]) this.end(tx, 'aborted');
  }

  start(): string {
    const id = randomBytes(8).toString('hex');
    const tx: Tx = { id, snapshot: this.store.lastSeq, writes: new Map(), found: new Map(), touchedAt: Date.now() };
    this.txs.set(tx.id, tx);
    this.stats.started++;
    return tx.id;
  }

  get active(): number {
    return this.txs.size;
  }

  tx(id: string): Tx {
    const tx = this.txs.get(id);
    if (!tx) {
      const how = this.finished.get(id);
      const what = how ? `has already ${how}` : 'does not exist';
      throw new TcbError(TcbCodes.transactionFailed, `[DATABASE_TRANSACTION_FAIL] transaction ${id} ${what}`);
    }
    tx.touchedAt = Date.now();
    return tx;
  }

  /** Applies plain writes and commits, keeping the versions open transactions may still read. */
  apply(writes: Write[]): void {
    if (this.txs.size === 0) {
      this.store.apply(writes);
      return this.noteWrites(writes);
    }
    const prior = writes.map(
      (w) => (w.before !== undefined ? w.before : this.store.get(w.coll, w.id)?.doc) ?? undefined,
    );
    this.store.apply(writes);
    this.noteWrites(writes);
    const until = this.store.lastSeq;
    writes.forEach((w, i) => {
      let byId = this.versions.get(w.coll);
      if (!byId) this.versions.set(w.coll, (byId = new Map()));
      const list = byId.get(w.id);
      if (list) list.push({ until, doc: prior[i] });
      else byId.set(w.id, [{ until, doc: prior[i] }]);
    });
  }

  private noteWrites(writes: Write[]): void {
    for (const w of writes) this.lastWrite.set(w.coll, this.store.lastSeq);
  }

  /** Whether a transaction sees `coll` as it is committed now: no commit to it since its snapshot, no write of its own. */
  seesCommitted(id: string, coll: string): boolean {
    const tx = this.tx(id);
    if ((this.lastWrite.get(coll) ?? 0) > tx.snapshot) return false;
    for (const w of tx.writes.values()) if (w.coll === coll) return false;
    return true;
  }

  private changedSince(coll: string, id: string, snapshot: number): boolean {
    const list = this.versions.get(coll)?.get(id);
    return list !== undefined && list[list.length - 1]!.until > snapshot;
  }

  /** The document as the snapshot saw it. */
  private atSnapshot(coll: string, id: string, snapshot: number): Doc | undefined {
    const list = this.versions.get(coll)?.get(id);
    if (list) for (const v of list) if (v.until > snapshot) return v.doc;
    return this.store.get(coll, id)?.doc;
  }

  /** Documents of `coll` changed since the snapshot, each as the snapshot saw it. */
  private changedIn(coll: string, snapshot: number): Map<string, Doc | undefined> {
    const out = new Map<string, Doc | undefined>();
    for (const [id, list] of this.versions.get(coll) ?? []) {
      const v = list.find((x) => x.until > snapshot);
      if (v) out.set(id, v.doc);
    }
    return out;
  }

  /** The transaction's view: its own writes over its snapshot. */
  view(tx: Tx): View {
    const base = committedView(this.store);
    return {
      get: (coll, id) => {
        const w = tx.writes.get(keyOf(coll, id));
        return w ? (w.doc ?? undefined) : this.atSnapshot(coll, id, tx.snapshot);
      },
      candidates: (coll, query, order) => {
        // one document by its id (every doc().get/set/update/remove): the view's own answer, without
        // going over the collection's changed versions and the transaction's other writes
        const id = soleId(query);
        if (id !== null) {
          const w = tx.writes.get(keyOf(coll, id));
          const doc = w ? w.doc : this.atSnapshot(coll, id, tx.snapshot);
          return { docs: doc ? [doc] : [], ordered: true };
        }
        const current = base.candidates(coll, query, order);
        const changed = this.changedIn(coll, tx.snapshot);
        const own = [...tx.writes.values()].filter((w) => w.coll === coll);
        if (changed.size === 0 && own.length === 0) return current;
        function* docs() {
          const seen = new Set<string>();
          for (const doc of current.docs) {
            const id = String(doc._id);
            seen.add(id);
            const w = tx.writes.get(keyOf(coll, id));
            const seenThen = w ? w.doc : changed.has(id) ? changed.get(id) : doc;
            if (seenThen) yield seenThen;
          }
          // documents the index or scan no longer finds as they were at the snapshot
          for (const [id, doc] of changed) if (doc && !seen.has(id) && !tx.writes.has(keyOf(coll, id))) yield doc;
          for (const w of own) if (w.doc && !seen.has(w.id)) yield w.doc;
        }
        return { docs: docs(), ordered: false };
      },
    };
  }

  /** Stages writes, each refused (and the transaction aborted) when another one got to the document first. */
  stage(tx: Tx, writes: Write[]): void {
    for (const w of writes) {
      const k = keyOf(w.coll, w.id);
      const holder = this.writers.get(k);
      let err: TcbError | undefined;
      if (holder && holder !== tx) err = conflict(w.coll, w.id, 'is being written by another transaction');
      else if (this.changedSince(w.coll, w.id, tx.snapshot)) err = conflict(w.coll, w.id, CHANGED);
      if (err) {
        this.stats.conflictsAtWrite++;
        this.end(tx, 'aborted');
        throw err;
      }
      this.writers.set(k, tx);
      const earlier = tx.writes.get(k);
      if (!earlier && w.before !== undefined) tx.found.set(k, w.before);
      // the fields changed since the snapshot: this write's over the earlier write's, when both said
      if (earlier)
        w.touched = earlier.touched && w.touched ? [...new Set([...earlier.touched, ...w.touched])] : undefined;
      tx.writes.set(k, w);
    }
  }

  commit(id: string): void {
    const tx = this.tx(id);
    try {
      for (const w of tx.writes.values()) {
        // a plain write does not wait for transactions: it made this one stale
        if (this.changedSince(w.coll, w.id, tx.snapshot)) {
          this.stats.conflictsAtCommit++;
          throw conflict(w.coll, w.id, CHANGED);
        }
      }
      // the document each write replaces: unchanged since the snapshot (checked above), so as the first
      // write found it there; else (a writer that did not say) read once, for the versions and the indexes.
      // `touched` is kept only against what the first write found (`stage` folds later writes' into it).
      this.apply(
        [...tx.writes.values()].map((w) => {
          const found = tx.found.get(keyOf(w.coll, w.id));
          if (found !== undefined) return { ...w, before: found };
          return { ...w, before: this.store.get(w.coll, w.id)?.doc ?? null, touched: undefined };
        }),
      );
    } catch (e) {
      this.end(tx, 'aborted');
      throw e;
    }
    this.end(tx, 'committed');
    this.stats.committed++;
  }

  abort(id: string): void {
    this.end(this.tx(id), 'aborted');
  }

  private end(tx: Tx, how: 'committed' | 'aborted'): void {
    if (!this.txs.delete(tx.id)) return;
    for (const k of tx.writes.keys()) if (this.writers.get(k) === tx) this.writers.delete(k);
    this.finished.set(tx.id, how);
    // the ids of the last few thousand are enough to answer a late reuse
    if (this.finished.size > 5000) this.finished.delete(this.finished.keys().next().value!);
    this.prune();
  }

  /** Drops versions no open transaction can read. */
  private prune(): void {
    if (this.txs.size === 0) return this.versions.clear();
    let oldest = Infinity;
    for (const tx of this.txs.values()) oldest = Math.min(oldest, tx.snapshot);
    for (const [coll, byId] of this.versions) {
      for (const [id, list] of byId) {
        const keep = list.filter((v) => v.until > oldest);
        if (keep.length === 0) byId.delete(id);
        else if (keep.length < list.length) byId.set(id, keep);
      }
      if (byId.size === 0) this.versions.delete(coll);
    }
  }

  private sweep(): void {
    const cutoff = Date.now() - this.opts.idleMs;
    for (const tx of [...this.txs.values()]) if (tx.touchedAt < cutoff) this.end(tx, 'aborted');
  }
}

export type { Doc };
