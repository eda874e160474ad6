import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { MAIN_PACKAGE_LIMIT, PACKAGE_LIMIT, SUBPACKAGE_NPM, buildMiniprogram } from '../../scripts/build-miniprogram';
import { builtApp } from '../support/miniprogram/built-app';

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? filesUnder(join(dir, n)) : [join(dir, n)]));
const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

function resolveComponent(outDir: string, fromJson: string, path: string): string {
  expect(path).not.toMatch(/^tdesign-miniprogram\//); // rooted by the build, so simulate can follow it
  return path.startsWith('/') ? join(outDir, path) : resolve(dirname(fromJson), path);
}

test('every page and every component it uses is built with its script, template and config', () => {
  const { outDir } = builtApp();
  const app = readJson(join(outDir, 'app.json'));
  const seen = new Set<string>();
  const visit = (base: string) => {
    if (seen.has(base)) return;
    seen.add(base);
    for (const ext of ['.js', '.json', '.wxml']) expect(statSync(base + ext).isFile()).toBe(true);
    const uses: Record<string, string> = readJson(`${base}.json`).usingComponents ?? {};
    Object.values(uses).forEach((p) => visit(resolveComponent(outDir, `${base}.json`, p)));
  };
  (app.pages as string[]).forEach((p) => visit(join(outDir, p)));
  expect(app.tabBar.list.map((t: { pagePath: string }) => t.pagePath)).toEqual(app.pages);
  expect([...seen].some((p) => p.includes(`${sep}tdesign-miniprogram${sep}icon${sep}`))).toBe(true); // reached through button
});

test('every require in the build resolves to a file inside the build (no server code, no bare npm names)', () => {
  const { outDir } = builtApp();
  const scripts = filesUnder(outDir).filter((f) => f.endsWith('.js') || f.endsWith('.wxs'));
  expect(scripts.length).toBeGreaterThan(20);
  for (const file of scripts) {
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) {
      expect({ file: relative(outDir, file), spec, relative: spec!.startsWith('.') }).toEqual({
        file: relative(outDir, file),
        spec,
        relative: true,
      });
      const base = resolve(dirname(file), spec!);
      const target = [base, `${base}.js`, `${base}.wxs`, join(base, 'index.js')].find((c) =>
        statSync(c, { throwIfNoEntry: false })?.isFile(),
      );
      expect(target && target.startsWith(outDir + sep)).toBe(true);
    }
  }
});

test("a page's words (zh.json, en.json) ship as scripts that WeChat's require can load, not as JSON files", () => {
  const { outDir } = builtApp();
  const page = join(outDir, 'packageAdmin', 'pages', 'member');
  const shipped = readdirSync(page);
  expect(shipped).toEqual(expect.arrayContaining(['zh.js', 'en.js', 'text.js']));
  expect(shipped).not.toContain('zh.json');
  expect(readFileSync(join(page, 'zh.js'), 'utf8')).toContain('会员查询');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built page's module, chosen by path
  const { texts } = require(join(page, 'text.js')) as { texts: Record<'zh' | 'en', { title: string }> };
  expect([texts.zh.title, texts.en.title]).toEqual(['会员查询', 'Member lookup']);
});

test('every shipped script is CommonJS that Node can compile (TDesign ES modules were converted)', () => {
  const { outDir } = builtApp();
  for (const file of filesUnder(outDir).filter((f) => f.endsWith('.js'))) {
    const code = readFileSync(file, 'utf8');
    // eslint-disable-next-line no-new-func -- compiling the shipped file is the check
    expect(() => new Function('require', 'module', 'exports', code)).not.toThrow();
  }
});

test('main package fits the 600 KB budget and the measured sizes add up to the files on disk', () => {
  const { outDir, main, subpackages, problems } = builtApp();
  const onDisk = filesUnder(outDir).reduce((sum, f) => sum + statSync(f).size, 0);
  expect(main.bytes + subpackages.reduce((s, p) => s + p.bytes, 0)).toBe(onDisk);
  expect(main.bytes).toBeLessThanOrEqual(MAIN_PACKAGE_LIMIT);
  expect(problems).toEqual([]);
});

test('only the TDesign components in use (and what they need) are shipped', () => {
  const { outDir, tdesignComponents } = builtApp();
  const shipped = readdirSync(join(outDir, 'miniprogram_npm', 'tdesign-miniprogram'));
  for (const c of tdesignComponents) expect(shipped).toContain(c.split('/')[0]);
  for (const unused of ['calendar', 'chat-message', 'qrcode', 'upload', 'date-time-picker'])
    expect(shipped).not.toContain(unused);
});

test('S21 the chart library ships once, as CommonJS inside the admin subpackage, and nothing in the main package reaches it', () => {
  const { outDir, main, subpackages } = builtApp();
  const chartLib = join(outDir, 'packageAdmin', 'miniprogram_npm', '@qiun', 'ucharts', 'index.js');
  const code = readFileSync(chartLib, 'utf8');
  const mod = { exports: {} as { default?: unknown } };
  // eslint-disable-next-line no-new-func -- runs the shipped library as the Mini Program's module loader would
  new Function('require', 'module', 'exports', code)(() => undefined, mod, mod.exports);
  expect(typeof mod.exports.default).toBe('function');
  const libraryText = '[uCharts] series'; // the library's own error message: only its code carries it
  const holders = filesUnder(outDir).filter((f) => f.endsWith('.js') && readFileSync(f, 'utf8').includes(libraryText));
  expect(holders.map((f) => relative(outDir, f).split(sep).join('/'))).toEqual([
    'packageAdmin/miniprogram_npm/@qiun/ucharts/index.js',
  ]);
  // the chart component points at that copy; no main-package script requires anything under packageAdmin
  expect(readFileSync(join(outDir, 'packageAdmin/components/trend-chart/index.js'), 'utf8')).toContain(
    'require("../../miniprogram_npm/@qiun/ucharts/index")',
  );
  for (const file of filesUnder(outDir).filter(
    (f) => f.endsWith('.js') && !relative(outDir, f).startsWith(`package`),
  )) {
    expect({ file, reachesAdmin: /require\("[^"]*packageAdmin/.test(readFileSync(file, 'utf8')) }).toEqual({
      file,
      reachesAdmin: false,
    });
  }
  expect(subpackages.find((p) => p.name === 'packageAdmin')!.bytes).toBeGreaterThan(statSync(chartLib).size);
  expect(main.bytes).toBeLessThanOrEqual(MAIN_PACKAGE_LIMIT);
});

describe('with a small source tree of its own', () => {
  function sourceTree(files: Record<string, string | Buffer>): string {
    const src = join(mkdtempSync(join(tmpdir(), 'mp-src-')), 'miniprogram');
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(src, path)), { recursive: true });
      writeFileSync(join(src, path), content);
    }
    return src;
  }
  const page = { 'pages/a/index.json': '{}', 'pages/a/index.wxml': '<view/>' };
  const out = () => join(mkdtempSync(join(tmpdir(), 'mp-out-')), 'miniprogram');

  test('a type-only import of the contracts vanishes; a value import of server code fails the build', () => {
    const typeOnly = sourceTree({
      'app.json': '{"pages":["pages/a/index"]}',
      ...page,
      'pages/a/index.ts':
        "import type { MemberView } from '../../../core/contracts/member';\nexport const v: MemberView | null = null;\n",
    });
    const built = buildMiniprogram({ srcDir: typeOnly, outDir: out() });
    expect(readFileSync(join(built.outDir, 'pages/a/index.js'), 'utf8')).not.toMatch(/require\(/);

    const server = sourceTree({
      'app.json': '{"pages":["pages/a/index"]}',
      ...page,
      'pages/a/index.ts': "import { contracts } from '../../../core/contracts';\nconsole.log(contracts);\n",
    });
    expect(() => buildMiniprogram({ srcDir: server, outDir: out() })).toThrow(/may only import its own files/);
  });

  test('an allowed npm package is bundled into the subpackage that imports it; imported from the main package it fails the build', () => {
    const [name, allowed] = Object.entries(SUBPACKAGE_NPM)[0]!;
    const root = allowed.roots[0]!;
    const app = JSON.stringify({ pages: ['pages/a/index'], subpackages: [{ root, pages: ['pages/c/index'] }] });
    const src = sourceTree({
      'app.json': app,
      ...page,
      [`${root}/pages/c/index.json`]: '{}',
      [`${root}/pages/c/index.ts`]: `import lib from '${name}';\nexport const made = typeof lib;\n`,
    });
    const built = buildMiniprogram({ srcDir: src, outDir: out() });
    const copy = join(built.outDir, root, 'miniprogram_npm', name, 'index.js');
    expect(statSync(copy).size).toBeGreaterThan(1000);
    const [sub] = built.subpackages;
    expect(sub!.bytes).toBeGreaterThan(statSync(copy).size);
    expect(built.main.bytes).toBeLessThan(1000);
    expect(readFileSync(join(built.outDir, root, 'pages/c/index.js'), 'utf8')).toContain(
      `require("../../miniprogram_npm/${name}/index")`,
    );

    const fromMain = sourceTree({
      'app.json': app,
      ...page,
      'pages/a/index.ts': `import lib from '${name}';\nexport const made = typeof lib;\n`,
    });
    expect(() => buildMiniprogram({ srcDir: fromMain, outDir: out() })).toThrow(
      new RegExp(`may only import its own files.*allowed only inside ${root}`),
    );
    const unknown = sourceTree({
      'app.json': app,
      ...page,
      [`${root}/pages/c/index.json`]: '{}',
      [`${root}/pages/c/index.ts`]: "import x from 'left-pad';\nexport const y = x;\n",
    });
    expect(() => buildMiniprogram({ srcDir: unknown, outDir: out() })).toThrow(/imports "left-pad" at run time/);
  });

  test('files under a subpackage root count for that subpackage; limits are reported per package', () => {
    const src = sourceTree({
      'app.json': JSON.stringify({
        pages: ['pages/a/index'],
        subpackages: [{ root: 'packageBig', pages: ['pages/x/index'] }],
      }),
      ...page,
      'pages/a/big.png': Buffer.alloc(MAIN_PACKAGE_LIMIT + 1),
      'packageBig/pages/x/index.json': '{}',
      'packageBig/pages/x/huge.png': Buffer.alloc(PACKAGE_LIMIT + 1),
    });
    const built = buildMiniprogram({ srcDir: src, outDir: out() });
    expect(built.subpackages).toEqual([{ name: 'packageBig', bytes: PACKAGE_LIMIT + 1 + 2 }]);
    expect(built.main.bytes).toBeGreaterThan(MAIN_PACKAGE_LIMIT);
    expect(built.problems).toHaveLength(2);
    expect(built.problems.join('\n')).toMatch(/main package[\s\S]*packageBig/);
  });
});
