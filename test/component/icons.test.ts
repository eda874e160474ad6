import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * Icons ship inside the package: TDesign's icon font comes from a CDN a phone may not reach, so no
 * template names a font icon (a t-cell `arrow`, an `icon`/`*-icon` attribute without a path), every
 * icon path points at a PNG in the package, and the tab bar has its own images within the platform's
 * 40 KB per image.
 */
const SRC = join(__dirname, '..', '..', 'miniprogram');
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? walk(join(dir, n)) : [join(dir, n)]));
const templates = walk(SRC).filter((f) => f.endsWith('.wxml'));

test('no template uses a font icon', () => {
  const found: string[] = [];
  for (const file of templates) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/<t-cell\b[^>]*?\sarrow(?=[\s/>=])/g))
      found.push(`${relative(SRC, file)}: ${m[0].slice(0, 40)}… arrow`);
    for (const m of text.matchAll(/\s((?:[a-z]+-)?icon)="([^"{/]+)"/g))
      found.push(`${relative(SRC, file)}: ${m[1]}="${m[2]}"`);
    for (const m of text.matchAll(/<t-icon\b[^>]*\sname="([^"{/]+)"/g))
      found.push(`${relative(SRC, file)}: t-icon ${m[1]}`);
  }
  expect(found).toEqual([]);
});

test('every icon path is a PNG in the package', () => {
  const paths = new Set(
    templates.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/"(\/assets\/[^"]+)"/g)].map((m) => m[1]!)),
  );
  expect(paths.size).toBeGreaterThan(0);
  for (const p of paths)
    expect({ p, exists: existsSync(join(SRC, p)) && p.endsWith('.png') }).toEqual({ p, exists: true });
});

test('every tab has its icon and selected icon, each a PNG under 40 KB', () => {
  const app = JSON.parse(readFileSync(join(SRC, 'app.json'), 'utf8')) as {
    tabBar: { list: { iconPath?: string; selectedIconPath?: string }[] };
  };
  for (const tab of app.tabBar.list) {
    for (const p of [tab.iconPath, tab.selectedIconPath]) {
      expect(p).toMatch(/\.png$/);
      const file = join(SRC, p!);
      expect(readFileSync(file).subarray(1, 4).toString()).toBe('PNG');
      expect(statSync(file).size).toBeLessThan(40 * 1024);
    }
  }
});
