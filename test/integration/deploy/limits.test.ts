import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MESSAGE_TYPES } from '../../../core/config/messages';
import { ROOT } from '../../../scripts/build-functions';
import { measurePackages } from '../../../scripts/build-miniprogram';
import { measureFolder, zipSize } from '../../../scripts/deploy/bundle';
import * as checks from '../../../scripts/deploy/checks';
import { MB } from '../../../scripts/deploy/limits';
import { prepareDeploy } from '../../../scripts/deploy/prepare';
import type { CollectionDeclaration } from '../../../server/db/schema';

const DEMO = join(ROOT, 'config', 'brand.demo.json');
let tmp: string;
beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'deploy-limits-'));
});
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

const write = (rel: string, content: string | Buffer): void => {
  mkdirSync(join(tmp, rel, '..'), { recursive: true });
  writeFileSync(join(tmp, rel), content);
};

/** A one-function project in the temp folder, with the given config.json. */
function projectWithFunction(name: string, config: unknown): string {
  write(`cloudfunctions/${name}/index.ts`, 'export const main = async () => ({ ok: true });\n');
  write(`cloudfunctions/${name}/package.json`, '{"name":"x","main":"index.js"}');
  write(`cloudfunctions/${name}/config.json`, JSON.stringify(config));
  return tmp;
}

describe('Mini Program package limits', () => {
  test('a subpackage over 2 MB fails the deploy naming the package and the limit', () => {
    write(
      'mp/app.json',
      JSON.stringify({
        pages: ['pages/home/index'],
        subpackages: [{ root: 'packageAdmin', pages: ['pages/scan/index'] }],
      }),
    );
    write('mp/pages/home/index.js', 'Page({})');
    write('mp/packageAdmin/assets/huge.png', randomBytes(2 * MB + 1024));
    const plan = prepareDeploy({
      dryRun: true,
      routes: [],
      brandConfigPath: DEMO,
      stageDir: join(tmp, 'stage'),
      env: {},
      buildFunctions: () => [],
      buildMiniprogram: () => ({
        packages: (({ main, subpackages }) => [main, ...subpackages])(measurePackages(join(tmp, 'mp'))),
        warnings: [],
      }),
    });
    expect(plan.problems).toEqual([
      expect.objectContaining({
        check: 'package-size',
        subject: 'packageAdmin',
        message: expect.stringMatching(/package packageAdmin is 2\.0\d MB, over the 2\.00 MB limit per package/),
      }),
    ]);
  });

  test('packages each under 2 MB but together over 30 MB fail on the total', () => {
    const packages = [
      { name: 'main', bytes: 1.9 * MB },
      ...Array.from({ length: 16 }, (_, i) => ({ name: `sub${i}`, bytes: 1.9 * MB })),
    ];
    expect(checks.checkPackageSizes(packages)).toEqual([
      expect.objectContaining({
        subject: 'all packages',
        message: expect.stringContaining('over the 30.00 MB limit for all packages'),
      }),
    ]);
    expect(checks.checkPackageSizes(packages.slice(0, 15))).toEqual([]);
  });
});

describe('function checks', () => {
  test('a 6-field timer cron fails the deploy naming the function, the trigger and the 7-field rule', () => {
    const root = projectWithFunction('nightly', {
      timeout: 60,
      triggers: [{ name: 'expirePoints', type: 'timer', config: '0 0 2 * * *' }],
    });
    const plan = prepareDeploy({
      dryRun: true,
      routes: [],
      root,
      brandConfigPath: DEMO,
      stageDir: join(tmp, 'stage'),
      env: {},
      buildMiniprogram: null,
    });
    expect(plan.problems).toEqual([
      expect.objectContaining({
        check: 'cron',
        subject: 'nightly/expirePoints',
        message:
          'function nightly trigger expirePoints: cron "0 0 2 * * *" must have 7 fields (second minute hour day month weekday year), has 6',
      }),
    ]);
  });

  test('a cron with an impossible field or a bad year is refused; a valid 7-field cron passes', () => {
    const fn = (config: string) => [{ name: 'f', config: { triggers: [{ name: 't', type: 'timer', config }] } }];
    expect(checks.checkFunctionConfigs(fn('0 0 25 * * * *'))[0]?.message).toMatch(
      /function f trigger t: cron "0 0 25 \* \* \* \*"/,
    );
    expect(checks.checkFunctionConfigs(fn('0 0 2 * * * 20x6'))[0]?.message).toMatch(/invalid year field/);
    expect(checks.checkFunctionConfigs(fn('0 0 2 * * * *'))).toEqual([]);
  });

  test('timeouts outside 1–900 s are refused naming the function', () => {
    const problems = checks.checkFunctionConfigs([
      { name: 'slow', config: { timeout: 901 } },
      { name: 'zero', config: { timeout: 0 } },
      { name: 'ok', config: { timeout: 900 } },
    ]);
    expect(problems.map((p) => [p.check, p.subject])).toEqual([
      ['timeout', 'slow'],
      ['timeout', 'zero'],
    ]);
    expect(problems[0]!.message).toBe('function slow: timeout 901 s is outside 1–900 s (whole seconds)');
  });

  test('two triggers with one name in a function are refused', () => {
    const t = { name: 'tick', type: 'timer', config: '0 */5 * * * * *' };
    expect(checks.checkFunctionConfigs([{ name: 'f', config: { triggers: [t, t] } }]).map((p) => p.message)).toEqual([
      'function f: two triggers are named tick',
    ]);
  });

  test('a function whose zip exceeds 50 MB is refused naming it; the zip size counts compressed bytes', () => {
    expect(
      checks.checkFunctionBundles([
        { name: 'fat', zipBytes: 50 * MB + 1 },
        { name: 'slim', zipBytes: 50 * MB },
      ]),
    ).toEqual([
      expect.objectContaining({
        check: 'function-bundle',
        subject: 'fat',
        message: expect.stringContaining('over the 50.00 MB code upload limit'),
      }),
    ]);
    const text = Buffer.from('x'.repeat(100_000));
    const noise = randomBytes(100_000);
    expect(zipSize([{ path: 'a.js', data: text }])).toBeLessThan(2_000);
    expect(zipSize([{ path: 'a.bin', data: noise }])).toBeGreaterThanOrEqual(100_000);
    write('fn/index.js', text);
    expect(measureFolder(join(tmp, 'fn'), 'fn')).toMatchObject({
      rawBytes: 100_000,
      files: [{ path: 'index.js', bytes: 100_000 }],
    });
  });
});

describe('subscription templates', () => {
  test('a message type the code sends without a configured template id fails naming the type and the field', () => {
    expect(
      checks.checkTemplates(
        [...MESSAGE_TYPES, 'orderShipped'],
        Object.fromEntries(MESSAGE_TYPES.map((t) => [t, `tmpl_${t}_01`])),
      ),
    ).toEqual([
      expect.objectContaining({
        check: 'template',
        subject: 'orderShipped',
        message:
          'subscription template for message type orderShipped is not configured (subscriptionTemplates.orderShipped)',
      }),
    ]);
  });

  test('the example configuration cannot be deployed: every placeholder template id is named', () => {
    const plan = prepareDeploy({
      dryRun: true,
      routes: [],
      brandConfigPath: join(ROOT, 'config', 'brand.example.json'),
      stageDir: join(tmp, 'stage'),
      env: {},
      buildFunctions: () => [],
      buildMiniprogram: null,
    });
    expect(plan.problems.map((p) => p.subject).sort()).toEqual([...MESSAGE_TYPES].sort());
    expect(plan.problems[0]!.message).toContain('still the placeholder REPLACE_WITH_TEMPLATE_ID');
  });

  test('a brand file missing a template id fails the deploy naming the field', () => {
    const demo = JSON.parse(readFileSync(DEMO, 'utf8'));
    delete demo.subscriptionTemplates.appointmentReminder;
    write('brand.json', JSON.stringify(demo));
    const plan = prepareDeploy({
      dryRun: true,
      routes: [],
      brandConfigPath: join(tmp, 'brand.json'),
      stageDir: join(tmp, 'stage'),
      env: {},
      buildFunctions: () => [],
      buildMiniprogram: null,
    });
    expect(plan.problems).toEqual([
      {
        check: 'brand-config',
        subject: 'brand',
        message: `${join(tmp, 'brand.json')}: subscriptionTemplates.appointmentReminder: required`,
      },
    ]);
    expect(plan.brand).toBeNull();
  });
});

describe('database and route declarations', () => {
  const coll = (name: string, indexes: CollectionDeclaration['indexes'], write = false): CollectionDeclaration => ({
    name,
    indexes,
    clientAccess: { read: false, write },
  });

  test('duplicate index names, empty fields, a second index on the same fields and an _id index are each refused', () => {
    const problems = checks.checkIndexes([
      coll('points_ledger', [
        { name: 'memberId', fields: ['memberId'] },
        { name: 'memberId', fields: ['memberId', 'at'] },
        { name: 'byMember', fields: ['memberId'] },
        { name: 'nothing', fields: [] },
        { name: 'id', fields: ['_id'] },
      ]),
      coll('points_ledger', []),
    ]);
    expect(problems.map((p) => p.message)).toEqual([
      'collection points_ledger: index name memberId is used twice',
      'collection points_ledger: indexes memberId and byMember are on the same fields (memberId)',
      'collection points_ledger: index nothing has no fields',
      'collection points_ledger: index id duplicates the built-in _id index',
      'collection points_ledger is declared twice',
    ]);
  });

  test('a collection that clients may write fails the security-rule check naming it', () => {
    expect(checks.checkSecurityRules([coll('coupons', [], true), coll('members', [])]).map((p) => p.subject)).toEqual([
      'coupons',
    ]);
  });

  test('routes must be unique, well-formed and point at an existing function', () => {
    const problems = checks.checkRoutes(
      [
        { path: '/order-sync', fn: 'orders' },
        { path: '/order-sync', fn: 'orders' },
        { path: 'oa', fn: 'oa' },
      ],
      ['orders'],
    );
    expect(problems.map((p) => p.message)).toEqual([
      'HTTP route /order-sync is declared twice',
      'HTTP route "oa" must start with / and use only letters, digits, -, _ and /',
      'HTTP route oa points at function oa, which does not exist',
    ]);
  });
});
