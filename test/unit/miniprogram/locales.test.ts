import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Every `zh.json` of the Mini Program has an `en.json` beside it with exactly the same keys, at
 * every depth, and a string wherever the other has one: the type check sees a missing key, this
 * also sees an extra one.
 */
const root = join(__dirname, '../../../miniprogram');

const chineseFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return chineseFiles(path);
    return entry.name === 'zh.json' ? [path] : [];
  });

/** `a.b: string` for every leaf, sorted. */
function shapeOf(value: unknown, at = ''): string[] {
  if (value === null || typeof value !== 'object') return [`${at}: ${typeof value}`];
  return Object.entries(value)
    .flatMap(([key, inner]) => shapeOf(inner, at ? `${at}.${key}` : key))
    .sort();
}

const read = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));
const tables = chineseFiles(root).map((zh) => [relative(root, dirname(zh)), zh] as const);

test('the app and its pages keep their words in zh.json and en.json', () => {
  expect(tables.map(([dir]) => dir)).toEqual(expect.arrayContaining(['i18n', 'packageAdmin/pages/member']));
});

test.each(tables)('%s: en.json has the keys of zh.json, no more, no fewer', (_dir, zh) => {
  const en = join(dirname(zh), 'en.json');
  expect(existsSync(en)).toBe(true);
  expect(shapeOf(read(en))).toEqual(shapeOf(read(zh)));
});
