import { randomUUID } from 'node:crypto';
import { isTransactionConflict, type Tx } from '../db/transaction';
import type { OpenLotsReader } from '../points/account';
import { eachLimited } from '../kit/each-limited';

/**
 * Writes in flight per group: at 10 ms a call, a group of 250 members is 26 rounds instead of 51 at
 * five; measured in pairs on the known-orders bench, ten also cost less CPU per order than five.
 */
const WRITES_IN_FLIGHT = 10;
/** members whose open lots one query reads (its page of 1000 lots is then 15 per member) */
const LOT_MEMBERS = 64;

type Doc = Record<string, unknown>;
type Pending = 'insert' | 'set' | 'update' | 'remove';
interface Entry {
  coll: string;
  id: string;
  /** the document as this transaction sees it now; null: absent */
  doc: Doc | null;
  pending?: Pending;
}
type State = Map<string, Entry>;
/** A position in the undo log: `restore` takes the state back to it. */
type Mark = number;

/** What the SDK's transaction offers beyond `Tx`: a query read at the transaction's snapshot. */
interface QueryTx {
  collection(name: string): { where(q: Doc): { limit(n: number): { get(): Promise<{ data: Doc[] }> } } };
}

const keyOf = (coll: string, id: string) => `${coll}\u0000${id}`;
const isPlain = (v: unknown) =>
  v === null ||
  typeof v !== 'object' ||
  Array.isArray(v) ||
  v instanceof Date ||
  Object.getPrototypeOf(v) === Object.prototype;

/**
 * One database transaction that settles many orders with few calls: documents the caller primes
 * with bulk reads (at the transaction's snapshot) are answered from memory, every write is kept in
 * memory, and `flush` sends them at the end grouped: one set per changed document (a
 * member written by several orders is written once), one array insert per collection. Reads it was
 * not primed for go to the transaction as usual. The settlement code runs on it unchanged, through
 * the `Tx` interface; `mark`/`restore` drop one order's writes when that order is refused.
 */
export class GroupedTx implements Tx, OpenLotsReader {
  private readonly state: State = new Map();
  private readonly lotMembers = new Set<string>();
  /** open lots by member (ids), as read or written here; whether still open is read off the state */
  private readonly lotsByMember = new Map<string, Set<string>>();
  /** each write's key and the entry it replaced, so that one refused order's writes can be undone */
  private readonly undo: [string, Entry | undefined][] = [];

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

  /**
   * Remembers ids just made up here (random member ids) as absent without reading them: writing one
   * is then an insert, and a member that does not exist yet has no open lots.
   */
  assumeAbsent(coll: string, ids: string[]): void {
    for (const id of ids) {
      if (this.state.has(keyOf(coll, id))) continue;
      this.remember(coll, id, null);
      if (coll === 'members') this.lotMembers.add(id);
    }
  }

  /**
   * Reads the open lots of `memberIds`, one query per LOT_MEMBERS of them (side by side), so
   * `openLotIdsOf` answers for them; members whose query filled its page are read lot by lot later.
   */
  async primeOpenLots(memberIds: string[], command: { in(v: string[]): unknown; gt(v: number): unknown }) {
    const ids = [...new Set(memberIds)];
    const limit = 1000;
    const chunks = Array.from({ length: Math.ceil(ids.length / LOT_MEMBERS) }, (_v, i) =>
      ids.slice(i * LOT_MEMBERS, (i + 1) * LOT_MEMBERS),
    );
    await Promise.all(
      chunks.map(async (chunk) => {
        const where = { memberId: command.in(chunk), remaining: command.gt(0) };
        const lots = await this.query('points_lots', where, limit);
        for (const d of lots) this.remember('points_lots', String(d._id), d);
        if (lots.length < limit) for (const id of chunk) this.lotMembers.add(id);
      }),
    );
  }

  openLotIdsOf(memberId: string): string[] | undefined {
    if (!this.lotMembers.has(memberId)) return undefined;
    const out: string[] = [];
    for (const id of this.lotsByMember.get(memberId) ?? []) {
      const doc = this.state.get(keyOf('points_lots', id))?.doc;
      if (doc && doc.memberId === memberId && Number(doc.remaining) > 0) out.push(id);
    }
    return out;
  }

  collection(name: string): ReturnType<Tx['collection']> {
    return {
      doc: (id: string) => ({
        get: async () => ({ data: await this.read(name, id) }),
        set: async ({ data }: { data: Doc }) => this.write(name, id, 'set', data),
        update: async ({ data }: { data: Doc }) => {
          const present = await this.exists(name, id);
          if (present) this.write(name, id, 'update', data);
          return { stats: { updated: present ? 1 : 0 } };
        },
        remove: async () => this.write(name, id, 'remove', {}),
      }),
      add: async ({ data }: { data: Doc }) => {
        const id = typeof data._id === 'string' ? data._id : randomUUID().replace(/-/g, '');
        const current = this.state.get(keyOf(name, id));
        if (current?.doc) throw new Error(`E11000 duplicate key: ${name} ${id} already exists in this transaction`);
        this.write(name, id, 'insert', { ...data, _id: id });
        return { _id: id };
      },
    };
  }

  mark(): Mark {
    return this.undo.length;
  }

  /** Undoes the writes since `mark` (documents read since stay known: they are the snapshot's). */
  restore(saved: Mark): void {
    while (this.undo.length > saved) {
      const [key, before] = this.undo.pop()!;
      if (before) this.state.set(key, before);
      else this.state.delete(key);
    }
  }

  /**
   * Sends the kept writes side by side, WRITES_IN_FLIGHT at a time (a call's latency is paid once per
   * round, not per member): one insert per collection (up to 1000 documents each), started first as
   * the largest, and one call per changed document. Every call started is waited for before a
   * failure is thrown (a conflict first), so the transaction never ends with one of its calls out.
   */
  async flush(): Promise<void> {
    const inserts = new Map<string, Doc[]>();
    const changed: Entry[] = [];
    for (const e of this.state.values()) {
      if (e.pending === 'insert') {
        const docs = inserts.get(e.coll) ?? [];
        docs.push(e.doc!);
        inserts.set(e.coll, docs);
      } else if (e.pending) changed.push(e);
    }
    const calls: (() => Promise<unknown>)[] = [];
    for (const [coll, docs] of inserts) {
      const target = this.real.collection(coll) as unknown as { add(o: { data: Doc[] }): Promise<unknown> };
      for (let i = 0; i < docs.length; i += 1000) calls.push(() => target.add({ data: docs.slice(i, i + 1000) }));
    }
    for (const e of changed) {
      const ref = this.real.collection(e.coll).doc(e.id);
      // an updated document is sent whole: the SDK's update encoder costs more per field than the set
      // encoder, and the transaction read it (a change since is a conflict at this write)
      calls.push(() => (e.pending === 'remove' ? ref.remove() : ref.set({ data: withoutId(e.doc!) })));
    }
    const failures: unknown[] = [];
    await eachLimited(calls, WRITES_IN_FLIGHT, async (call) => {
      if (failures.length) return;
      await call().catch((e: unknown) => failures.push(e));
    });
    if (failures.length) throw failures.find(isTransactionConflict) ?? failures[0];
  }

  private async query(coll: string, where: Doc, limit: number): Promise<Doc[]> {
    return (await (this.real as unknown as QueryTx).collection(coll).where(where).limit(limit).get()).data;
  }

  private remember(coll: string, id: string, doc: Doc | null): void {
    this.state.set(keyOf(coll, id), { coll, id, doc: doc ? { ...doc, _id: id } : null });
    this.noteLot(coll, id, doc);
  }

  private noteLot(coll: string, id: string, doc: Doc | null): void {
    if (coll !== 'points_lots' || typeof doc?.memberId !== 'string') return;
    const ids = this.lotsByMember.get(doc.memberId) ?? new Set<string>();
    ids.add(id);
    this.lotsByMember.set(doc.memberId, ids);
  }

  /** The document as this transaction sees it, shared: callers copy what they hand out. */
  private async known(coll: string, id: string): Promise<Doc | null> {
    const key = keyOf(coll, id);
    if (!this.state.has(key)) this.remember(coll, id, (await this.real.collection(coll).doc(id).get()).data);
    return this.state.get(key)!.doc;
  }

  private async exists(coll: string, id: string): Promise<boolean> {
    return (await this.known(coll, id)) !== null;
  }

  private async read(coll: string, id: string): Promise<Doc | null> {
    const doc = await this.known(coll, id);
    return doc ? copyOf(doc) : null;
  }

  /** Folds one write into what is kept: a new document stays an insert, updates merge into the document. */
  private write(coll: string, id: string, kind: Pending, data: Doc): void {
    for (const [field, value] of Object.entries(data)) {
      if (field.includes('.') || !isPlain(value)) {
        throw new Error(`grouped transaction: ${coll}.${field} is not a plain value`);
      }
    }
    const key = keyOf(coll, id);
    const e = this.state.get(key);
    const was = e?.pending;
    const body = copyOf(data);
    let next: Entry;
    if (kind === 'remove') next = { coll, id, doc: null, pending: was === 'insert' ? undefined : 'remove' };
    else if (kind === 'update') {
      const doc = mergedInto(e!.doc!, body);
      next = { coll, id, doc, pending: was === 'insert' || was === 'set' ? was : 'update' };
    } else {
      // known absent (primed, or created here): an insert; present, removed here or never read: a set
      const knownAbsent = e !== undefined && !e.doc && was !== 'remove';
      const absent = was === 'insert' || (kind === 'insert' && was !== 'remove') || knownAbsent;
      next = { coll, id, doc: { ...body, _id: id }, pending: absent ? 'insert' : 'set' };
    }
    this.undo.push([key, e]);
    this.state.set(key, next);
    this.noteLot(coll, id, next.doc);
  }
}

/** A deep copy of a plain value (objects, arrays, dates): structuredClone costs several times more here. */
function copyOf<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copyOf) as T;
  const out: Doc = {};
  for (const k of Object.keys(value)) out[k] = copyOf((value as Doc)[k]);
  return out as T;
}

const isObject = (v: unknown): v is Doc =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);

/**
 * `patch` applied as the SDK applies an update: nested objects merge field by field (an empty one
 * changes nothing), undefined leaves a field as it is, anything else replaces the value.
 */
function mergedInto(doc: Doc, patch: Doc): Doc {
  const out: Doc = { ...doc };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isObject(v) ? mergedInto(isObject(doc[k]) ? doc[k] : {}, v) : v;
  }
  return out;
}

function withoutId(doc: Doc): Doc {
  const { _id: _drop, ...rest } = doc;
  return rest;
}
