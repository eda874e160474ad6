import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createContext, runInContext } from 'node:vm';
import { buildMiniprogram } from '../../scripts/build-miniprogram';
import { compileWithWeChat } from '../../scripts/build-wechat-compile';
import { builtApp } from '../support/miniprogram/built-app';

/** WeChat's own compilers (wcc, wcsc from miniprogram-compiler) over the built Mini Program. */

function sourceTree(files: Record<string, string>): string {
  const src = join(mkdtempSync(join(tmpdir(), 'mp-src-')), 'miniprogram');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(src, path)), { recursive: true });
    writeFileSync(join(src, path), content);
  }
  return src;
}
const out = () => join(mkdtempSync(join(tmpdir(), 'mp-out-')), 'miniprogram');
const app = JSON.stringify({ pages: ['pages/a/index'], subpackages: [{ root: 'packageB', pages: ['pages/b/index'] }] });
const pageA = { 'pages/a/index.json': '{}', 'pages/a/index.wxml': '<view class="a">{{title}}</view>' };

test('every template and stylesheet of every package of the built Mini Program compiles with wcc and wcsc', () => {
  const { outDir, subpackages, compiled } = builtApp();
  const result = compileWithWeChat(outDir);
  expect(result.errors).toEqual([]);
  expect(compiled).toEqual({ wxml: result.wxml.length, wxss: result.wxss.length });
  for (const pkg of ['', ...subpackages.map((p) => `${p.name}/`)]) {
    const inPackage = result.wxml.filter((f) => (pkg ? f.startsWith(pkg) : !f.startsWith('package')));
    expect({ pkg, compiled: inPackage.length > 0 }).toEqual({ pkg, compiled: true });
  }
  expect(result.wxml).toContain('miniprogram_npm/tdesign-miniprogram/button/button.wxml');
  expect(Object.keys(result.wxssJs)).toEqual(expect.arrayContaining(['comm', 'app.wxss']));
});

test('wcc output renders a page: $gwx gives the generate function of each compiled template', () => {
  const srcDir = sourceTree({ 'app.json': '{"pages":["pages/a/index"]}', ...pageA });
  const built = buildMiniprogram({ srcDir, outDir: out() });
  const { wxmlJs } = compileWithWeChat(built.outDir);
  // the webview's globals: wcc's code sets $gwx on window
  type Gwx = (path: string) => (data: object, env: object) => unknown;
  const webview = createContext({ console }) as { window?: object; $gwx?: Gwx };
  webview.window = webview;
  runInContext(wxmlJs, webview);
  const tree = JSON.stringify(webview.$gwx!('pages/a/index.wxml')({ title: '会员中心' }, {}));
  expect(tree).toContain('"tag":"wx-view"');
  expect(tree).toContain('会员中心');
});

test('a template WeChat refuses (an unclosed tag, in a subpackage) fails the build with wcc’s message', () => {
  const src = sourceTree({
    'app.json': app,
    ...pageA,
    'packageB/pages/b/index.json': '{}',
    'packageB/pages/b/index.wxml': '<view>\n  <text>points</view>\n',
  });
  expect(() => buildMiniprogram({ srcDir: src, outDir: out() })).toThrow(
    /refused[\s\S]*packageB\/pages\/b\/index\.wxml:2:\d+: expect end-tag `text`/,
  );
});

test('a stylesheet WeChat refuses (the * selector) fails the build, and every refused file is named', () => {
  const src = sourceTree({
    'app.json': app,
    ...pageA,
    'app.wxss': '* { margin: 0 }\n',
    'pages/a/index.wxss': '.a { color: red;\n',
    'packageB/pages/b/index.json': '{}',
    'packageB/pages/b/index.wxml': '<view/>',
  });
  let message = '';
  try {
    buildMiniprogram({ srcDir: src, outDir: out() });
  } catch (e) {
    message = (e as Error).message;
  }
  expect(message).toContain('app.wxss(1:1): unexpected token `*`');
  expect(message).toContain('pages/a/index.wxss(2:1): unexpected');
});
