import { buildSync, transformSync } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { assertCompilesWithWeChat } from './build-wechat-compile';

/**
 * Builds the Mini Program into `dist/miniprogram`: each `.ts` compiled on its own to CommonJS
 * (type-only imports vanish; a value import from outside `miniprogram/` fails the build, except
 * the npm packages `SUBPACKAGE_NPM` allows in a subpackage), each `.json` the code imports (a
 * page's words, `zh.json`) turned into a CommonJS module, other static files copied, and only the
 * TDesign files the app uses copied into `miniprogram_npm`. Then it measures the main package and
 * each subpackage against the platform's limits.
 * CLI: `node scripts/run-ts.js scripts/build-miniprogram.ts [outDir]`.
 */

export const MAIN_PACKAGE_LIMIT = 600 * 1024; // our target; the platform allows 2 MB
export const PACKAGE_LIMIT = 2 * 1024 * 1024;
const STATIC_EXTS = new Set(['.wxml', '.wxss', '.json', '.wxs', '.png', '.jpg', '.jpeg', '.svg', '.gif']);
const COMPONENT_EXTS = ['.js', '.json', '.wxml', '.wxss'];
const NPM_NAME = 'tdesign-miniprogram';

/**
 * npm packages that code inside a subpackage may import: the build converts the package's file to
 * CommonJS into `<root>/miniprogram_npm/<name>/index.js` and points the import there, so the
 * bytes count against that subpackage and never the main package.
 */
export const SUBPACKAGE_NPM: Record<string, { file: string; roots: string[] }> = {
  '@qiun/ucharts': { file: 'u-charts.min.js', roots: ['packageAdmin'] },
};

/**
 * npm packages any page or component may import (the card's and the coupon's scannable codes): the
 * build bundles each entry, with what it requires, into one minified CommonJS file in the main
 * package, `miniprogram_npm/<name>/index.js`, and points the import there.
 */
export const MAIN_NPM: Record<string, { entry: string }> = {
  'qrcode-generator': { entry: 'qrcode-generator/dist/qrcode.js' },
  'jsbarcode/bin/barcodes/CODE128': { entry: 'jsbarcode/bin/barcodes/CODE128/index.js' },
};

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'project.config.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

export const ROOT = findRoot(__dirname);

export interface PackageSize {
  /** 'main' or the subpackage root, e.g. 'packageAdmin'. */
  name: string;
  bytes: number;
}

export interface BuildResult {
  outDir: string;
  main: PackageSize;
  subpackages: PackageSize[];
  /** TDesign components named in `usingComponents` (their dependencies are copied too). */
  tdesignComponents: string[];
  /** Limits exceeded, as sentences; empty when the build is within budget. */
  problems: string[];
  /** Templates and stylesheets WeChat's compilers accepted (a refusal fails the build). */
  compiled: { wxml: number; wxss: number };
}

export interface BuildOptions {
  outDir?: string;
  srcDir?: string;
  /** TDesign's built components (`miniprogram_dist`). */
  tdesignDir?: string;
  /** Where the `SUBPACKAGE_NPM` packages are read from. */
  nodeModulesDir?: string;
}

function walk(dir: string, skip: (path: string) => boolean = () => false): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (skip(path)) return [];
    return statSync(path).isDirectory() ? walk(path, skip) : [path];
  });
}

const requiresOf = (code: string): string[] =>
  [...code.matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!);

function toCjs(code: string, file: string, loader: 'ts' | 'js' | 'json'): string {
  const charset = loader === 'json' ? 'utf8' : 'ascii'; // words stay readable, at half the bytes of \u escapes
  return transformSync(code, { loader, format: 'cjs', target: 'es2017', sourcefile: file, logLevel: 'error', charset })
    .code;
}

function write(file: string, content: string | Buffer): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}

/**
 * `tdesign-miniprogram/button/button` → `/miniprogram_npm/tdesign-miniprogram/button/button`: the
 * same component for WeChat, and a path miniprogram-simulate can follow (it knows no npm lookup).
 */
function withRootedNpmPaths(json: string): string {
  const parsed = JSON.parse(json) as { usingComponents?: Record<string, string> };
  if (!parsed.usingComponents) return json;
  for (const [tag, path] of Object.entries(parsed.usingComponents)) {
    if (path.startsWith(`${NPM_NAME}/`)) parsed.usingComponents[tag] = `/miniprogram_npm/${path}`;
  }
  return `${JSON.stringify(parsed, null, 2)}\n`;
}

/** `<root>/miniprogram_npm/<name>/index`: where a subpackage's allowed npm package is bundled. */
const subpackageNpmPath = (root: string, name: string) => `${root}/miniprogram_npm/${name}/index`;

/** A bare import of a `MAIN_NPM` package, rewritten to the relative path of its bundled copy. */
function mainImport(rel: string, spec: string, needed: Set<string>): string | undefined {
  if (!MAIN_NPM[spec]) return undefined;
  needed.add(`\0${spec}`);
  const path = relative(dirname(rel.split(sep).join('/')), `miniprogram_npm/${spec}/index`)
    .split(sep)
    .join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * A bare import of an allowed npm package from inside one of its subpackages, rewritten to the
 * relative path of its bundled copy; records the copy to make. Undefined when not allowed.
 */
function subpackageImport(rel: string, spec: string, needed: Set<string>): string | undefined {
  const allowed = SUBPACKAGE_NPM[spec];
  const posixRel = rel.split(sep).join('/');
  const root = allowed?.roots.find((r) => posixRel.startsWith(`${r}/`));
  if (!root) return undefined;
  needed.add(`${root}\0${spec}`);
  const path = relative(dirname(posixRel), subpackageNpmPath(root, spec)).split(sep).join('/');
  return path.startsWith('.') ? path : `./${path}`;
}

/**
 * A `.json` the code imports, written as the CommonJS module `<name>.js` beside it (WeChat's
 * `require` loads only scripts); the import is pointed there.
 */
function importJson(code: string, file: string, spec: string, srcDir: string, outDir: string): string {
  const source = resolve(dirname(file), spec);
  const script = source.replace(/\.json$/, '.ts');
  if (existsSync(script))
    throw new Error(`${relative(srcDir, source)} and ${relative(srcDir, script)} would both be .js`);
  const out = join(outDir, relative(srcDir, source)).replace(/\.json$/, '.js');
  write(out, toCjs(readFileSync(source, 'utf8'), source, 'json'));
  return code.split(`require("${spec}")`).join(`require("${spec.replace(/\.json$/, '')}")`);
}

/** The app's own files: compiled and copied, with the import boundary checked. Returns the npm copies needed (`root\0name`). */
function buildOwnFiles(srcDir: string, outDir: string): Set<string> {
  const skip = (p: string) => p.endsWith(`${sep}miniprogram_npm`) || p.endsWith(`${sep}node_modules`);
  const needed = new Set<string>();
  const imported = new Set<string>();
  const files = walk(srcDir, skip);
  const scriptsFirst = [...files.filter((f) => extname(f) === '.ts'), ...files.filter((f) => extname(f) !== '.ts')];
  for (const file of scriptsFirst) {
    const rel = relative(srcDir, file);
    const ext = extname(file);
    if (file.endsWith('.d.ts') || rel === 'tsconfig.json' || imported.has(file)) continue;
    if (ext === '.ts') {
      let code = toCjs(readFileSync(file, 'utf8'), file, 'ts');
      for (const spec of new Set(requiresOf(code))) {
        if (spec.startsWith('.') && spec.endsWith('.json')) {
          code = importJson(code, file, spec, srcDir, outDir);
          imported.add(resolve(dirname(file), spec));
          continue;
        }
        const bundled = spec.startsWith('.')
          ? undefined
          : (mainImport(rel, spec, needed) ?? subpackageImport(rel, spec, needed));
        if (bundled) {
          code = code.split(`require("${spec}")`).join(`require("${bundled}")`);
          continue;
        }
        const target = resolve(dirname(file), spec);
        if (!spec.startsWith('.') || !target.startsWith(srcDir + sep)) {
          const where = SUBPACKAGE_NPM[spec]
            ? `; "${spec}" is allowed only inside ${SUBPACKAGE_NPM[spec]!.roots.join(', ')}`
            : '';
          throw new Error(
            `${rel} imports "${spec}" at run time: the Mini Program may only import its own files (use \`import type\` for contracts)${where}`,
          );
        }
      }
      write(join(outDir, rel.replace(/\.ts$/, '.js')), code);
    } else if (ext === '.json') {
      write(join(outDir, rel), withRootedNpmPaths(readFileSync(file, 'utf8')));
    } else if (STATIC_EXTS.has(ext)) {
      write(join(outDir, rel), readFileSync(file));
    }
  }
  return needed;
}

/** Each needed npm package converted to one minified CommonJS file inside its subpackage (or the main package). */
function copySubpackageNpm(nodeModulesDir: string, outDir: string, needed: Set<string>): void {
  for (const key of [...needed].sort()) {
    const [root, name] = key.split('\0') as [string, string];
    if (root === '') {
      const out = join(outDir, 'miniprogram_npm', name, 'index.js');
      const entryPoints = [join(nodeModulesDir, MAIN_NPM[name]!.entry)];
      buildSync({
        entryPoints,
        outfile: out,
        bundle: true,
        format: 'cjs',
        platform: 'neutral',
        target: 'es2017',
        minify: true,
        logLevel: 'error',
      });
      continue;
    }
    const source = join(nodeModulesDir, name, SUBPACKAGE_NPM[name]!.file);
    const code = transformSync(readFileSync(source, 'utf8'), {
      loader: 'js',
      format: 'cjs',
      target: 'es2017',
      minify: true,
      sourcefile: source,
      logLevel: 'error',
    }).code;
    if (requiresOf(code).length > 0)
      throw new Error(`${name}: the bundled file requires other modules, which the build does not follow`);
    write(join(outDir, `${subpackageNpmPath(root, name)}.js`), code);
  }
}

/** `tdesign-miniprogram/button/button` values of every `usingComponents` in the app. */
function usedTdesign(srcDir: string): string[] {
  const used = new Set<string>();
  for (const file of walk(srcDir).filter((f) => f.endsWith('.json'))) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { usingComponents?: Record<string, string> };
    for (const path of Object.values(json.usingComponents ?? {}))
      if (path.startsWith(`${NPM_NAME}/`)) used.add(path.slice(NPM_NAME.length + 1));
  }
  return [...used].sort();
}

function resolveFile(base: string, exts: string[]): string | undefined {
  for (const candidate of [base, ...exts.map((e) => base + e), ...exts.map((e) => join(base, `index${e}`))]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return undefined;
}

/**
 * Copies the used TDesign components and everything they reach (child components, scripts,
 * styles, templates, wxs, bundled npm deps). Scripts become CommonJS with bare imports rewritten
 * to relative paths, so the same files run in WeChat and under miniprogram-simulate in Node.
 */
function copyTdesign(tdDir: string, destDir: string, components: string[]): void {
  const npmDir = join(tdDir, 'miniprogram_npm');
  const seen = new Set<string>();
  const queue: string[] = [];
  const add = (file: string | undefined) => {
    if (file && !seen.has(file)) {
      seen.add(file);
      queue.push(file);
    }
  };
  const addComponent = (base: string) => COMPONENT_EXTS.forEach((e) => add(resolveFile(base + e, [])));
  components.forEach((c) => addComponent(join(tdDir, c)));

  while (queue.length > 0) {
    const file = queue.shift()!;
    const dir = dirname(file);
    const out = join(destDir, relative(tdDir, file));
    let content: string | Buffer = readFileSync(file);
    const text = () => content.toString('utf8');
    switch (extname(file)) {
      case '.js': {
        let code = toCjs(text(), file, 'js');
        for (const spec of new Set(requiresOf(code))) {
          const target = spec.startsWith('.')
            ? resolveFile(resolve(dir, spec), ['.js'])
            : resolveFile(join(npmDir, spec), ['.js']);
          if (!target) throw new Error(`${relative(tdDir, file)}: cannot resolve "${spec}"`);
          add(target);
          if (!spec.startsWith('.')) {
            const rel = relative(dir, target).split(sep).join('/').replace(/\.js$/, '');
            code = code.split(`require("${spec}")`).join(`require("${rel.startsWith('.') ? rel : `./${rel}`}")`);
          }
        }
        content = code;
        break;
      }
      case '.json': {
        const json = JSON.parse(text()) as { usingComponents?: Record<string, string> };
        Object.values(json.usingComponents ?? {}).forEach((p) => addComponent(resolve(dir, p)));
        break;
      }
      case '.wxss':
        for (const m of text().matchAll(/@import\s+["']([^"']+)["']/g)) add(resolveFile(resolve(dir, m[1]!), []));
        break;
      case '.wxml':
        for (const m of text().matchAll(/<(?:import|include|wxs)\b[^>]*\bsrc=["']([^"']+)["']/g))
          add(resolveFile(resolve(dir, m[1]!), ['.wxml', '.wxs']));
        break;
      case '.wxs':
        for (const spec of requiresOf(text())) add(resolveFile(resolve(dir, spec), ['.wxs']));
        break;
    }
    write(out, content);
  }
}

function subpackageRoots(outDir: string): string[] {
  const app = JSON.parse(readFileSync(join(outDir, 'app.json'), 'utf8')) as {
    subpackages?: { root: string }[];
    subPackages?: { root: string }[];
  };
  return (app.subpackages ?? app.subPackages ?? []).map((p) => p.root.replace(/\/+$/, ''));
}

/** Bytes of the main package and of each subpackage (a file belongs to the subpackage whose root holds it). */
export function measurePackages(outDir: string): { main: PackageSize; subpackages: PackageSize[] } {
  const roots = subpackageRoots(outDir);
  const sizes = new Map<string, number>([['main', 0], ...roots.map((r) => [r, 0] as [string, number])]);
  for (const file of walk(outDir)) {
    const rel = relative(outDir, file).split(sep).join('/');
    const owner = roots.find((r) => rel.startsWith(`${r}/`)) ?? 'main';
    sizes.set(owner, sizes.get(owner)! + statSync(file).size);
  }
  return {
    main: { name: 'main', bytes: sizes.get('main')! },
    subpackages: roots.map((r) => ({ name: r, bytes: sizes.get(r)! })),
  };
}

export function budgetProblems(main: PackageSize, subpackages: PackageSize[]): string[] {
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  const problems: string[] = [];
  if (main.bytes > MAIN_PACKAGE_LIMIT)
    problems.push(`main package ${kb(main.bytes)} exceeds ${kb(MAIN_PACKAGE_LIMIT)}`);
  for (const p of subpackages)
    if (p.bytes > PACKAGE_LIMIT) problems.push(`subpackage ${p.name} ${kb(p.bytes)} exceeds ${kb(PACKAGE_LIMIT)}`);
  return problems;
}

export function buildMiniprogram(options: BuildOptions = {}): BuildResult {
  const srcDir = resolve(options.srcDir ?? join(ROOT, 'miniprogram'));
  const outDir = resolve(options.outDir ?? join(ROOT, 'dist', 'miniprogram'));
  const tdesignDir = resolve(options.tdesignDir ?? join(ROOT, 'node_modules', NPM_NAME, 'miniprogram_dist'));
  const nodeModulesDir = resolve(options.nodeModulesDir ?? join(ROOT, 'node_modules'));
  rmSync(outDir, { recursive: true, force: true });
  copySubpackageNpm(nodeModulesDir, outDir, buildOwnFiles(srcDir, outDir));
  const tdesignComponents = usedTdesign(srcDir);
  copyTdesign(tdesignDir, join(outDir, 'miniprogram_npm', NPM_NAME), tdesignComponents);
  const { wxml, wxss } = assertCompilesWithWeChat(outDir);
  const { main, subpackages } = measurePackages(outDir);
  const compiled = { wxml: wxml.length, wxss: wxss.length };
  return { outDir, main, subpackages, tdesignComponents, problems: budgetProblems(main, subpackages), compiled };
}

function cli(): void {
  const result = buildMiniprogram(process.argv[2] ? { outDir: process.argv[2] } : {});
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`mini program  ${relative(process.cwd(), result.outDir) || '.'}`);
  console.log(`  main package        ${kb(result.main.bytes)} (limit ${kb(MAIN_PACKAGE_LIMIT)})`);
  for (const p of result.subpackages) console.log(`  ${p.name.padEnd(20)}${kb(p.bytes)} (limit ${kb(PACKAGE_LIMIT)})`);
  console.log(`  tdesign: ${result.tdesignComponents.join(', ')}`);
  const { wxml, wxss } = result.compiled;
  console.log(`  WeChat's compilers: ${wxml} templates (wcc), ${wxss} stylesheets (wcsc)`);
  if (result.problems.length > 0) {
    result.problems.forEach((p) => console.error(`error: ${p}`));
    process.exit(1);
  }
}

if (/build-miniprogram(\.[jt]s)?$/.test(process.argv[1] ?? '')) cli();
