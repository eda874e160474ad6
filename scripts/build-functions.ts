import { buildSync } from 'esbuild';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..');
export const FUNCTIONS_DIR = join(ROOT, 'cloudfunctions');

export interface BuiltFunction {
  name: string;
  file: string;
  bytes: number;
}

/** Bundles each `cloudfunctions/<fn>/index.ts` into the `index.js` CloudBase runs; wx-server-sdk stays external (installed by the platform). */
export function buildFunctions(root = ROOT): BuiltFunction[] {
  const dir = join(root, 'cloudfunctions');
  const names = readdirSync(dir).filter((n) => existsSync(join(dir, n, 'index.ts')));
  return names.map((name) => {
    const file = join(dir, name, 'index.js');
    buildSync({
      entryPoints: [join(dir, name, 'index.ts')],
      outfile: file,
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      external: ['wx-server-sdk'],
      minify: !process.env.FUNCTIONS_NO_MINIFY,
      legalComments: 'none',
      logLevel: 'error',
    });
    return { name, file, bytes: statSync(file).size };
  });
}
