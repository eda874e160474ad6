import { existsSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createIndexesPayload, type PlannedCollection } from './database';
import type { PlannedFunction } from './plan';

/**
 * The upload side of deploy, behind a small interface. The official packages (`@cloudbase/manager-node`,
 * `miniprogram-ci`) are not dependencies of the project: they are loaded only for a real upload.
 */
export interface DeployTooling {
  ensureCollection(name: string): Promise<'created' | 'exists'>;
  /** Creates the indexes whose names are missing; returns their names. */
  ensureIndexes(c: PlannedCollection): Promise<string[]>;
  setSecurityRule(c: PlannedCollection): Promise<void>;
  /** Creates or updates code, config and timer triggers; deletes timer triggers no longer declared. */
  deployFunction(fn: PlannedFunction, envVariables: Record<string, string>): Promise<void>;
  ensureRoute(route: { path: string; fn: string }): Promise<'created' | 'exists' | 'replaced'>;
  uploadMiniprogram(input: { dir: string; appId: string; version: string; desc: string }): Promise<void>;
}

export const INSTALL_HINT = 'npm i -D miniprogram-ci @cloudbase/manager-node';

export class DeployToolingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployToolingError';
  }
}

/** Node functions run on this runtime; the build targets node16. */
export const FUNCTION_RUNTIME = 'Nodejs16.13';

// The slices of the two packages' APIs that deploy uses.
interface ManagerApp {
  database: {
    createCollectionIfNotExists(name: string): Promise<{ IsCreated: boolean }>;
    checkIndexExists(coll: string, index: string): Promise<{ Exists: boolean }>;
    updateCollection(coll: string, info: ReturnType<typeof createIndexesPayload>): Promise<unknown>;
  };
  functions: {
    createFunction(p: { func: Record<string, unknown>; functionRootPath: string; force: boolean }): Promise<unknown>;
    getFunctionDetail(name: string): Promise<{ Triggers?: { TriggerName: string; Type: string }[] }>;
    deleteFunctionTrigger(name: string, trigger: string): Promise<unknown>;
  };
  access: {
    getAccessList(o: { path?: string }): Promise<{ APISet?: { Path: string; Name: string }[] }>;
    createAccess(o: { path: string; name: string; type: 1 }): Promise<unknown>;
    deleteAccess(o: { path: string }): Promise<unknown>;
  };
  commonService(service: string): { call(o: { Action: string; Param: Record<string, unknown> }): Promise<unknown> };
}
interface ManagerModule {
  init(o: { secretId: string; secretKey: string; token?: string; envId: string }): ManagerApp;
}
interface MiniprogramCi {
  Project: new (o: {
    appid: string;
    type: 'miniProgram';
    projectPath: string;
    privateKeyPath: string;
    ignores: string[];
  }) => unknown;
  upload(o: {
    project: unknown;
    version: string;
    desc: string;
    setting: Record<string, boolean>;
    robot: number;
  }): Promise<unknown>;
}

export interface LoadToolingOptions {
  envId: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Replaceable so tests can simulate installed or missing packages. */
  requireModule?: (id: string) => unknown;
}

function tryRequire(requireModule: (id: string) => unknown, id: string, missing: string[]): unknown {
  try {
    return requireModule(id);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw e;
    missing.push(id);
    return undefined;
  }
}

/** Loads the official tooling and credentials; fails telling the operator exactly what to install or set. */
export function loadTooling(opts: LoadToolingOptions): DeployTooling {
  const env = opts.env ?? process.env;
  const requireModule = opts.requireModule ?? require;
  const missing: string[] = [];
  const managerMod = tryRequire(requireModule, '@cloudbase/manager-node', missing) as
    (ManagerModule & { default?: ManagerModule }) | undefined;
  const ci = tryRequire(requireModule, 'miniprogram-ci', missing) as MiniprogramCi | undefined;
  if (missing.length || !managerMod || !ci) {
    throw new DeployToolingError(
      `upload tooling is not installed (${missing.join(', ')}): run \`${INSTALL_HINT}\`, or use \`npm run deploy -- --dry-run\` to check without uploading`,
    );
  }
  const unset = ['TENCENTCLOUD_SECRETID', 'TENCENTCLOUD_SECRETKEY', 'MP_UPLOAD_KEY_PATH'].filter((k) => !env[k]);
  if (unset.length)
    throw new DeployToolingError(`credentials missing: set ${unset.join(', ')} (see scripts/deploy/README-go-live.md)`);
  const keyPath = env.MP_UPLOAD_KEY_PATH as string;
  if (!existsSync(keyPath))
    throw new DeployToolingError(`MP_UPLOAD_KEY_PATH points to ${keyPath}, which does not exist`);

  const manager = managerMod.default ?? managerMod;
  const app = manager.init({
    secretId: env.TENCENTCLOUD_SECRETID as string,
    secretKey: env.TENCENTCLOUD_SECRETKEY as string,
    ...(env.TENCENTCLOUD_SESSIONTOKEN ? { token: env.TENCENTCLOUD_SESSIONTOKEN } : {}),
    envId: opts.envId,
  });

  return {
    async ensureCollection(name) {
      return (await app.database.createCollectionIfNotExists(name)).IsCreated ? 'created' : 'exists';
    },
    async ensureIndexes(c) {
      const created: string[] = [];
      for (const ix of c.indexes) {
        if ((await app.database.checkIndexExists(c.name, ix.name)).Exists) continue;
        await app.database.updateCollection(c.name, createIndexesPayload([ix]));
        created.push(ix.name);
      }
      return created;
    },
    async setSecurityRule(c) {
      const rule = c.security.rule ? { Rule: JSON.stringify(c.security.rule) } : {};
      await app.commonService('tcb').call({
        Action: 'ModifySafeRule',
        Param: { EnvId: opts.envId, CollectionName: c.name, AclTag: c.security.aclTag, ...rule },
      });
    },
    async deployFunction(fn, envVariables) {
      const triggers = fn.triggers.map((t) => ({ name: t.name, type: t.type, config: t.cron }));
      await app.functions.createFunction({
        func: {
          name: fn.name,
          timeout: fn.timeout,
          envVariables,
          runtime: FUNCTION_RUNTIME,
          installDependency: true,
          triggers,
          ...(fn.memorySize ? { memorySize: fn.memorySize } : {}),
        },
        functionRootPath: dirname(fn.dir),
        force: true,
      });
      const remote = (await app.functions.getFunctionDetail(fn.name)).Triggers ?? [];
      for (const t of remote) {
        if (t.Type === 'timer' && !fn.triggers.some((d) => d.name === t.TriggerName))
          await app.functions.deleteFunctionTrigger(fn.name, t.TriggerName);
      }
    },
    async ensureRoute(route) {
      const existing = (await app.access.getAccessList({ path: route.path })).APISet?.find(
        (a) => a.Path === route.path,
      );
      if (existing?.Name === route.fn) return 'exists';
      if (existing) await app.access.deleteAccess({ path: route.path });
      await app.access.createAccess({ path: route.path, name: route.fn, type: 1 });
      return existing ? 'replaced' : 'created';
    },
    async uploadMiniprogram({ dir, appId, version, desc }) {
      // The built folder is the project: miniprogram-ci reads its project.config.json.
      writeFileSync(
        join(dir, 'project.config.json'),
        JSON.stringify(
          { appid: appId, compileType: 'miniprogram', miniprogramRoot: './', setting: { es6: true, minified: true } },
          null,
          2,
        ),
      );
      const project = new ci.Project({
        appid: appId,
        type: 'miniProgram',
        projectPath: dir,
        privateKeyPath: keyPath,
        ignores: ['node_modules/**/*'],
      });
      await ci.upload({ project, version, desc, setting: { es6: true, minify: true }, robot: 1 });
    },
  };
}
