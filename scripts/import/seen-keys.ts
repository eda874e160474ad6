import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The identity keys a dry run has met so far, each with the first line that named it, kept in a
 * temporary SQLite file rather than in memory: the import's memory stays the same whatever the
 * size of the file. Removed by `close`.
 */
export class SeenKeys {
  private readonly dir = mkdtempSync(join(tmpdir(), 'import-seen-'));
  private readonly db = new Database(join(this.dir, 'seen.sqlite'));
  private readonly find;
  private readonly add;

  constructor() {
    this.db.pragma('journal_mode = OFF');
    this.db.pragma('synchronous = OFF');
    // better-sqlite3's default page cache is 16 MB: filled as the keys grow, it was most of the dry run's memory
    // growth from 20,000 rows to 200,000; lookups past 2 MB go to the file (the OS's cache, not this process)
    this.db.pragma('cache_size = -2000');
    this.db.exec('CREATE TABLE seen (key TEXT PRIMARY KEY, line INTEGER NOT NULL) WITHOUT ROWID');
    this.find = this.db.prepare<[string], { line: number }>('SELECT line FROM seen WHERE key = ?');
    this.add = this.db.prepare<[string, number]>('INSERT OR IGNORE INTO seen (key, line) VALUES (?, ?)');
  }

  /** The earlier lines that named any of `keys`; the keys not met before are kept under `line`. */
  meet(keys: string[], line: number): Set<number> {
    const earlier = new Set<number>();
    for (const k of keys) {
      const hit = this.find.get(k);
      if (hit) earlier.add(hit.line);
      else this.add.run(k, line);
    }
    return earlier;
  }

  /** Runs `work` (several `meet`s) in one SQLite transaction: one write to the file instead of one per key. */
  together<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  close(): void {
    this.db.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
