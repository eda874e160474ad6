import Database from 'better-sqlite3';
import { TcbCodes, TcbError, duplicateKey } from './errors';
import type { FilterSql } from './filter-sql';
import { INDEX_FORMAT, indexKeys, sameDeclaration, type IndexSpec } from './indexes';
import { ScalarTables } from './scalars';
import { encodeDoc, parseStored, type Doc } from './values';

export interface StoredDoc {
  id: string;
  seq: number;
  doc: Doc;
}

export interface Write {
  coll: string;
  id: string;
  /** null removes the document */
  doc: Doc | null;
  /** the committed document this write replaces (null: none), when the writer just read it; else read again */
  before?: Doc | null;
  /** `doc` as stored text, when already encoded (a transaction's write is encoded when staged, for its size) */
  body?: string;
  /**
   * With `before`: the top-level fields in which `doc` differs from it. Index keys over the other
   * fields are left as they are rather than computed twice to find them equal.
   */
  touched?: string[];
}

const NO_KEYS = { keys: [], multikey: false };

/** A document's key in a single-field index's scalar column: '' for none, or for an array (never read). */
const scalarKey = (k: { keys: string[]; multikey: boolean }): string =>
  k.multikey || k.keys.length !== 1 ? '' : k.keys[0]!;

/**
 * Durable document storage on SQLite (WAL). Every write gets a new commit sequence number,
 * which transactions take as their snapshot.
 */
export class DocumentStore {
  private readonly sql: Database.Database;
  private seq: number;
  private readonly indexes = new Map<string, IndexSpec[]>();
  private readonly collections = new Set<string>();
  private readonly st: ReturnType<DocumentStore['prepare']>;
  private readonly applyAll: (writes: Write[]) => void;
  private readonly scalars: ScalarTables;
  /**
   * The share of a collection above which a query part driving by its index entries costs more than
   * one pass over the collection's scalar table (`filterSql`).
   */
  scanShare = 1 / 32;

  constructor(
    file: string,
    private readonly maxDocumentBytes = 16 * 1024 * 1024,
  ) {
    this.sql = new Database(file);
    this.sql.pragma('journal_mode = WAL');
    // A local emulator: a crashed process loses nothing (the WAL is in the OS's hands); only a
    // crash of the machine could lose the last commits. Skipping fsync gives ~4% more writes/s.
    this.sql.pragma('synchronous = OFF');
    // a million members' indexes do not fit SQLite's default 2 MB page cache: reads and inserts would go to the OS
    this.sql.pragma('cache_size = -131072');
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS collections(name TEXT PRIMARY KEY);
      CREATE TABLE IF NOT EXISTS docs(coll TEXT NOT NULL, id TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY(coll, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS idx(coll TEXT NOT NULL, name TEXT NOT NULL, key TEXT NOT NULL, id TEXT NOT NULL, PRIMARY KEY(coll, name, key, id)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS index_specs(coll TEXT NOT NULL, name TEXT NOT NULL, spec TEXT NOT NULL, PRIMARY KEY(coll, name));
      CREATE TABLE IF NOT EXISTS meta(k TEXT PRIMARY KEY, v TEXT NOT NULL);
    `);
    // insertion order (`born`: the sequence number of the insert), added to stores made before it
    const columns = this.sql.prepare('PRAGMA table_info(docs)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'born')) {
      this.sql.exec('ALTER TABLE docs ADD COLUMN born INTEGER NOT NULL DEFAULT 0; UPDATE docs SET born = seq;');
    }
    this.sql.exec('CREATE INDEX IF NOT EXISTS docs_born ON docs(coll, born)');
    this.scalars = new ScalarTables(this.sql);
    this.st = this.prepare();
    this.applyAll = this.sql.transaction((writes: Write[]) => writes.forEach((w) => this.applyOne(w)));
    // sequence numbers only need to grow; after a restart no transaction holds an older one
    this.seq = (this.sql.prepare('SELECT MAX(seq) AS s FROM docs').get() as { s: number | null }).s ?? 0;
    for (const r of this.sql.prepare('SELECT name FROM collections').all() as { name: string }[])
      this.collections.add(r.name);
    for (const r of this.sql.prepare('SELECT coll, spec FROM index_specs').all() as { coll: string; spec: string }[]) {
      const spec = JSON.parse(r.spec) as IndexSpec;
      // keys of another format would answer lookups wrongly: dropped (a declared index is built again)
      if (spec.format !== INDEX_FORMAT) this.dropIndex(r.coll, spec.name);
      else this.specsOf(r.coll).push(spec);
    }
  }

  private prepare() {
    const s = this.sql;
    return {
      get: s.prepare('SELECT seq, body FROM docs WHERE coll = ? AND id = ?'),
      put: s.prepare(
        'INSERT INTO docs(coll, id, seq, body, born) VALUES (?, ?, ?, ?, ?) ON CONFLICT(coll, id) DO UPDATE SET seq = excluded.seq, body = excluded.body',
      ),
      del: s.prepare('DELETE FROM docs WHERE coll = ? AND id = ?'),
      scan: s.prepare('SELECT id, seq, body FROM docs WHERE coll = ? AND id > ? ORDER BY id'),
      scanTo: s.prepare('SELECT id, seq, body FROM docs WHERE coll = ? AND id > ? AND id <= ? ORDER BY id'),
      scanBefore: s.prepare('SELECT id, seq, body FROM docs WHERE coll = ? AND id > ? AND id < ? ORDER BY id'),
      scanDown: s.prepare('SELECT id, seq, body FROM docs WHERE coll = ? AND id > ? ORDER BY id DESC'),
      scanBorn: s.prepare('SELECT id, seq, body FROM docs WHERE coll = ? ORDER BY born'),
      // driven by the ids (a lookup each), not by the collection's insertion order (a scan of all of it)
      byBorn: s.prepare(
        'SELECT d.id FROM json_each(?) j CROSS JOIN docs d WHERE d.coll = ? AND d.id = j.value ORDER BY d.born',
      ),
      count: s.prepare('SELECT COUNT(*) AS n FROM docs WHERE coll = ?'),
      idxFind: s.prepare('SELECT id FROM idx WHERE coll = ? AND name = ? AND key = ?'),
      idxRange: s.prepare('SELECT id FROM idx WHERE coll = ? AND name = ? AND key >= ? AND key < ?'),
      idxAsc: s.prepare(
        'SELECT key, id FROM idx WHERE coll = ? AND name = ? AND (key, id) > (?, ?) AND key < ? ORDER BY key, id LIMIT ?',
      ),
      idxDesc: s.prepare(
        'SELECT key, id FROM idx WHERE coll = ? AND name = ? AND key >= ? AND (key, id) < (?, ?) ORDER BY key DESC, id DESC LIMIT ?',
      ),
      // the same entries with their documents, for reads that want the documents (one statement a page)
      idxAscDocs: s.prepare(
        'SELECT i.key, i.id, d.body FROM idx i CROSS JOIN docs d ON d.coll = i.coll AND d.id = i.id WHERE i.coll = ? AND i.name = ? AND (i.key, i.id) > (?, ?) AND i.key < ? ORDER BY i.key, i.id LIMIT ?',
      ),
      idxDescDocs: s.prepare(
        'SELECT i.key, i.id, d.body FROM idx i CROSS JOIN docs d ON d.coll = i.coll AND d.id = i.id WHERE i.coll = ? AND i.name = ? AND i.key >= ? AND (i.key, i.id) < (?, ?) ORDER BY i.key DESC, i.id DESC LIMIT ?',
      ),
      idxCount: s.prepare('SELECT COUNT(*) AS n FROM idx WHERE coll = ? AND name = ? AND key >= ? AND key < ?'),
      saveSpec: s.prepare('INSERT OR REPLACE INTO index_specs(coll, name, spec) VALUES (?, ?, ?)'),
      idxOther: s.prepare('SELECT id FROM idx WHERE coll = ? AND name = ? AND key = ? AND id <> ? LIMIT 1'),
      idxAdd: s.prepare('INSERT OR IGNORE INTO idx(coll, name, key, id) VALUES (?, ?, ?, ?)'),
      idxDel: s.prepare('DELETE FROM idx WHERE coll = ? AND name = ? AND key = ? AND id = ?'),
      addColl: s.prepare('INSERT OR IGNORE INTO collections(name) VALUES (?)'),
    };
  }

  close(): void {
    this.sql.close();
  }

  hasCollection(name: string): boolean {
    return this.collections.has(name);
  }

  listCollections(): string[] {
    return [...this.collections].sort();
  }

  createCollection(name: string): boolean {
    if (this.collections.has(name)) return false;
    this.st.addColl.run(name);
    this.collections.add(name);
    return true;
  }

  count(coll: string): number {
    return (this.st.count.get(coll) as { n: number }).n;
  }

  specsOf(coll: string): IndexSpec[] {
    let list = this.indexes.get(coll);
    if (!list) this.indexes.set(coll, (list = []));
    return list;
  }

  private dropIndex(coll: string, name: string): void {
    this.sql.prepare('DELETE FROM idx WHERE coll = ? AND name = ?').run(coll, name);
    this.sql.prepare('DELETE FROM index_specs WHERE coll = ? AND name = ?').run(coll, name);
  }

  /** Declares an index; building it over existing documents fails if a unique index would be violated. */
  declareIndex(coll: string, declared: IndexSpec): void {
    this.createCollection(coll);
    const spec: IndexSpec = { ...declared, format: INDEX_FORMAT };
    const specs = this.specsOf(coll);
    const existing = specs.find((s) => s.name === spec.name);
    if (existing && sameDeclaration(existing, spec)) return;
    const scalar = spec.fields.length === 1;
    this.sql.transaction(() => {
      if (existing) {
        this.sql.prepare('DELETE FROM idx WHERE coll = ? AND name = ?').run(coll, spec.name);
        specs.splice(specs.indexOf(existing), 1);
      }
      if (scalar) this.scalars.prepareColumn(coll, spec.name);
      // a page of documents at a time: SQLite cannot write while a read statement is still iterating
      for (let after = '', page: StoredDoc[]; ; after = page[page.length - 1]!.id) {
        page = [];
        for (const row of this.scan(coll, after)) if (page.push(row) >= 1000) break;
        for (const row of page) {
          const { keys, multikey } = indexKeys(spec, row.doc);
          if (multikey) spec.multikey = true;
          else if (scalar && keys.length) this.scalars.put(coll, row.id, [[spec.name, keys[0]!]], false);
          for (const key of keys) {
            if (spec.unique && this.st.idxOther.get(coll, spec.name, key, row.id))
              throw duplicateKey(coll, spec.name, key);
            this.st.idxAdd.run(coll, spec.name, key, row.id);
          }
        }
        if (page.length < 1000) break;
      }
      this.st.saveSpec.run(coll, spec.name, JSON.stringify(spec));
      specs.push(spec);
    })();
  }

  /** A document as stored, refused when over the size limit (the platform's kind of error, naming the limit). */
  private encode(doc: Doc): string {
    const text = encodeDoc(doc);
    if (text.length > this.maxDocumentBytes / 4 && Buffer.byteLength(text) > this.maxDocumentBytes) {
      throw new TcbError(
        TcbCodes.invalidParam,
        `document size ${Buffer.byteLength(text)} bytes exceeds the limit of ${this.maxDocumentBytes} bytes`,
      );
    }
    return text;
  }

  /** The document as stored text, refused when over the size limit. */
  checkSize(doc: Doc): string {
    return this.encode(doc);
  }

  get(coll: string, id: string): StoredDoc | undefined {
    const row = this.st.get.get(coll, id) as { seq: number; body: string } | undefined;
    return row ? { id, seq: row.seq, doc: parseStored(row.body) } : undefined;
  }

  /** The sequence number of the last write (a removal takes one too). */
  get lastSeq(): number {
    return this.seq;
  }

  /** Ids under an index key (equality lookup: no scan). */
  lookup(coll: string, index: string, key: string): string[] {
    return (this.st.idxFind.all(coll, index, key) as { id: string }[]).map((r) => r.id);
  }

  /** Ids whose key starts with `prefix` (the leading fields of a compound index fixed; it ends with the \u0000 separator). */
  lookupPrefix(coll: string, index: string, prefix: string): string[] {
    return (this.st.idxRange.all(coll, index, prefix, `${prefix.slice(0, -1)}\u0001`) as { id: string }[]).map(
      (r) => r.id,
    );
  }

  /**
   * Index entries whose key is in [lower, upper), in (key, _id) order ascending or descending, read a page at a
   * time (no statement stays open while the caller reads documents); ascending ones start after
   * (lower, afterId), so a query's `_id > x` skips what it would not match.
   */
  *range(
    coll: string,
    index: string,
    lower: string,
    upper: string,
    dir: 1 | -1,
    afterId = '',
  ): Generator<{ key: string; id: string }> {
    const page = 256;
    let at = dir === 1 ? { key: lower, id: afterId } : { key: upper, id: '' };
    for (;;) {
      const rows = (
        dir === 1
          ? this.st.idxAsc.all(coll, index, at.key, at.id, upper, page)
          : this.st.idxDesc.all(coll, index, lower, at.key, at.id, page)
      ) as { key: string; id: string }[];
      yield* rows;
      if (rows.length < page) return;
      at = rows[rows.length - 1]!;
    }
  }

  /**
   * The documents of `range`'s entries, in its order, read with their entries a page at a time (not
   * one lookup each); each is parsed only when the caller takes it, so a read that stops early parses no more.
   */
  *rangeDocs(coll: string, index: string, lower: string, upper: string, dir: 1 | -1, afterId = ''): Generator<Doc> {
    const page = 256;
    let at = dir === 1 ? { key: lower, id: afterId } : { key: upper, id: '' };
    for (;;) {
      const rows = (
        dir === 1
          ? this.st.idxAscDocs.all(coll, index, at.key, at.id, upper, page)
          : this.st.idxDescDocs.all(coll, index, lower, at.key, at.id, page)
      ) as { key: string; id: string; body: string }[];
      for (const row of rows) yield parseStored(row.body);
      if (rows.length < page) return;
      at = rows[rows.length - 1]!;
    }
  }

  /** How many entries hold one of these keys. */
  countKeys(coll: string, index: string, keys: string[]): number {
    return (
      this.statement(
        `SELECT COUNT(*) AS n FROM idx WHERE coll = ? AND name = ? AND key IN (${keys.map(() => '?').join(', ')})`,
      ).get(coll, index, ...keys) as { n: number }
    ).n;
  }

  /**
   * The documents holding one of its keys in every index of `sets` (driven by the first, the others
   * point lookups by id, all inside SQLite): their number, or their ids.
   */
  intersect(coll: string, sets: { index: string; keys: string[] }[], want: 'count' | 'ids'): number | string[] {
    const [first, ...rest] = sets;
    if (!first) throw new Error('intersect needs a set');
    const inList = (n: number) => `(${Array.from({ length: n }, () => '?').join(', ')})`;
    const exists = rest
      .map(
        (r, i) =>
          ` AND EXISTS (SELECT 1 FROM idx b${i} WHERE b${i}.coll = ? AND b${i}.name = ? AND b${i}.key IN ${inList(r.keys.length)} AND b${i}.id = a.id)`,
      )
      .join('');
    // one key per driver: each id once; several: an array holding two of them lists the id twice
    const id = first.keys.length > 1 ? 'DISTINCT a.id' : 'a.id';
    const from = `FROM idx a WHERE a.coll = ? AND a.name = ? AND a.key IN ${inList(first.keys.length)}${exists}`;
    const params = [coll, first.index, ...first.keys, ...rest.flatMap((r) => [coll, r.index, ...r.keys])];
    if (want === 'count') return (this.statement(`SELECT COUNT(${id}) AS n ${from}`).get(...params) as { n: number }).n;
    return this.statement(`SELECT ${id} AS id ${from}`)
      .pluck()
      .all(...params) as string[];
  }

  private readonly statements = new Map<string, Database.Statement>();

  /** A prepared statement by its text, kept (queries of one shape share it). */
  private statement(text: string): Database.Statement {
    let st = this.statements.get(text);
    if (!st) {
      if (this.statements.size > 500) this.statements.clear();
      this.statements.set(text, (st = this.sql.prepare(text)));
    }
    return st;
  }

  /**
   * The collection's scalar table and the column of each single-field index that never held an
   * array (so each document has one key in it at most), for `filterSql`.
   */
  scalarsOf(coll: string): { table: string; column(index: string): string | null } | null {
    const table = this.scalars.tableOf(coll);
    if (!table) return null;
    const usable = new Set(
      this.specsOf(coll)
        .filter((s) => s.fields.length === 1 && !s.multikey)
        .map((s) => s.name),
    );
    return { table, column: (index) => (usable.has(index) ? ScalarTables.column(index) : null) };
  }

  /** How many documents the collection holds, as a plan's estimate (counted once, then kept by the writes). */
  approxCount(coll: string): number {
    return this.scalars.rows(coll, () => this.count(coll));
  }

  /** How many documents a filter's SQL selects (`filterSql`). */
  countFiltered(f: FilterSql): number {
    const what = f.distinct ? 'COUNT(DISTINCT a.id)' : 'COUNT(*)';
    return (this.statement(`SELECT ${what} AS n ${f.from}`).get(...f.params) as { n: number }).n;
  }

  /** The ids a filter's SQL selects, in id order after `afterId`, a page at a time (read lazily). */
  *filteredIds(f: FilterSql, afterId = ''): Generator<string> {
    const page = 256;
    const st = this.statement(
      `SELECT ${f.distinct ? 'DISTINCT ' : ''}a.id AS id ${f.from} AND a.id > ? ORDER BY a.id LIMIT ${page}`,
    ).pluck();
    for (let after = afterId; ;) {
      const ids = st.all(...f.params, after) as string[];
      yield* ids;
      if (ids.length < page) return;
      after = ids[ids.length - 1]!;
    }
  }

  /** How many keys lie in [lower, upper). */
  countRange(coll: string, index: string, lower: string, upper: string): number {
    return (this.st.idxCount.get(coll, index, lower, upper) as { n: number }).n;
  }

  /** Documents in _id order, starting after `afterId` (up to `upTo`); lazily, so callers can stop early. */
  *scan(coll: string, afterId = '', upTo?: { id: string; inclusive: boolean }, dir: 1 | -1 = 1): Generator<StoredDoc> {
    const rows =
      dir === -1 && !upTo
        ? this.st.scanDown.iterate(coll, afterId)
        : upTo
          ? (upTo.inclusive ? this.st.scanTo : this.st.scanBefore).iterate(coll, afterId, upTo.id)
          : this.st.scan.iterate(coll, afterId);
    for (const row of rows as Iterable<{ id: string; seq: number; body: string }>) {
      yield { id: row.id, seq: row.seq, doc: parseStored(row.body) };
    }
  }

  /** `scan`'s documents as stored text, not parsed. */
  *scanText(coll: string, afterId: string, upTo?: { id: string; inclusive: boolean }): Generator<string> {
    const st = upTo ? (upTo.inclusive ? this.st.scanTo : this.st.scanBefore) : this.st.scan;
    const rows = upTo ? st.iterate(coll, afterId, upTo.id) : st.iterate(coll, afterId);
    for (const row of rows as Iterable<{ body: string }>) yield row.body;
  }

  /** `rangeDocs`' documents as stored text, not parsed (ascending). */
  *rangeText(coll: string, index: string, lower: string, upper: string): Generator<string> {
    const page = 256;
    let at = { key: lower, id: '' };
    for (;;) {
      const rows = this.st.idxAscDocs.all(coll, index, at.key, at.id, upper, page) as {
        key: string;
        id: string;
        body: string;
      }[];
      for (const row of rows) yield row.body;
      if (rows.length < page) return;
      at = rows[rows.length - 1]!;
    }
  }

  /** Documents in insertion order (a query without orderBy reads them so). */
  *scanInserted(coll: string): Generator<StoredDoc> {
    for (const row of this.st.scanBorn.iterate(coll) as Iterable<{ id: string; seq: number; body: string }>) {
      yield { id: row.id, seq: row.seq, doc: parseStored(row.body) };
    }
  }

  /** The ids of these documents in insertion order (missing ones left out). */
  inInsertionOrder(coll: string, ids: string[]): string[] {
    return this.st.byBorn.pluck().all(JSON.stringify([...new Set(ids)]), coll) as string[];
  }

  /** Applies writes atomically: all of them, with index maintenance and unique checks, or none. */
  apply(writes: Write[]): void {
    if (writes.length === 0) return;
    // one plain write is atomic on its own; anything more runs in one SQLite transaction
    if (writes.length === 1 && this.specsOf(writes[0]!.coll).length === 0) this.applyOne(writes[0]!);
    else this.applyAll(writes);
  }

  private applyOne(w: Write): void {
    this.createCollection(w.coll);
    const body = w.doc ? (w.body ?? this.encode(w.doc)) : '';
    const specs = this.specsOf(w.coll);
    const before = !specs.length
      ? undefined
      : w.before !== undefined
        ? w.before
          ? { doc: w.before }
          : undefined
        : this.get(w.coll, w.id);
    const kept = (spec: IndexSpec) =>
      w.touched !== undefined && before && w.doc && !spec.fields.some((f) => w.touched!.includes(f.split('.')[0]!));
    const scalars: [string, string][] = [];
    for (const spec of specs) {
      if (kept(spec)) continue;
      const old = before ? indexKeys(spec, before.doc) : NO_KEYS;
      const oldKeys = old.keys;
      const next = w.doc ? indexKeys(spec, w.doc) : NO_KEYS;
      const newKeys = next.keys;
      if (spec.fields.length === 1 && (!before || scalarKey(old) !== scalarKey(next)))
        scalars.push([spec.name, scalarKey(next)]);
      if (next.multikey && !spec.multikey) this.markMultikey(w.coll, spec);
      for (const k of oldKeys) if (!newKeys.includes(k)) this.st.idxDel.run(w.coll, spec.name, k, w.id);
      for (const k of newKeys) {
        if (oldKeys.includes(k)) continue; // already there
        if (spec.unique && this.st.idxOther.get(w.coll, spec.name, k, w.id)) throw duplicateKey(w.coll, spec.name, k);
        this.st.idxAdd.run(w.coll, spec.name, k, w.id);
      }
    }
    ++this.seq;
    if (w.doc) this.st.put.run(w.coll, w.id, this.seq, body, this.seq);
    else this.st.del.run(w.coll, w.id);
    if (!w.doc) this.scalars.remove(w.coll, w.id);
    else this.scalars.put(w.coll, w.id, scalars, !before);
  }

  /**
   * Inserts documents whose ids are new (a seed of many): one transaction, their index entries written
   * in key order so each page of the index is visited once, unique indexes still checked.
   */
  load(coll: string, docs: Doc[]): void {
    this.createCollection(coll);
    this.sql.pragma('cache_size = -524288'); // 512 MB of pages while the entries go in
    this.sql.transaction(() => {
      const specs = this.specsOf(coll);
      const entries: string[][] = [];
      for (const doc of docs) {
        const id = String(doc._id);
        const scalars: [string, string][] = [];
        for (const spec of specs) {
          const k = indexKeys(spec, doc);
          if (k.multikey && !spec.multikey) this.markMultikey(coll, spec);
          for (const key of k.keys) entries.push([spec.name, key, id]);
          if (spec.fields.length === 1) scalars.push([spec.name, scalarKey(k)]);
        }
        ++this.seq;
        this.st.put.run(coll, id, this.seq, this.encode(doc), this.seq);
        this.scalars.put(coll, id, scalars, true);
      }
      const unique = new Set(specs.filter((s) => s.unique).map((s) => s.name));
      entries.sort((a, b) => (a[0]! < b[0]! ? -1 : a[0]! > b[0]! ? 1 : a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0));
      entries.forEach(([name, key, id], i) => {
        const prev = entries[i - 1];
        const taken = prev && prev[0] === name && prev[1] === key;
        if (unique.has(name!) && (taken || this.st.idxOther.get(coll, name, key, id)))
          throw duplicateKey(coll, name!, key!);
        this.st.idxAdd.run(coll, name, key, id);
      });
    })();
  }

  /** Once set, kept (an index that ever held an array may hold one again); saved with the write that set it. */
  private markMultikey(coll: string, spec: IndexSpec): void {
    spec.multikey = true;
    this.st.saveSpec.run(coll, spec.name, JSON.stringify(spec));
  }
}
