import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import demo from '../../../config/brand.demo.json';
import { configuredSource } from '../../../server/http/sources';
import { devSecret } from '../../../server/http/secrets';
import {
  loadBrandConfig,
  missingOrderSyncSecrets,
  readBrandConfig,
  requireOrderSyncSecrets,
  resetBrandConfigCache,
} from '../../../server/config/load';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'brand-config-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (rel: string, value: unknown): string => {
  const path = join(dir, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value));
  return path;
};
const withName = (en: string) => ({ ...demo, name: { zh: demo.name.zh, en } });
const emptyBundle = () => join(dir, 'no-bundle');

describe('loading the brand configuration', () => {
  test('BRAND_CONFIG names the file; order-sync secrets come from the variables the sources name', () => {
    const path = write('elsewhere/brand.json', withName('From BRAND_CONFIG'));
    const loaded = readBrandConfig({
      env: { BRAND_CONFIG: path, ORDER_SYNC_SECRET_POS: 's3cret-pos' },
      cwd: dir,
      bundleDir: emptyBundle(),
    });
    expect(loaded.source).toBe(path);
    expect(loaded.config.name.en).toBe('From BRAND_CONFIG');
    expect(loaded.orderSyncSecrets).toEqual({ pos: 's3cret-pos' });
  });

  test('brand.json beside the bundle (what deploy ships) wins over config/brand.json in the working directory', () => {
    write('bundle/brand.json', withName('Shipped'));
    write('config/brand.json', withName('Local'));
    expect(readBrandConfig({ env: {}, cwd: dir, bundleDir: join(dir, 'bundle') }).config.name.en).toBe('Shipped');
    expect(readBrandConfig({ env: {}, cwd: dir, bundleDir: emptyBundle() }).config.name.en).toBe('Local');
  });

  test('a bad file fails at load naming the file and the field', () => {
    const path = write('config/brand.json', {
      ...demo,
      subscriptionTemplates: { ...demo.subscriptionTemplates, birthday: undefined },
    });
    expect(() => readBrandConfig({ env: {}, cwd: dir, bundleDir: emptyBundle() })).toThrow(
      `${path} is invalid:\n  subscriptionTemplates.birthday: required`,
    );
  });

  test('a file that is not JSON fails naming the file', () => {
    const path = write('config/brand.json', '{ "name": ');
    expect(() => readBrandConfig({ env: {}, cwd: dir, bundleDir: emptyBundle() })).toThrow(
      expect.objectContaining({
        code: 'BRAND_CONFIG_INVALID',
        message: expect.stringContaining(`${path}: not valid JSON`),
      }),
    );
  });

  test('BRAND_CONFIG pointing at a missing file fails instead of falling back', () => {
    expect(() => readBrandConfig({ env: { BRAND_CONFIG: 'nope.json' }, cwd: dir })).toThrow(
      expect.objectContaining({ code: 'BRAND_CONFIG_MISSING' }),
    );
  });

  test('with no file, production fails naming where it looked; development runs the demo brand', () => {
    expect(() => readBrandConfig({ env: { NODE_ENV: 'production' }, cwd: dir, bundleDir: emptyBundle() })).toThrow(
      join(dir, 'config', 'brand.json'),
    );
    const loaded = readBrandConfig({ env: {}, cwd: dir, bundleDir: emptyBundle() });
    expect(loaded.source).toBe('demo');
    expect(loaded.config.name.zh).toBe('苏韵旗袍');
  });

  test('a missing order-sync secret is named by field path and variable, only when asked for', () => {
    const secrets = { ORDER_SYNC_SECRET_TMALL: 't' };
    const loaded = readBrandConfig({ env: secrets, cwd: dir, bundleDir: emptyBundle() });
    const env = { ...secrets, NODE_ENV: 'production' };
    expect(configuredSource('tmall', loaded, env)).toMatchObject({ channel: 'ecommerce', secrets: ['t'] });
    expect(configuredSource('pos', loaded, env)?.secrets).toEqual([]);
    expect(configuredSource('weibo', loaded, env)).toBeUndefined();
    const missing = missingOrderSyncSecrets(loaded).map((m) => m.split(':')[0]);
    expect(missing).toEqual([0, 1, 3].map((i) => `orderSync.sources.${i}.secretEnv`));
    expect(() => requireOrderSyncSecrets(loaded)).toThrow(/ORDER_SYNC_SECRET_POS[\s\S]*ORDER_SYNC_SECRET_JD/);
  });

  test('while a secret is rotated, signatures made with the current or the previous secret are both accepted', () => {
    const secrets = { ORDER_SYNC_SECRET_POS: 'new', ORDER_SYNC_SECRET_POS_PREVIOUS: 'old', ORDER_SYNC_SECRET_JD: 'jd' };
    const loaded = readBrandConfig({ env: secrets, cwd: dir, bundleDir: emptyBundle() });
    const env = { ...secrets, NODE_ENV: 'production' };
    expect(configuredSource('pos', loaded, env)?.secrets).toEqual(['new', 'old']);
    expect(configuredSource('jd', loaded, env)?.secrets).toEqual(['jd']);
  });

  test('outside production a configured source without its variable signs with its development secret', () => {
    const env = { NODE_ENV: 'development' };
    const loaded = readBrandConfig({ env, cwd: dir, bundleDir: emptyBundle() });
    expect(configuredSource('pos', loaded, env)?.secrets).toEqual([devSecret('ORDER_SYNC_SECRET_POS')]);
    expect(configuredSource('weibo', loaded, env)).toBeUndefined();
  });

  test('loadBrandConfig reads once and serves the same configuration until reset', () => {
    const path = write('brand.json', withName('First'));
    const saved = process.env.BRAND_CONFIG;
    process.env.BRAND_CONFIG = path;
    try {
      resetBrandConfigCache();
      const first = loadBrandConfig();
      write('brand.json', withName('Second'));
      expect(loadBrandConfig()).toBe(first);
      resetBrandConfigCache();
      expect(loadBrandConfig().config.name.en).toBe('Second');
    } finally {
      if (saved === undefined) delete process.env.BRAND_CONFIG;
      else process.env.BRAND_CONFIG = saved;
      resetBrandConfigCache();
    }
  });
});
