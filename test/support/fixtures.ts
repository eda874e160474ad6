import { buildSync } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Builds the test-only functions under test/fixtures/functions into a folder inside node_modules/.cache,
 * where `require('wx-server-sdk')` resolves as it does for the product's functions.
 */
export function buildFixtureFunctions(): string {
  const src = join(__dirname, '..', 'fixtures', 'functions');
  const out = join(__dirname, '..', '..', 'node_modules', '.cache', `fixture-functions-${process.pid}`);
  for (const name of readdirSync(src)) {
    mkdirSync(join(out, name), { recursive: true });
    buildSync({
      entryPoints: [join(src, name, 'index.ts')],
      outfile: join(out, name, 'index.js'),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      external: ['wx-server-sdk'],
      logLevel: 'error',
    });
    copyFileSync(join(src, name, 'config.json'), join(out, name, 'config.json'));
  }
  return out;
}
