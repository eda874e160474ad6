import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * WeChat's own template and stylesheet compilers, `wcc` (WXML) and `wcsc` (WXSS), from the WeChat
 * team's npm package miniprogram-compiler: the build runs them over every package of the built
 * Mini Program and fails on anything they refuse, which the platform would refuse too.
 * See docs/preview.md#wechats-compilers.
 */

const PACKAGE = 'miniprogram-compiler';

export interface WeChatCompileResult {
  /** package-relative paths compiled, in the order given to the compiler */
  wxml: string[];
  wxss: string[];
  /** one line per refusal, `file: compiler message`; empty when everything compiled */
  errors: string[];
  /** wcc's JavaScript: a `$gwx(path)` that turns a page's template into a render function */
  wxmlJs: string;
  /** wcsc's output: `path=code` pairs, `comm` the shared part */
  wxssJs: Record<string, string>;
}

const PLATFORM_DIR: Partial<Record<NodeJS.Platform, { dir: string; exe: string }>> = {
  linux: { dir: 'linux', exe: '' },
  darwin: { dir: 'mac', exe: '' },
  win32: { dir: 'windows', exe: '.exe' },
};

function packageDir(): string {
  return dirname(require.resolve(`${PACKAGE}/package.json`));
}

/**
 * The compiler binary, copied once into node_modules/.cache with its execute bit: the package ships
 * wcsc without one, and the installed copy is left as npm wrote it.
 */
export function compilerPath(name: 'wcc' | 'wcsc'): string {
  const platform = PLATFORM_DIR[process.platform];
  if (!platform) throw new Error(`${PACKAGE} has no ${name} for ${process.platform}`);
  const pkg = packageDir();
  const version = (JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string }).version;
  const source = join(pkg, 'bin', platform.dir, name + platform.exe);
  const cache = join(pkg, '..', '.cache', `${PACKAGE}-${version}`, name + platform.exe);
  if (!existsSync(cache) || statSync(cache).size !== statSync(source).size) {
    // copied aside, then renamed into place: parallel builds never run a half-written binary
    mkdirSync(dirname(cache), { recursive: true });
    const partial = `${cache}.${process.pid}.partial`;
    copyFileSync(source, partial);
    chmodSync(partial, 0o755);
    renameSync(partial, cache);
  }
  return cache;
}

function filesWith(root: string, ext: string, dir = root): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return filesWith(root, ext, path);
    return path.endsWith(ext) ? [relative(root, path).split(sep).join('/')] : [];
  });
}

interface Run {
  ok: boolean;
  stdout: string;
  message: string;
}

function run(binary: string, args: string[], cwd: string): Run {
  const r = spawnSync(binary, args, { cwd, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8' });
  if (r.error) throw new Error(`${binary} could not run: ${r.error.message}`);
  const message = `${r.stderr ?? ''}${r.status === 0 ? '' : (r.stdout ?? '')}`.trim();
  return { ok: r.status === 0 && !/^ERR:/m.test(r.stderr ?? ''), stdout: r.stdout ?? '', message };
}

/** `usingComponents` of a page or component, read from its .json next to the template. */
function componentTags(root: string, wxml: string): string[] {
  const json = join(root, wxml.replace(/\.wxml$/, '.json'));
  if (!existsSync(json)) return [];
  return Object.keys((JSON.parse(readFileSync(json, 'utf8')) as { usingComponents?: object }).usingComponents ?? {});
}

/** wcc as DevTools calls it: every template, every .wxs, and per file the custom-component tags it uses. */
function wccArgs(root: string, files: string[], wxs: string[]): string[] {
  const withComponents = files.map((f) => [f, componentTags(root, f)] as const).filter(([, tags]) => tags.length > 0);
  const perFile = withComponents.flatMap(([f, tags]) => [f, tags.length, ...tags]);
  const componentArg = [withComponents.length, ...perFile].join(' ');
  return ['-d', '-cc', componentArg, ...files, ...wxs, '-gn', '$gwx'];
}

/** Stylesheets of pages and components (those with a .json) first, as wcsc's `-pc` count expects. */
function wcscArgs(root: string, files: string[]): string[] {
  const isComponent = (f: string) => existsSync(join(root, f.replace(/\.wxss$/, '.json')));
  const components = files.filter(isComponent);
  return ['-db', '-pc', String(components.length), ...components, ...files.filter((f) => !isComponent(f))];
}

/** wcsc's `key=value=key=value…` output, with the compiler's version line left out. */
function wxssPairs(stdout: string): Record<string, string> {
  const parts = stdout.split('=');
  const pairs: Record<string, string> = {};
  for (let i = 0; i + 1 < parts.length; i += 2) if (parts[i] !== 'version') pairs[parts[i]!] = parts[i + 1]!;
  return pairs;
}

/**
 * A failed run names only its first refusal: each file is then compiled on its own so that every
 * refused file is listed (a template alone; a stylesheet with the files it imports still on disk).
 */
function eachRefusal(files: string[], compileOne: (file: string) => Run): string[] {
  return files.flatMap((file) => {
    const r = compileOne(file);
    const message = r.message.replace(/\s*error file count: \d+\s*$/, '').replace(/^ERR: /, '');
    return r.ok ? [] : [message.startsWith(file) ? message : `${file}: ${message}`];
  });
}

export function compileWithWeChat(builtDir: string): WeChatCompileResult {
  const root = resolve(builtDir);
  const wxml = filesWith(root, '.wxml').sort();
  const wxs = filesWith(root, '.wxs').sort();
  const wxss = filesWith(root, '.wxss').sort();
  const wcc = compilerPath('wcc');
  const wcsc = compilerPath('wcsc');
  const errors: string[] = [];

  const templates = run(wcc, wccArgs(root, wxml, wxs), root);
  if (!templates.ok) {
    const alone = eachRefusal(wxml, (f) => run(wcc, wccArgs(root, [f], wxs), root));
    errors.push(...(alone.length ? alone : [`wcc: ${templates.message}`]));
  }
  const styles = wxss.length ? run(wcsc, wcscArgs(root, wxss), root) : { ok: true, stdout: '', message: '' };
  if (!styles.ok) {
    const alone = eachRefusal(wxss, (f) => run(wcsc, wcscArgs(root, [f]), root));
    errors.push(...(alone.length ? alone : [`wcsc: ${styles.message}`]));
  }
  const wxmlJs = templates.ok ? templates.stdout : '';
  return { wxml, wxss, errors, wxmlJs, wxssJs: styles.ok ? wxssPairs(styles.stdout) : {} };
}

/** Throws with every refusal when WeChat's compilers reject the built Mini Program. */
export function assertCompilesWithWeChat(builtDir: string): WeChatCompileResult {
  const result = compileWithWeChat(builtDir);
  if (result.errors.length > 0) {
    throw new Error(`WeChat's compilers refused the Mini Program in ${builtDir}:\n  ${result.errors.join('\n  ')}`);
  }
  return result;
}
