import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { INDEX_FORMAT } from '../emulator/db/indexes';

const CACHE_DIR = join(__dirname, '.cache');

/**
 * An emulator store seeded once and kept in `bench/.cache/<key>-i<index format>.sqlite` (gitignored):
 * later runs copy it into their data directory instead of seeding again. `key` names the size and
 * the seed's own format, so a changed seed or store format seeds afresh.
 */
export function seededStore(
  key: string,
  seed: (file: string) => void,
  into: string,
): { seedS: number; cached: boolean } {
  const file = join(CACHE_DIR, `${key}-i${INDEX_FORMAT}.sqlite`);
  const t = performance.now();
  const cached = existsSync(file);
  if (!cached) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${file}.partial`;
    for (const f of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(f, { force: true });
    seed(partial); // closed by `seed`, so the whole store is in the one file
    renameSync(partial, file);
  }
  const seedS = (performance.now() - t) / 1000;
  copyFileSync(file, into);
  return { seedS, cached };
}
