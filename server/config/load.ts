import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseBrandConfig, type BrandConfig } from '../../core/config/brand';
import { DomainError, ErrorCodes } from '../../core/errors';
import demoBrand from '../../config/brand.demo.json';

/**
 * Where the brand configuration comes from, first found wins:
 *  1. the file named by `BRAND_CONFIG`;
 *  2. `brand.json` beside the running bundle (deploy packs it into each function);
 *  3. `config/brand.json` under the working directory (local runs, scripts);
 *  4. outside production only, the demo brand (Taste of Su) compiled in.
 * Secrets are read from the environment only: each order-sync source names its variable.
 */
export interface LoadedBrandConfig {
  config: BrandConfig;
  /** The file it came from, or 'demo'. */
  source: string;
  /** Order-sync secrets by source name; a source whose variable is unset is absent. */
  orderSyncSecrets: Readonly<Record<string, string>>;
  /** During a rotation, the old secret from `<secretEnv>_PREVIOUS`, still accepted. */
  previousOrderSyncSecrets: Readonly<Record<string, string>>;
}

/** The variable holding the secret being rotated out. */
export const previousSecretEnv = (secretEnv: string): string => `${secretEnv}_PREVIOUS`;

export interface LoadOptions {
  env?: Readonly<Record<string, string | undefined>>;
  cwd?: string;
  /** Folder of the running bundle; `brand.json` there is what deploy shipped. */
  bundleDir?: string;
}

export const BRAND_CONFIG_FILE = 'brand.json';

export function brandConfigCandidates(opts: LoadOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  if (env.BRAND_CONFIG) return [resolve(cwd, env.BRAND_CONFIG)];
  return [join(opts.bundleDir ?? __dirname, BRAND_CONFIG_FILE), join(cwd, 'config', BRAND_CONFIG_FILE)];
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new DomainError(ErrorCodes.BRAND_CONFIG_INVALID, `${path}: not valid JSON (${(e as Error).message})`);
  }
}

/** Reads and validates the brand configuration now; throws BRAND_CONFIG_INVALID / BRAND_CONFIG_MISSING naming the problem. */
export function readBrandConfig(opts: LoadOptions = {}): LoadedBrandConfig {
  const env = opts.env ?? process.env;
  const candidates = brandConfigCandidates(opts);
  const path = candidates.find((p) => existsSync(p));
  let config: BrandConfig;
  let source: string;
  if (path) {
    config = parseBrandConfig(readJson(path), path);
    source = path;
  } else if (env.BRAND_CONFIG) {
    throw new DomainError(
      ErrorCodes.BRAND_CONFIG_MISSING,
      `BRAND_CONFIG points to ${candidates[0]}, which does not exist`,
    );
  } else if (env.NODE_ENV === 'production') {
    throw new DomainError(
      ErrorCodes.BRAND_CONFIG_MISSING,
      `no brand configuration: looked for ${candidates.join(', ')} (copy config/brand.example.json to config/brand.json)`,
    );
  } else {
    config = parseBrandConfig(demoBrand, 'demo brand config/brand.demo.json');
    source = 'demo';
  }
  const orderSyncSecrets: Record<string, string> = {};
  const previousOrderSyncSecrets: Record<string, string> = {};
  for (const s of config.orderSync.sources) {
    const value = env[s.secretEnv];
    const previous = env[previousSecretEnv(s.secretEnv)];
    if (value) orderSyncSecrets[s.name] = value;
    if (previous) previousOrderSyncSecrets[s.name] = previous;
  }
  return { config, source, orderSyncSecrets, previousOrderSyncSecrets };
}

let cached: LoadedBrandConfig | undefined;

/** The brand configuration of this process, read once. */
export function loadBrandConfig(): LoadedBrandConfig {
  cached ??= readBrandConfig();
  return cached;
}

export function resetBrandConfigCache(): void {
  cached = undefined;
}

/** Every order-sync source whose secret variable is unset, as `orderSync.sources.<i>.secretEnv: …` lines. */
export function missingOrderSyncSecrets(loaded: LoadedBrandConfig): string[] {
  return loaded.config.orderSync.sources.flatMap((s, i) =>
    loaded.orderSyncSecrets[s.name]
      ? []
      : [
          `orderSync.sources.${i}.secretEnv: environment variable ${s.secretEnv} is not set (secret of source "${s.name}")`,
        ],
  );
}

/** Call at the start of a function that verifies signed order syncs: fails naming every missing secret. */
export function requireOrderSyncSecrets(loaded: LoadedBrandConfig): void {
  const missing = missingOrderSyncSecrets(loaded);
  if (missing.length)
    throw new DomainError(
      ErrorCodes.ORDER_SYNC_SECRET_MISSING,
      `order sync is not configured:\n  ${missing.join('\n  ')}`,
      { missing },
    );
}
