import { buildSync } from 'esbuild';
import { cpSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildFunctions } from './build-functions';
import { buildMiniprogram } from './build-miniprogram';

/**
 * `npm run build`: the cloud functions, the emulator bundle that `npm start` runs, and the Mini
 * Program as deploy stages it (dist/deploy/miniprogram), which WeChat's compilers must accept.
 */
function buildEmulator(): void {
  const out = join(ROOT, 'dist', 'emulator');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'error',
  } as const;
  buildSync({
    ...common,
    entryPoints: [join(ROOT, 'emulator', 'functions', 'worker.ts')],
    outfile: join(out, 'function-worker.js'),
  });
  buildSync({ ...common, entryPoints: [join(ROOT, 'scripts', 'start.ts')], outfile: join(out, 'start.js') });
  cpSync(join(ROOT, 'emulator', 'console'), join(out, 'console'), { recursive: true });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const fns = buildFunctions();
for (const f of fns) console.log(`function ${f.name.padEnd(16)} ${kb(f.bytes)}`);
buildEmulator();
console.log('emulator  dist/emulator/start.js');
const mp = buildMiniprogram({ outDir: join(ROOT, 'dist', 'deploy', 'miniprogram') });
const { wxml, wxss } = mp.compiled;
console.log(`mini program  dist/deploy/miniprogram: ${wxml} templates, ${wxss} stylesheets compiled`);
mp.problems.forEach((p) => console.error(`error: ${p}`));
if (mp.problems.length > 0) process.exitCode = 1;
