import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, sep } from 'node:path';
import { prepareWxml } from './wxml';
import { compileWxss } from './wxss';
import type { AppPackage, ComponentEntry } from './app-package';

export type { AppPackage };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const toApp = (root: string, file: string) => relative(root, file).split(sep).join('/');

/** `/components/x/index` or `../loading/loading` from `owner` → `components/x/index`. */
export function resolveUsing(owner: string, spec: string): string {
  return spec.startsWith('/') ? spec.slice(1) : posix.normalize(posix.join(posix.dirname(owner), spec));
}

export function packageApp(appDir: string): AppPackage {
  const appJson = JSON.parse(readFileSync(join(appDir, 'app.json'), 'utf8')) as AppPackage['appJson'];
  const appWxss = join(appDir, 'app.wxss');
  const components: Record<string, ComponentEntry> = {};
  let seq = 0;

  const add = (path: string, tagName: string, isPage: boolean) => {
    if (components[path]) return;
    const base = join(appDir, path);
    const json = existsSync(`${base}.json`)
      ? (JSON.parse(readFileSync(`${base}.json`, 'utf8')) as Record<string, unknown>)
      : {};
    const prefix = `c${++seq}`;
    const entry: ComponentEntry = { prefix, tagName, using: {}, json, wxml: '', css: '' };
    components[path] = entry;
    for (const [tag, spec] of Object.entries((json.usingComponents as Record<string, string>) ?? {})) {
      const target = resolveUsing(path, spec);
      entry.using[tag] = target;
      add(target, tag, false);
    }
    entry.wxml = existsSync(`${base}.wxml`) ? prepareWxml(`${base}.wxml`) : '<slot/>';
    const own = compileWxss(`${base}.wxss`, prefix, tagName);
    // app.wxss reaches pages and our own components (styleIsolation apply-shared), not TDesign's.
    const shared = isPage || !path.startsWith('miniprogram_npm/') ? compileWxss(appWxss, prefix, tagName) : '';
    entry.css = shared + own;
  };
  for (const page of appJson.pages) add(page, 'wx-page', true);
  const subs =
    (
      appJson as {
        subpackages?: { root: string; pages: string[] }[];
        subPackages?: { root: string; pages: string[] }[];
      }
    ).subpackages ??
    (appJson as { subPackages?: { root: string; pages: string[] }[] }).subPackages ??
    [];
  for (const sub of subs) for (const page of sub.pages) add(`${sub.root}/${page}`, 'wx-page', true);

  const scripts: Record<string, string> = {};
  for (const file of walk(appDir).filter((f) => f.endsWith('.js')))
    scripts[toApp(appDir, file).replace(/\.js$/, '')] = readFileSync(file, 'utf8');
  return { appJson, components, scripts };
}
