/**
 * Jest transform: TypeScript to CommonJS with esbuild (the same compiler the build uses).
 * esbuild's platform binary is the one native dependency whose every platform package the
 * registry carries, so `npm ci` works on any machine.
 */
const { transformSync } = require('esbuild');
const { createHash } = require('node:crypto');
const { readFileSync } = require('node:fs');

const SELF = createHash('sha1').update(readFileSync(__filename)).digest('hex');

module.exports = {
  process(source, file) {
    const { code, map } = transformSync(source, {
      loader: file.endsWith('.ts') ? 'ts' : 'js',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'external',
      sourcefile: file,
      supported: { 'dynamic-import': false },
    });
    return { code, map };
  },
  getCacheKey(source, file) {
    return createHash('sha1').update(SELF).update(file).update('\0').update(source).digest('hex');
  },
};
