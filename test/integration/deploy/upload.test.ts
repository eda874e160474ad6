import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../../scripts/build-functions';
import { applyPlan } from '../../../scripts/deploy/apply';
import { prepareDeploy } from '../../../scripts/deploy/prepare';
import { FUNCTION_SECRETS } from '../../../server/http/secrets';
import { INSTALL_HINT, loadTooling } from '../../../scripts/deploy/tooling';
import { collections } from '../../../server/db/schema';

const DEMO = join(ROOT, 'config', 'brand.demo.json');
const SECRETS = {
  ORDER_SYNC_SECRET_POS: 'p',
  ORDER_SYNC_SECRET_SHOP: 's',
  ORDER_SYNC_SECRET_TMALL: 't',
  ORDER_SYNC_SECRET_JD: 'j',
};
// secrets other than sync keys, each shipped to the functions that read it
const OTHER_SECRETS = Object.fromEntries(FUNCTION_SECRETS.map((s) => [s.env, `value-of-${s.env}`]));
const otherSecretsOf = (fn: string) =>
  Object.fromEntries(FUNCTION_SECRETS.filter((s) => s.functions.includes(fn)).map((s) => [s.env, `value-of-${s.env}`]));
const notFound = (id: string) => Object.assign(new Error(`Cannot find module '${id}'`), { code: 'MODULE_NOT_FOUND' });

/** In-memory stand-ins for @cloudbase/manager-node and miniprogram-ci, shaped like the slices deploy calls. */
function fakeCloud() {
  const calls: string[] = [];
  const state = {
    collections: new Map<string, Set<string>>(),
    rules: new Map<string, string>(),
    functions: new Map<string, { env: Record<string, string>; triggers: string[] }>([
      ['member', { env: {}, triggers: ['retiredTimer'] }],
    ]),
    routes: new Map<string, string>(),
    uploads: [] as { appid: string; version: string }[],
  };
  const app = {
    database: {
      createCollectionIfNotExists: async (n: string) => {
        const IsCreated = !state.collections.has(n);
        if (IsCreated) state.collections.set(n, new Set());
        calls.push(`collection ${n}`);
        return { IsCreated };
      },
      checkIndexExists: async (c: string, i: string) => ({ Exists: state.collections.get(c)!.has(i) }),
      updateCollection: async (c: string, info: { CreateIndexes: { IndexName: string }[] }) => {
        info.CreateIndexes.forEach((ix) => state.collections.get(c)!.add(ix.IndexName));
        calls.push(`index ${c}`);
      },
    },
    functions: {
      createFunction: async ({
        func,
      }: {
        func: { name: string; envVariables: Record<string, string>; triggers: { name: string }[] };
      }) => {
        const prev = state.functions.get(func.name)?.triggers ?? [];
        state.functions.set(func.name, {
          env: func.envVariables,
          triggers: [...new Set([...prev, ...func.triggers.map((t) => t.name)])],
        });
        calls.push(`function ${func.name}`);
      },
      getFunctionDetail: async (n: string) => ({
        Triggers: state.functions.get(n)!.triggers.map((t) => ({ TriggerName: t, Type: 'timer' })),
      }),
      deleteFunctionTrigger: async (n: string, t: string) => {
        state.functions.get(n)!.triggers = state.functions.get(n)!.triggers.filter((x) => x !== t);
      },
    },
    access: {
      getAccessList: async ({ path }: { path: string }) => ({
        APISet: state.routes.has(path) ? [{ Path: path, Name: state.routes.get(path)! }] : [],
      }),
      createAccess: async ({ path, name }: { path: string; name: string }) => {
        state.routes.set(path, name);
        calls.push(`route ${path}`);
      },
      deleteAccess: async ({ path }: { path: string }) => state.routes.delete(path),
    },
    commonService: () => ({
      call: async ({ Param }: { Param: { CollectionName: string; AclTag: string } }) => {
        state.rules.set(Param.CollectionName, Param.AclTag);
      },
    }),
  };
  const modules: Record<string, unknown> = {
    '@cloudbase/manager-node': { init: () => app },
    'miniprogram-ci': {
      Project: class {
        constructor(readonly o: { appid: string }) {}
      },
      upload: async ({ project, version }: { project: { o: { appid: string } }; version: string }) => {
        state.uploads.push({ appid: project.o.appid, version });
        calls.push('miniprogram');
      },
    },
  };
  return {
    calls,
    state,
    requireModule: (id: string) =>
      modules[id] ??
      (() => {
        throw notFound(id);
      })(),
  };
}

describe('uploading with the official tooling', () => {
  let tmp: string;
  let keyPath: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'deploy-upload-'));
    keyPath = join(tmp, 'private.key');
    writeFileSync(keyPath, 'not a real key');
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  test('without miniprogram-ci and @cloudbase/manager-node a real deploy stops and says what to install', () => {
    expect(() =>
      loadTooling({
        envId: 'e',
        env: {},
        requireModule: (id) => {
          throw notFound(id);
        },
      }),
    ).toThrow(`upload tooling is not installed (@cloudbase/manager-node, miniprogram-ci): run \`${INSTALL_HINT}\``);
    expect(INSTALL_HINT).toBe('npm i -D miniprogram-ci @cloudbase/manager-node');
  });

  test('missing credentials are named before anything is uploaded', () => {
    const { requireModule } = fakeCloud();
    expect(() => loadTooling({ envId: 'e', env: { MP_UPLOAD_KEY_PATH: keyPath }, requireModule })).toThrow(
      'credentials missing: set TENCENTCLOUD_SECRETID, TENCENTCLOUD_SECRETKEY',
    );
  });

  test('a real deploy refuses to run while a route-receiving secret is unset (it would erase the console value)', () => {
    const plan = prepareDeploy({
      dryRun: false,
      brandConfigPath: DEMO,
      stageDir: tmp,
      env: {},
      routes: [{ path: '/order-sync', fn: 'member' }],
      buildMiniprogram: null,
    });
    expect(plan.problems.map((p) => `${p.check} ${p.subject}`).filter((x) => x.includes('ORDER_SYNC'))).toEqual([
      'secret ORDER_SYNC_SECRET_POS',
      'secret ORDER_SYNC_SECRET_SHOP',
      'secret ORDER_SYNC_SECRET_TMALL',
      'secret ORDER_SYNC_SECRET_JD',
    ]);
    expect(plan.problems.map((p) => p.subject)).toEqual(
      expect.arrayContaining(FUNCTION_SECRETS.filter((s) => s.functions.includes('member')).map((s) => s.env)),
    );
  });

  test('deploy sets up the database, functions (with sync secrets, old and new while rotating), routes, then the Mini Program; a second run creates nothing new', async () => {
    const cloud = fakeCloud();
    const env = {
      TENCENTCLOUD_SECRETID: 'id',
      TENCENTCLOUD_SECRETKEY: 'key',
      MP_UPLOAD_KEY_PATH: keyPath,
      ...SECRETS,
      ...OTHER_SECRETS,
      ORDER_SYNC_SECRET_POS_PREVIOUS: 'p-old',
    };
    const plan = prepareDeploy({
      dryRun: false,
      brandConfigPath: DEMO,
      stageDir: tmp,
      env,
      routes: [{ path: '/order-sync', fn: 'member' }],
    });
    expect(plan.problems).toEqual([]);
    const tooling = loadTooling({ envId: plan.brand!.cloudbaseEnvId, env, requireModule: cloud.requireModule });
    const log: string[] = [];
    await applyPlan(plan, tooling, { env, version: '1.2.3', desc: 'test', log: (l) => log.push(l) });

    const kinds = cloud.calls.map((c) => c.split(' ')[0]);
    expect(kinds.lastIndexOf('collection')).toBeLessThan(kinds.indexOf('function'));
    expect(kinds.lastIndexOf('function')).toBeLessThan(kinds.indexOf('route'));
    expect(kinds.at(-1)).toBe('miniprogram');
    for (const c of collections) {
      expect([...cloud.state.collections.get(c.name)!].sort()).toEqual(c.indexes.map((ix) => ix.name).sort());
      expect(cloud.state.rules.get(c.name)).toBe(c.clientAccess.read ? 'ADMINWRITE' : 'ADMINONLY');
    }
    expect(cloud.state.functions.get('member')!.env).toEqual({
      NODE_ENV: 'production',
      ...SECRETS,
      ...otherSecretsOf('member'),
      ORDER_SYNC_SECRET_POS_PREVIOUS: 'p-old',
    });
    expect(cloud.state.functions.get('member')!.triggers).not.toContain('retiredTimer');
    expect(cloud.state.routes.get('/order-sync')).toBe('member');
    expect(cloud.state.uploads).toEqual([{ appid: plan.brand!.miniProgramAppId, version: '1.2.3' }]);

    cloud.calls.length = 0;
    log.length = 0;
    await applyPlan(plan, tooling, { env, version: '1.2.4', desc: 'again', log: (l) => log.push(l) });
    expect(cloud.calls.filter((c) => c.startsWith('index') || c.startsWith('route'))).toEqual([]);
    const dbLines = log.filter((l) => l.startsWith('database'));
    expect(dbLines).toHaveLength(collections.length);
    expect(dbLines.every((l) => l.includes(': exists,') && !l.includes('indexes created'))).toBe(true);
  });

  test('a plan with problems is never uploaded', async () => {
    const cloud = fakeCloud();
    const plan = prepareDeploy({
      dryRun: false,
      routes: [],
      brandConfigPath: join(ROOT, 'config', 'brand.example.json'),
      stageDir: tmp,
      env: {},
      buildMiniprogram: null,
    });
    const env = { TENCENTCLOUD_SECRETID: 'id', TENCENTCLOUD_SECRETKEY: 'key', MP_UPLOAD_KEY_PATH: keyPath };
    await expect(
      applyPlan(plan, loadTooling({ envId: 'e', env, requireModule: cloud.requireModule }), {
        env,
        version: '1',
        desc: '',
      }),
    ).rejects.toThrow('refusing to upload');
    expect(cloud.calls).toEqual([]);
  });
});
