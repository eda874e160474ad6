import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The documentation cannot rot: every relative link, every cited section and every repository path
 * named in backticks in README.md and docs/ exists, and so does every `docs/…md#section` that code cites.
 */
const ROOT = join(__dirname, '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.data', 'test-artifacts', 'miniprogram_npm']);

function filesUnder(dir: string, keep: (path: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return SKIPPED_DIRS.has(e.name) ? [] : filesUnder(path, keep);
    return keep(path) ? [path] : [];
  });
}

/** The text outside fenced code blocks: headings, links and paths there are prose. */
const prose = (markdown: string): string => markdown.replace(/^```[^\n]*\n[\s\S]*?^```[^\n]*$/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
export function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(markdown).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const text = heading!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[`*_]{1,2}([^`*]+)[`*_]{1,2}/g, '$1');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .trim()
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Ignored paths (build output, local data, the brand file each deployment writes) need not exist. */
function ignoredMatcher(): (path: string) => boolean {
  const patterns = readFileSync(join(ROOT, '.gitignore'), 'utf8')
    .split('\n')
    .map((l) => l.trim());
  const regexes = patterns
    .filter((p) => p && !p.startsWith('#'))
    .map((p) => {
      const dir = p.endsWith('/');
      const body = p
        .replace(/^\/|\/$/g, '')
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '[^/]*');
      return new RegExp(`^${p.includes('/') && !dir ? '' : '(.*/)?'}${body}${dir ? '(/.*)?' : ''}$`);
    });
  return (path) => regexes.some((r) => r.test(path.replace(/\/$/, '')));
}

/** Whether a repository path exists; `<name>` stands for any one entry (`cloudfunctions/<fn>/index.ts`). */
export function pathExists(root: string, path: string): boolean {
  const segments = path.replace(/\/$/, '').split('/');
  const walk = (dir: string, i: number): boolean => {
    if (i === segments.length) return true;
    const segment = segments[i]!;
    if (!segment.includes('<')) return existsSync(join(dir, segment)) && walk(join(dir, segment), i + 1);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    const pattern = new RegExp(`^${segment.replace(/[.+^${}()|[\]\\*]/g, '\\$&').replace(/<[^>]+>/g, '.+')}$`);
    return readdirSync(dir).some((name) => pattern.test(name) && walk(join(dir, name), i + 1));
  };
  return walk(root, 0);
}

export interface Problem {
  file: string;
  what: string;
}

const anchorCache = new Map<string, Set<string>>();
const anchorsOfFile = (path: string): Set<string> => {
  if (!anchorCache.has(path)) anchorCache.set(path, anchorsOf(readFileSync(path, 'utf8')));
  return anchorCache.get(path)!;
};

/** Checks one target (`docs/x.md#section`, `../y.md`, `#here`) resolved from `fromFile`. */
function checkTarget(root: string, fromFile: string, target: string, base = dirname(fromFile)): string | null {
  const [pathPart, anchor] = target.split('#') as [string, string | undefined];
  const path = pathPart === '' ? fromFile : resolve(base, decodeURI(pathPart));
  if (relative(root, path).startsWith('..')) return `${target}: outside the repository`;
  if (!existsSync(path)) return `${target}: no such file`;
  if (anchor !== undefined && path.endsWith('.md') && !anchorsOfFile(path).has(anchor)) {
    return `${target}: no section #${anchor}`;
  }
  return null;
}

export function checkMarkdown(root: string, file: string, text: string, ignored: (p: string) => boolean): Problem[] {
  const problems: Problem[] = [];
  const body = prose(text);
  const topLevel = new Set(readdirSync(root));
  for (const [, target] of body.matchAll(/\]\(([^)\s]+)\)/g)) {
    if (/^[a-z]+:/i.test(target!)) continue; // a web address
    const problem = checkTarget(root, file, target!);
    if (problem) problems.push({ file, what: `link ${problem}` });
  }
  for (const [, code] of body.matchAll(/`([^`]+)`/g)) {
    const path = code!.trim();
    if (/\s/.test(path) || !/^[\w.@-]+(\/[\w.<>@-]*)*$/.test(path)) continue;
    const first = path.split('/')[0]!;
    if (!topLevel.has(first) && !(path.includes('/') && ignored(path))) continue; // not a repository path
    if (ignored(path)) continue;
    if (path.endsWith('.md') || path.includes('.md#')) continue; // checked as a citation below
    if (!pathExists(root, path)) problems.push({ file, what: `path ${path}: does not exist` });
  }
  for (const [cited] of body.matchAll(/\bdocs\/[\w/.-]+\.md(#[\w-]+)?/g)) {
    const problem = checkTarget(root, file, cited, root);
    if (problem) problems.push({ file, what: `citation ${problem}` });
  }
  return problems;
}

/** `docs/…md#section` cited from code, tests, scripts and configuration. */
export function checkCitations(root: string, file: string, text: string): Problem[] {
  return [...text.matchAll(/\bdocs\/[\w/.-]+\.md(#[\w-]+)?/g)].flatMap(([cited]) => {
    const problem = checkTarget(root, file, cited, root);
    return problem ? [{ file: relative(root, file), what: `citation ${problem}` }] : [];
  });
}

const markdownFiles = () => [join(ROOT, 'README.md'), ...filesUnder(join(ROOT, 'docs'), (p) => p.endsWith('.md'))];

test('every link, section and repository path in README.md and docs/ exists', () => {
  const ignored = ignoredMatcher();
  const problems = markdownFiles().flatMap((file) =>
    checkMarkdown(ROOT, file, readFileSync(file, 'utf8'), ignored).map((p) => `${relative(ROOT, p.file)}: ${p.what}`),
  );
  expect(problems).toEqual([]);
});

test('code, tests and scripts cite docs/ sections that exist, and nothing outside the repository', () => {
  const source = /\.(ts|js|json|wxml)$/;
  const roots = ['core', 'server', 'emulator', 'cloudfunctions', 'miniprogram', 'preview', 'scripts', 'test', 'bench'];
  const files = [
    ...roots.flatMap((r) => filesUnder(join(ROOT, r), (p) => source.test(p) && !p.endsWith('index.js'))),
    join(ROOT, '.dependency-cruiser.js'),
  ].filter((f) => f !== __filename); // this file cites broken sections on purpose
  const cited = files.flatMap((f) => checkCitations(ROOT, f, readFileSync(f, 'utf8')));
  expect(cited.map((p) => `${p.file}: ${p.what}`)).toEqual([]);
  // documents outside the repository (a clone does not have them) are never cited
  const outside = /\.\.\/shared\/|ARCHITECTURE\.md|SCENARIOS\.md|CLOUDBASE-WIRE/;
  const citingOutside = [...files, ...markdownFiles()].filter((f) => outside.test(readFileSync(f, 'utf8')));
  expect(citingOutside.map((f) => relative(ROOT, f))).toEqual([]);
});

test("the README's 'where to change X' table names one existing folder a row, and files that are in it", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.split(/^## Where to change X$/m)[1]!.split(/^## /m)[0]!;
  const rows = section
    .split('\n')
    .filter((l) => /^\| [^-]/.test(l))
    .slice(1);
  expect(rows.length).toBeGreaterThanOrEqual(10);
  const problems = rows.flatMap((row) => {
    const [change, goTo, there] = row.split(' | ').map((c) => c.replace(/^\| |\s*\|$/g, ''));
    const folders = [...goTo!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    if (folders.length !== 1 || !folders[0]!.endsWith('/') || !pathExists(ROOT, folders[0]!)) {
      return [`${change}: names ${folders.join(', ') || 'no folder'}`];
    }
    const files = [...there!.matchAll(/`([\w<>/-]+\.(?:ts|json))`/g)].map((m) => folders[0]! + m[1]!);
    return files.filter((f) => !pathExists(ROOT, f)).map((f) => `${change}: ${f} does not exist`);
  });
  expect(problems).toEqual([]);
});

test('the checks catch a broken link, a missing section, a missing path and a missing citation', () => {
  const file = join(ROOT, 'docs', 'probe.md');
  const text = [
    '# Probe',
    'See [the emulator](emulator.md#the-clock), [gone](nowhere.md) and [there](architecture.md#no-such-part).',
    'Code in `server/kit/router.ts`, `cloudfunctions/<fn>/config.json`, `server/kit/absent.ts`, `config/brand.json`.',
    'Cited: docs/emulator-wire.md#transactions and docs/emulator-wire.md#not-a-section.',
    '```',
    '[in a fence](fenced.md) `core/fenced.ts`',
    '```',
  ].join('\n');
  const what = checkMarkdown(ROOT, file, text, ignoredMatcher()).map((p) => p.what);
  expect(what).toEqual([
    'link nowhere.md: no such file',
    'link architecture.md#no-such-part: no section #no-such-part',
    'path server/kit/absent.ts: does not exist',
    'citation docs/emulator-wire.md#not-a-section: no section #not-a-section',
  ]);
});

test('anchors follow GitHub: punctuation dropped, code unwrapped, repeats numbered', () => {
  const markdown = ['# A `getWXContext()` call', '## 3. Configuration', '## Notes', '## Notes'];
  markdown.push('```', '# not a heading', '```');
  const anchors = anchorsOf(markdown.join('\n'));
  expect([...anchors]).toEqual(['a-getwxcontext-call', '3-configuration', 'notes', 'notes-1']);
});
