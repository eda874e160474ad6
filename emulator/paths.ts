import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the emulator's own files are. From source this is `emulator/`; in the bundle that
 * `npm run build` writes, every module shares the bundle's folder, where the build copies them.
 * Scripts bundled on the fly (scripts/run-ts.js) run from a cache folder: they fall back to the
 * source tree under the working directory.
 */
const candidates = [__dirname, join(process.cwd(), 'emulator')];
export const EMULATOR_DIR =
  candidates.find((d) => existsSync(join(d, 'function-worker.js')) || existsSync(join(d, 'functions', 'worker.ts'))) ??
  __dirname;
export const CONSOLE_DIR = join(EMULATOR_DIR, 'console');
export const BUNDLED_WORKER = join(EMULATOR_DIR, 'function-worker.js');
export const WORKER_SOURCE = join(EMULATOR_DIR, 'functions', 'worker.ts');
export const isBundled = (): boolean => existsSync(BUNDLED_WORKER);
