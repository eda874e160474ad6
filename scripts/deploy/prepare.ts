import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBrandConfig, type BrandConfig } from '../../core/config/brand';
import { MESSAGE_TYPES } from '../../core/config/messages';
import { functionConfigSchema } from '../../emulator/functions/config';
import { previousSecretEnv, readBrandConfig } from '../../server/config/load';
import { httpRoutes as declaredRoutes } from '../../server/db/routes';
import { collections as declaredCollections, type CollectionDeclaration } from '../../server/db/schema';
import { ROOT, buildFunctions as buildAllFunctions, type BuiltFunction } from '../build-functions';
import { stageFunction } from './bundle';
import {
  checkFunctionBundles,
  checkFunctionConfigs,
  checkIndexes,
  checkPackageSizes,
  checkRoutes,
  checkSecurityRules,
  checkTemplates,
  type PackageSize,
  type Problem,
} from './checks';
import { planDatabase } from './database';
import { FUNCTION_SECRETS } from '../../server/http/secrets';
import { databasePlan, type DeployPlan, type PlannedFunction, type PlannedSecret } from './plan';

/** The Mini Program build deploy runs: packages measured in `outDir`, plus size warnings of its own budget. */
export type MiniprogramBuilder = (outDir: string) => { packages: PackageSize[]; warnings: string[] };

/**
 * MINIPROGRAM_BUILD_HOOK: `scripts/build-miniprogram.ts` builds and measures the packages.
 * Loaded lazily so a broken Mini Program build is reported as a deploy problem, not a crash.
 */
export const buildMiniprogramForDeploy: MiniprogramBuilder = (outDir) => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the Mini Program build loads only when a deploy runs it
  const { buildMiniprogram } = require('../build-miniprogram') as typeof import('../build-miniprogram');
  const r = buildMiniprogram({ outDir });
  return { packages: [r.main, ...r.subpackages], warnings: r.problems.map((p) => `Mini Program budget: ${p}`) };
};

export interface PrepareOptions {
  dryRun: boolean;
  root?: string;
  /** Brand configuration file; otherwise BRAND_CONFIG, then config/brand.json (a dry run falls back to the demo brand). */
  brandConfigPath?: string;
  /** Where functions and the Mini Program are staged for upload; default `<root>/dist/deploy`. */
  stageDir?: string;
  env?: Readonly<Record<string, string | undefined>>;
  // Inputs, replaceable so tests can feed bad ones:
  buildFunctions?: (root: string) => BuiltFunction[];
  buildMiniprogram?: MiniprogramBuilder | null;
  collections?: readonly CollectionDeclaration[];
  routes?: readonly { path: string; fn: string }[];
  usedMessageTypes?: readonly string[];
}

function loadBrand(
  opts: PrepareOptions,
  root: string,
  warnings: string[],
): { config: BrandConfig; source: string } | { problems: string[] } {
  const env = opts.env ?? process.env;
  try {
    if (opts.brandConfigPath) {
      const r = checkBrandConfig(JSON.parse(readFileSync(opts.brandConfigPath, 'utf8')));
      return r.ok
        ? { config: r.config, source: opts.brandConfigPath }
        : { problems: r.problems.map((p) => `${opts.brandConfigPath}: ${p}`) };
    }
    // A real deploy never ships the demo brand: it reads as production does. Deploy has no bundle, so only config/ is searched.
    const loaded = readBrandConfig({
      env: { ...env, NODE_ENV: opts.dryRun ? 'development' : 'production' },
      cwd: root,
      bundleDir: join(root, 'config'),
    });
    if (loaded.source === 'demo')
      warnings.push(
        'no config/brand.json: the dry run used the demo brand (Taste of Su); a real deploy needs config/brand.json or BRAND_CONFIG',
      );
    return { config: loaded.config, source: loaded.source };
  } catch (e) {
    return { problems: [(e as Error).message] };
  }
}

/** Builds everything, checks it against the platform's limits, and returns the plan; nothing is uploaded here. */
export function prepareDeploy(opts: PrepareOptions): DeployPlan {
  const root = opts.root ?? ROOT;
  const env = opts.env ?? process.env;
  const stageDir = opts.stageDir ?? join(root, 'dist', 'deploy');
  const collections = opts.collections ?? declaredCollections;
  const routes = opts.routes ?? declaredRoutes;
  const problems: Problem[] = [];
  const warnings: string[] = [];

  const brand = loadBrand(opts, root, warnings);
  const config = 'config' in brand ? brand.config : null;
  if ('problems' in brand)
    brand.problems.forEach((m) => problems.push({ check: 'brand-config', subject: 'brand', message: m }));

  let built: BuiltFunction[] = [];
  try {
    built = (opts.buildFunctions ?? buildAllFunctions)(root);
  } catch (e) {
    problems.push({
      check: 'build',
      subject: 'functions',
      message: `building the cloud functions failed: ${(e as Error).message}`,
    });
  }
  const rawConfigs = built.map((f) => {
    const path = join(root, 'cloudfunctions', f.name, 'config.json');
    try {
      return { name: f.name, config: existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as unknown) : {} };
    } catch (e) {
      problems.push({
        check: 'function-config',
        subject: f.name,
        message: `function ${f.name}: config.json is not valid JSON (${(e as Error).message})`,
      });
      return { name: f.name, config: {} };
    }
  });
  problems.push(...checkFunctionConfigs(rawConfigs));

  const routeTargets = [...new Set(routes.map((r) => r.fn))];
  const secrets: PlannedSecret[] = (config?.orderSync.sources ?? []).map((s) => ({
    source: s.name,
    env: s.secretEnv,
    present: !!env[s.secretEnv],
    rotating: !!env[previousSecretEnv(s.secretEnv)],
    functions: routeTargets,
  }));
  // Deploy sets a function's environment variables as a whole: a secret missing here would erase the one in the console.
  for (const s of secrets.filter((x) => !x.present)) {
    const message = `${s.env} (secret of order-sync source ${s.source}) is not set in this shell; export it before deploying`;
    if (!opts.dryRun && s.functions.length) problems.push({ check: 'secret', subject: s.env, message });
    else
      warnings.push(
        s.functions.length
          ? `${message} (a real deploy refuses without it)`
          : `${message} (no HTTP route receives it yet)`,
      );
  }

  const builtNames = built.map((f) => f.name);
  for (const fs of FUNCTION_SECRETS) {
    const targets = fs.functions.filter((f) => builtNames.includes(f));
    if (targets.length === 0 || env[fs.env]) continue;
    const message = `${fs.env} (${fs.purpose}) is not set in this shell; export it before deploying`;
    if (!opts.dryRun) problems.push({ check: 'secret', subject: fs.env, message });
    else warnings.push(`${message} (a real deploy refuses without it)`);
  }

  const brandJson = config ? JSON.stringify(config, null, 2) : '{}';
  const functions: PlannedFunction[] = rawConfigs.map(({ name, config: raw }) => {
    const parsed = functionConfigSchema.safeParse(raw);
    const fc = parsed.success ? parsed.data : functionConfigSchema.parse({});
    const staged = stageFunction(join(root, 'cloudfunctions', name), join(stageDir, 'functions'), name, brandJson);
    const secretNames = [
      ...(routeTargets.includes(name)
        ? secrets.flatMap((s) => (s.rotating ? [s.env, previousSecretEnv(s.env)] : [s.env]))
        : []),
      ...FUNCTION_SECRETS.filter((fs) => fs.functions.includes(name)).map((fs) => fs.env),
    ];
    return {
      name,
      timeout: fc.timeout,
      ...(fc.memorySize ? { memorySize: fc.memorySize } : {}),
      triggers: fc.triggers.map((t) => ({ fn: name, name: t.name, type: t.type, cron: t.config })),
      openapi: fc.permissions?.openapi ?? [],
      configEnv: fc.envVariables,
      envVariableNames: [...new Set([...Object.keys(fc.envVariables), 'NODE_ENV', ...secretNames])].sort(),
      rawBytes: staged.rawBytes,
      zipBytes: staged.zipBytes,
      dir: staged.dir,
    };
  });
  problems.push(...checkFunctionBundles(functions));
  problems.push(...checkIndexes(collections), ...checkSecurityRules(collections));
  problems.push(
    ...checkRoutes(
      routes,
      built.map((f) => f.name),
    ),
  );
  if (config) problems.push(...checkTemplates(opts.usedMessageTypes ?? MESSAGE_TYPES, config.subscriptionTemplates));

  let miniprogram: DeployPlan['miniprogram'] = null;
  const buildMp = opts.buildMiniprogram === undefined ? buildMiniprogramForDeploy : opts.buildMiniprogram;
  if (buildMp) {
    const dir = join(stageDir, 'miniprogram');
    try {
      const mp = buildMp(dir);
      warnings.push(...mp.warnings);
      problems.push(...checkPackageSizes(mp.packages));
      miniprogram = {
        dir,
        packages: mp.packages,
        totalBytes: mp.packages.reduce((s, p) => s + p.bytes, 0),
        uploadKeyEnv: 'MP_UPLOAD_KEY_PATH',
      };
    } catch (e) {
      problems.push({
        check: 'build',
        subject: 'miniprogram',
        message: `building the Mini Program failed: ${(e as Error).message}`,
      });
    }
  }

  return {
    dryRun: opts.dryRun,
    brand:
      config && 'source' in brand
        ? {
            name: config.name,
            source: brand.source,
            cloudbaseEnvId: config.cloudbase.envId,
            miniProgramAppId: config.miniProgram.appId,
            officialAccountAppId: config.officialAccount?.appId ?? null,
            timeZone: config.timeZone,
          }
        : null,
    functions,
    triggers: functions.flatMap((f) => f.triggers),
    routes: routes.map((r) => ({ path: r.path, fn: r.fn })),
    database: databasePlan(planDatabase(collections)),
    miniprogram,
    secrets,
    warnings,
    problems,
  };
}
