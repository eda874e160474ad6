import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMiniprogram, type BuildResult } from '../../../scripts/build-miniprogram';

let built: BuildResult | undefined;

/** The Mini Program built once per test file into a temporary directory: tests run what ships. */
export function builtApp(): BuildResult {
  built ??= buildMiniprogram({ outDir: join(mkdtempSync(join(tmpdir(), 'mp-build-')), 'miniprogram') });
  return built;
}

/** A built module (CommonJS) of the app, e.g. `appModule<Session>('services/session')`. */
export function appModule<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads a file chosen at run time by path
  return require(join(builtApp().outDir, `${path}.js`)) as T;
}
