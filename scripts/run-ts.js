#!/usr/bin/env node
/**
 * Runs a TypeScript entry point: each .ts file is compiled by esbuild as Node loads it, so
 * __dirname and relative paths behave as in the source tree.
 * Usage: node scripts/run-ts.js scripts/build.ts [args…]
 */
const { transformSync } = require('esbuild');
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');

require.extensions['.ts'] = (module, filename) => {
  const { code } = transformSync(readFileSync(filename, 'utf8'), {
    loader: 'ts',
    format: 'cjs',
    target: 'node20',
    sourcefile: filename,
    sourcemap: 'inline',
  });
  module._compile(code, filename);
};
process.setSourceMapsEnabled(true);

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node scripts/run-ts.js <file.ts> [args…]');
  process.exit(2);
}
process.argv = [process.argv[0], resolve(entry), ...args];
require(resolve(entry));
