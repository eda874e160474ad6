import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { BRAND_CONFIG_FILE } from '../../server/config/load';

/**
 * What goes up for one function: the bundled `index.js`, `package.json` (the platform installs
 * wx-server-sdk from it), `config.json` (openapi permissions) and the brand configuration. Sources,
 * source maps and node_modules stay behind.
 */
export const isUploaded = (rel: string): boolean =>
  !rel.endsWith('.ts') &&
  !rel.endsWith('.map') &&
  !rel.split('/').includes('node_modules') &&
  rel !== BRAND_CONFIG_FILE;

export interface StagedFunction {
  name: string;
  dir: string;
  files: { path: string; bytes: number }[];
  rawBytes: number;
  /** Size of the zip the upload tool makes (deflate, plus zip headers). */
  zipBytes: number;
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

/** Bytes of a zip archive holding these files, deflated (local header 30 + central entry 46 + name twice, end record 22). */
export function zipSize(files: readonly { path: string; data: Buffer }[]): number {
  const entries = files.reduce((s, f) => {
    const name = Buffer.byteLength(f.path);
    const body = Math.min(deflateRawSync(f.data).length, f.data.length);
    return s + 30 + name + body + 46 + name;
  }, 0);
  return entries + 22;
}

/** Copies a built function's upload files into `outDir/<name>` with `brand.json`, and measures them. */
export function stageFunction(srcDir: string, outDir: string, name: string, brandJson: string): StagedFunction {
  const dir = join(outDir, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const file of walk(srcDir)) {
    const rel = relative(srcDir, file).split(sep).join('/');
    if (isUploaded(rel)) cpSync(file, join(dir, rel));
  }
  writeFileSync(join(dir, BRAND_CONFIG_FILE), brandJson);
  return measureFolder(dir, name);
}

export function measureFolder(dir: string, name: string): StagedFunction {
  const files = existsSync(dir)
    ? walk(dir).map((f) => ({ path: relative(dir, f).split(sep).join('/'), data: readFileSync(f) }))
    : [];
  return {
    name,
    dir,
    files: files.map((f) => ({ path: f.path, bytes: f.data.length })),
    rawBytes: files.reduce((s, f) => s + f.data.length, 0),
    zipBytes: zipSize(files),
  };
}
