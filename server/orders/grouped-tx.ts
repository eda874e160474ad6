import { randomBytes } from 'node:crypto';
import type { Tx } from '../db/transaction';
import type { OpenLotsReader } from '../points/account';
import { eachLimited } from '../kit/each-limited';

const WRITES_IN_FLIGHT = 8;

type Doc = Record<string, unknown>;
type Pending = 'insert' | 'set' | 'update' | 'remove';
interface Entry {
  /** the document as this transaction sees it now; null: absent */
  doc: Doc | null;
  pending?: Pending;
  /** for `update`: the fields to set */
  patch?: Doc;
}
type State = Map<string, Entry>;

/** What the SDK's transaction offers beyond `Tx`: a query read at the transaction's snapshot. */
interface QueryTx {
  collection(name: string): { where(q: Doc): { limit(n: number): { get(): Promise<{ data: Doc[] }> } } };
}

const keyOf = (coll: string, id: string) => `${coll}\u0000${id}`;
const split = (key: string) => key.split('\u0000') as [string, string];
const isPlain = (v: unknown) =>
  v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof Date ||
  Object.getPrototypeOf(v) === Object.prototype;

/**
 * One database transaction that settles many orders with few calls: documents the caller primes
 * with bulk reads (at the transaction's snapshot) are answered from memory, every write is kept in
 * memory, and `flush` sends them at the end grouped: one update or set per changed document (a
 * member written by several orders is written once), one array insert per collection. Reads it was
 * not primed for go to the transaction as usual. The settlement code runs on it unchanged, through
 * the `Tx` interface; `mark`/`restore` drop one order's writes when that order is refused.
 */
export class GroupedTx implements Tx, OpenLotsReader {
  private state: State = new Map();
  private readonly lotMembers = new Set<string>();

  constructor(private readonly real: Tx) {}

  /** Reads `ids` of `coll` in one query and remembers each as found or absent. */
  async prime(coll: string, ids: string[], command: { in(v: string[]): unknown }): Promise<void> {
    const wanted = [...new Set(ids)].filter((id) => !this.state.has(keyOf(coll, id)));
    for (let i = 0; i < wanted.length; i += 1000) {
      const page = wanted.slice(i, i + 1000);
      const found = await this.query(coll, { _id: command.in(page) }, page.length);
      const byId = new Map(found.map((d) => [String(d._id), d]));
      for (const id of page) this.remember(coll, id, byId.get(id) ?? null);
    }
  }

  /** Reads the open lots of `memberIds` in one query, so `openLotIdsOf` answers for them. */
  async primeOpenLots(memberIds: string[], command: { in(v: string[]): unknown; gt(v: number): unknown }) {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return;
    const limit = 1000;
    const lots = await this.query('points_lots', { memberId: command.in(ids), remaining: command.gt(0) }, limit);
    for (const d of lots) this.remember('points_lots', String(d._id), d);
    if (lots.length < limit) for (const id of ids) this.lotMembers.add(id);
  }

  openLotIdsOf(memberId: string): string[] | undefined {
    if (!this.lotMembers.has(memberId)) return undefined;
    const out: string[] = [];
    for (const [key, e] of this.state) {
      const [coll, id] = split(key);
      if (coll === 'points_lots' && e.doc && e.doc.memberId === memberId && Number(e.doc.remaining) > 0) out.push(id);
    }
    return out;
  }

  collection(name: string): ReturnType<Tx['collection']> {
    return {
      doc: (id: string) => ({
        get: async () => ({ data: await this.read(name, id) }),
        set: async ({ data }: { data: Doc }) => this.write(name, id, 'set', data),
        update: async ({ data }: { data: Doc }) => {
          const present = (await this.read(name, id)) !== null;
          if (present) this.write(name, id, 'update', data);
          return { stats: { updated: present ? 1 : 0 } };
        },
        remove: async () => this.write(name, id, 'remove', {}),
      }),
      add: async ({ data }: { data: Doc }) => {
        const id = typeof data._id === 'string' ? data._id : randomBytes(16).toString('hex');
        const current = this.state.get(keyOf(name, id));
        if (current?.doc) throw new Error(`E11000 duplicate key: ${name} ${id} already exists in this transaction`);
        this.write(name, id, 'insert', { ...data, _id: id });
        return { _id: id };
      },
    };
  }

  mark(): State {
    return new Map(this.state);
  }

  restore(saved: State): void {
    this.state = saved;
  }

  /**
   * Sends the kept writes: changed documents one call each, WRITES_IN_FLIGHT at a time (a call's
   * latency is paid once per round, not per member), then one insert per collection.
   */
  async flush(): Promise<void> {
    const inserts = new Map<string, Doc[]>();
    const changed: [string, Entry][] = [];
    for (const [key, e] of this.state) {
      if (e.pending === 'insert') inserts.set(split(key)[0], [...(inserts.get(split(key)[0]) ?? []), e.doc!]);
      else if (e.pending) changed.push([key, e]);
    }
    await eachLimited(changed, WRITES_IN_FLIGHT, async ([key, e]) => {
      const [coll, id] = split(key);
      const ref = this.real.collection(coll).doc(id);
      if (e.pending === 'update') await ref.update({ data: e.patch! });
      else if (e.pending === 'set') await ref.set({ data: withoutId(e.doc!) });
      else await ref.remove();
    });
    for (const [coll, docs] of inserts) {
      const target = this.real.collection(coll) as unknown as { add(o: { data: Doc[] }): Promise<unknown> };
      for (let i = 0; i < docs.length; i += 1000) await target.add({ data: docs.slice(i, i + 1000) });
    }
  }

  private async query(coll: string, where: Doc, limit: number): Promise<Doc[]> {
    return (await (this.real as unknown as QueryTx).collection(coll).where(where).limit(limit).get()).data;
  }

  private remember(coll: string, id: string, doc: Doc | null): void {
    this.state.set(keyOf(coll, id), { doc: doc ? { ...doc, _id: id } : null });
  }

  private async read(coll: string, id: string): Promise<Doc | null> {
    const key = keyOf(coll, id);
    if (!this.state.has(key)) this.remember(coll, id, (await this.real.collection(coll).doc(id).get()).data);
    const doc = this.state.get(key)!.doc;
    return doc ? structuredClone(doc) : null;
  }

  /** Folds one write into what is kept: a new document stays an insert, updates merge into one patch. */
  private write(coll: string, id: string, kind: Pending, data: Doc): void {
    for (const [field, value] of Object.entries(data)) {
      if (field.includes('.') || !isPlain(value)) {
        throw new Error(`grouped transaction: ${coll}.${field} is not a plain value`);
      }
    }
    const key = keyOf(coll, id);
    const e = this.state.get(key);
    const was = e?.pending;
    const body = structuredClone(data);
    let next: Entry;
    if (kind === 'remove') next = { doc: null, pending: was === 'insert' ? undefined : 'remove' };
    else if (kind === 'update') {
      const doc = { ...e!.doc!, ...body };
      const patch = { ...(e!.patch ?? {}), ...body };
      next = was === 'insert' || was === 'set' ? { doc, pending: was } : { doc, pending: 'update', patch };
    } else {
      // known absent (primed, or created here): an insert; present, removed here or never read: a set
      const knownAbsent = e !== undefined && !e.doc && was !== 'remove';
      const absent = was === 'insert' || (kind === 'insert' && was !== 'remove') || knownAbsent;
      next = { doc: { ...body, _id: id }, pending: absent ? 'insert' : 'set' };
    }
    this.state.set(key, next);
  }
}

function withoutId(doc: Doc): Doc {
  const { _id: _drop, ...rest } = doc;
  return rest;
}
