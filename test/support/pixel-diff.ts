import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

interface Png {
  width: number;
  height: number;
  data: Buffer;
}
// pngjs and pixelmatch 4 ship no types: the parts used here
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS packages without bundled typings
const { PNG } = require('pngjs') as {
  PNG: { new (size: { width: number; height: number }): Png; sync: { read(b: Buffer): Png; write(png: Png): Buffer } };
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- CommonJS packages without bundled typings
const pixelmatch = require('pixelmatch') as (
  a: Buffer,
  b: Buffer,
  diff: Buffer,
  width: number,
  height: number,
  options?: { threshold?: number; includeAA?: boolean },
) => number;

/** Committed screenshots the visual test compares with (`UPDATE_REFERENCES=1` rewrites them). */
export const REFERENCE_DIR = join(__dirname, '..', 'e2e', 'miniprogram', 'reference');

export interface Comparison {
  name: string;
  /** Pixels that differ beyond the colour threshold, and their share of the picture. */
  changed: number;
  ratio: number;
  /** The diff image (changed pixels in red over a faded reference), when anything changed. */
  diffPath?: string;
  /** True when this run wrote the reference instead of comparing. */
  updated: boolean;
}

/**
 * Compares a screenshot with its committed reference; `threshold` is pixelmatch's colour distance
 * (0–1) under which two pixels count as the same. A picture of another size counts as all changed.
 */
export function compareWithReference(name: string, shot: Buffer, outDir: string, threshold = 0.1): Comparison {
  const referencePath = join(REFERENCE_DIR, `${name}.png`);
  if (process.env.UPDATE_REFERENCES === '1') {
    mkdirSync(dirname(referencePath), { recursive: true });
    writeFileSync(referencePath, shot);
    return { name, changed: 0, ratio: 0, updated: true };
  }
  if (!existsSync(referencePath))
    throw new Error(`no reference ${referencePath}: run with UPDATE_REFERENCES=1 to write it`);
  const reference = PNG.sync.read(readFileSync(referencePath));
  const actual = PNG.sync.read(shot);
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, `${name}.png`), shot);
  if (reference.width !== actual.width || reference.height !== actual.height) {
    return { name, changed: actual.width * actual.height, ratio: 1, updated: false };
  }
  const diff = new PNG({ width: actual.width, height: actual.height });
  const changed = pixelmatch(reference.data, actual.data, diff.data, actual.width, actual.height, { threshold });
  const comparison: Comparison = { name, changed, ratio: changed / (actual.width * actual.height), updated: false };
  if (changed > 0) {
    comparison.diffPath = join(outDir, `${name}-diff.png`);
    writeFileSync(comparison.diffPath, PNG.sync.write(diff));
  }
  return comparison;
}
