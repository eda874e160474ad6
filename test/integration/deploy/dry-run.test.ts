import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { functionConfigSchema } from '../../../emulator/functions/config';
import { readBrandConfig } from '../../../server/config/load';
import { httpRoutes } from '../../../server/db/routes';
import { collections } from '../../../server/db/schema';
import { ROOT } from '../../../scripts/build-functions';
import { formatPlan, type DeployPlan } from '../../../scripts/deploy/plan';
import { prepareDeploy } from '../../../scripts/deploy/prepare';

const DEMO = join(ROOT, 'config', 'brand.demo.json');

/** What the repository declares, read from the same sources deploy reads. */
function declared() {
  const fnDir = join(ROOT, 'cloudfunctions');
  const functions = readdirSync(fnDir)
    .filter((n) => existsSync(join(fnDir, n, 'index.ts')))
    .sort();
  const triggers = functions.flatMap((fn) => {
    const path = join(fnDir, fn, 'config.json');
    const cfg = functionConfigSchema.parse(existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : {});
    return cfg.triggers.map((t) => `${fn}/${t.name} ${t.config}`);
  });
  const indexes = collections.flatMap((c) => c.indexes.map((ix) => `${c.name}.${ix.name}(${ix.fields.join(',')})`));
  return { functions, triggers, indexes, routes: httpRoutes.map((r) => `${r.path}->${r.fn}`) };
}

describe('npm run deploy --dry-run on the real build', () => {
  let stageDir: string;
  let plan: DeployPlan;
  beforeAll(() => {
    stageDir = mkdtempSync(join(tmpdir(), 'deploy-stage-'));
    plan = prepareDeploy({ dryRun: true, brandConfigPath: DEMO, stageDir, env: {} });
  });
  afterAll(() => rmSync(stageDir, { recursive: true, force: true }));

  test('passes every platform check', () => {
    expect(plan.problems).toEqual([]);
  });

  test('plans every function, timer trigger, collection with its indexes, and HTTP route the repository declares', () => {
    const d = declared();
    expect(plan.functions.map((f) => f.name).sort()).toEqual(d.functions);
    expect(plan.triggers.map((t) => `${t.fn}/${t.name} ${t.cron}`).sort()).toEqual([...d.triggers].sort());
    expect(
      plan.database.collections
        .flatMap((c) => c.indexes.map((ix) => `${c.name}.${ix.name}(${ix.fields.join(',')})`))
        .sort(),
    ).toEqual([...d.indexes].sort());
    expect(plan.database.collections.map((c) => c.name)).toEqual(collections.map((c) => c.name));
    expect(plan.routes.map((r) => `${r.path}->${r.fn}`)).toEqual(d.routes);
    const text = formatPlan(plan);
    for (const name of [
      ...d.functions,
      ...collections.flatMap((c) => c.indexes.map((ix) => ix.name)),
      ...httpRoutes.map((r) => r.path),
    ])
      expect(text).toContain(name);
  });

  test('no collection is writable by clients: value collections are admin-only, brand set-up is client read-only', () => {
    for (const c of plan.database.collections) {
      const declaredAccess = collections.find((x) => x.name === c.name)!.clientAccess;
      expect(c.security.clientWrite).toBe(false);
      expect(c.security.aclTag).toBe(declaredAccess.read ? 'ADMINWRITE' : 'ADMINONLY');
    }
  });

  test('each function is staged with brand.json, which the server loader accepts as the shipped configuration', () => {
    for (const f of plan.functions) {
      expect(readdirSync(f.dir).sort()).toEqual(expect.arrayContaining(['brand.json', 'index.js', 'package.json']));
      expect(readdirSync(f.dir).some((n) => n.endsWith('.ts'))).toBe(false);
      const loaded = readBrandConfig({ env: { NODE_ENV: 'production' }, cwd: stageDir, bundleDir: f.dir });
      expect(loaded.source).toBe(join(f.dir, 'brand.json'));
      expect(loaded.config.cloudbase.envId).toBe(plan.brand!.cloudbaseEnvId);
      expect(f.zipBytes).toBeGreaterThan(0);
      expect(f.zipBytes).toBeLessThan(f.rawBytes);
    }
  });

  test('the Mini Program is built and measured, main package first', () => {
    expect(plan.miniprogram?.packages[0]?.name).toBe('main');
    expect(plan.miniprogram!.totalBytes).toBe(plan.miniprogram!.packages.reduce((s, p) => s + p.bytes, 0));
    expect(existsSync(join(plan.miniprogram!.dir, 'app.json'))).toBe(true);
  });

  test('secrets appear in the plan by variable name only, never by value', () => {
    const withSecret = prepareDeploy({
      dryRun: true,
      brandConfigPath: DEMO,
      stageDir,
      env: { ORDER_SYNC_SECRET_POS: 'never-print-me' },
      buildMiniprogram: null,
    });
    expect(withSecret.secrets.find((s) => s.source === 'pos')).toMatchObject({
      env: 'ORDER_SYNC_SECRET_POS',
      present: true,
    });
    expect(JSON.stringify(withSecret)).not.toContain('never-print-me');
    expect(formatPlan(withSecret)).not.toContain('never-print-me');
  });
});

describe('the deploy command line', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['scripts/run-ts.js', 'scripts/deploy.ts', ...args], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });

  test('--dry-run --json prints the plan as JSON and exits 0', () => {
    const r = run('--dry-run', '--json', '--skip-miniprogram', '--config', DEMO);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as DeployPlan;
    expect(plan.dryRun).toBe(true);
    expect(plan.functions.map((f) => f.name).sort()).toEqual(declared().functions);
  });

  test('a configuration missing a template id exits 1 naming the field, before any upload', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deploy-cli-'));
    try {
      const demo = JSON.parse(readFileSync(DEMO, 'utf8'));
      delete demo.subscriptionTemplates.paymentReminder;
      writeFileSync(join(dir, 'brand.json'), JSON.stringify(demo));
      const r = run('--skip-miniprogram', '--config', join(dir, 'brand.json'));
      expect(r.status).toBe(1);
      expect(r.stdout).toContain('subscriptionTemplates.paymentReminder: required');
      expect(r.stdout).toContain('nothing uploaded');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
