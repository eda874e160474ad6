import { DocumentStore, type Write } from './store';
import { TransactionManager } from './transactions';
import {
  aggregate,
  committedView,
  count,
  find,
  planInsert,
  planModify,
  planRemove,
  type FindOptions,
  type ModifyOptions,
  type Q,
  type View,
} from './engine';
import { TcbCodes, TcbError } from './errors';
import type { IndexSpec } from './indexes';
import { encodeDoc, type Doc } from './values';
import { findText } from './text-reads';

export interface DatabaseLimits {
  /** server get(): 100 when no limit is sent, at most 1000 */
  serverDefaultLimit: number;
  serverMaxLimit: number;
  /** client (Mini Program) reads: at most 20 */
  clientMaxLimit: number;
  maxDocumentBytes: number;
}

export const defaultDatabaseLimits: DatabaseLimits = {
  serverDefaultLimit: 100,
  serverMaxLimit: 1000,
  clientMaxLimit: 20,
  maxDocumentBytes: 16 * 1024 * 1024,
};

/** The emulated cloud database: collections, declared indexes, reads, writes and transactions. */
export class EmulatedDatabase {
  readonly store: DocumentStore;
  readonly transactions: TransactionManager;

  constructor(
    file: string,
    readonly limits: DatabaseLimits = defaultDatabaseLimits,
    txOptions = { idleMs: 10_000 },
  ) {
    this.store = new DocumentStore(file, limits.maxDocumentBytes);
    this.transactions = new TransactionManager(this.store, txOptions);
  }

  close(): void {
    this.transactions.close();
    this.store.close();
  }

  requireCollection(coll: string): void {
    if (!this.store.hasCollection(coll))
      throw new TcbError(TcbCodes.collectionMissing, `Db or Table not exist: ${coll}`);
  }

  createCollection(coll: string): void {
    if (!this.store.createCollection(coll))
      throw new TcbError(TcbCodes.collectionExists, '[ResourceUnavailable.ResourceExist] Table exist.');
  }

  declareIndexes(coll: string, specs: IndexSpec[]): void {
    for (const spec of specs) this.store.declareIndex(coll, spec);
  }

  private view(txId?: string): View {
    return txId ? this.transactions.view(this.transactions.tx(txId)) : committedView(this.store);
  }

  private write(txId: string | undefined, writes: Write[]): void {
    if (txId) {
      for (const w of writes) if (w.doc) w.body = this.store.checkSize(w.doc);
      this.transactions.stage(this.transactions.tx(txId), writes);
    } else this.transactions.apply(writes);
  }

  limitFor(requested: number | undefined, client: boolean): number {
    const max = client ? this.limits.clientMaxLimit : this.limits.serverMaxLimit;
    if (requested === undefined || requested === 0) return client ? max : this.limits.serverDefaultLimit;
    if (requested > max)
      throw new TcbError(
        TcbCodes.invalidParam,
        `limit ${requested} exceeds the maximum of ${max} documents per ${client ? 'client' : 'server'} read`,
      );
    return requested;
  }

  get(coll: string, query: Q, opts: FindOptions, txId?: string): Doc[] {
    this.requireCollection(coll);
    return find(this.view(txId), coll, query, opts);
  }

  /**
   * `get`'s documents as the relaxed EJSON text the SDK parses; straight from the stored text where it can: outside
   * a transaction, or in one that sees the collection as committed (its snapshot and the store agree on it).
   */
  getText(coll: string, query: Q, opts: FindOptions, txId?: string): string[] {
    this.requireCollection(coll);
    const committed = !txId || this.transactions.seesCommitted(txId, coll);
    return (committed && findText(this.store, coll, query, opts)) || this.get(coll, query, opts, txId).map(encodeDoc);
  }

  count(coll: string, query: Q): number {
    this.requireCollection(coll);
    return count(this.view(), coll, query);
  }

  insert(coll: string, docs: Doc[], txId?: string): string[] {
    this.requireCollection(coll);
    const writes = planInsert(this.view(txId), coll, docs);
    this.write(txId, writes);
    return writes.map((w) => w.id);
  }

  /** Updates what matches: `updated` counts the matched documents (changed or not), `docs` holds them as written. */
  modify(coll: string, query: Q, data: Q, opts: ModifyOptions, txId?: string) {
    this.requireCollection(coll);
    const planned = planModify(this.view(txId), coll, query, data, opts);
    this.write(txId, planned.writes);
    return planned;
  }

  remove(coll: string, query: Q, multi: boolean, txId?: string): number {
    this.requireCollection(coll);
    const writes = planRemove(this.view(txId), coll, query, multi);
    this.write(txId, writes);
    return writes.length;
  }

  aggregate(coll: string, pipeline: Q[]): Doc[] {
    this.requireCollection(coll);
    return aggregate(this.store, coll, pipeline);
  }
}
