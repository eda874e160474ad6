import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/** The dependency rule (docs/architecture.md#the-dependency-rule), checked on the real tree and shown to catch a violation. */
const ROOT = join(__dirname, '..', '..');

// dependency-cruiser is ESM-only, so it runs as its CLI, as `npm run lint:deps` does
async function violations(paths: string[]) {
  let text: string;
  try {
    text = execFileSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs'),
        ...paths,
        '--config',
        '.dependency-cruiser.js',
        '--output-type',
        'json',
      ],
      { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
  } catch (e) {
    text = (e as { stdout: string }).stdout;
  }
  const output = JSON.parse(text) as {
    summary: { violations: { rule: { name: string }; from: string; to: string }[] };
  };
  return output.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);
}

jest.setTimeout(60_000);

test('core, server, functions, emulator and Mini Program keep the dependency rule and form no cycle', async () => {
  expect(await violations(['core', 'server', 'cloudfunctions', 'emulator', 'miniprogram'])).toEqual([]);
});

test('the rule catches core importing server code or I/O, and the Mini Program importing server values', async () => {
  const dir = join(ROOT, 'core', '__violation_probe__');
  const mp = join(ROOT, 'miniprogram', '__violation_probe__');
  mkdirSync(dir, { recursive: true });
  mkdirSync(mp, { recursive: true });
  try {
    writeFileSync(
      join(dir, 'bad.ts'),
      "import { database } from '../../server/runtime/cloud';\nimport { readFileSync } from 'node:fs';\nexport const x = [database, readFileSync];\n",
    );
    writeFileSync(
      join(mp, 'bad.ts'),
      "import { contracts } from '../../core/contracts';\nimport { login } from '../../server/member-actions/login';\nexport const y = [contracts, login];\n",
    );
    const found = await violations(['core/__violation_probe__', 'miniprogram/__violation_probe__']);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^core-is-pure: core\/__violation_probe__\/bad.ts -> server\//),
        expect.stringMatching(/^core-no-io: core\/__violation_probe__\/bad.ts -> (node:)?fs/),
        expect.stringMatching(/^miniprogram-no-server-code: .* -> server\//),
        expect.stringMatching(/^miniprogram-types-only-from-core: .* -> core\/contracts/),
      ]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(mp, { recursive: true, force: true });
  }
});

test('the rule catches a cycle between modules', async () => {
  const dir = join(ROOT, 'server', '__cycle_probe__');
  mkdirSync(dir, { recursive: true });
  try {
    writeFileSync(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
    writeFileSync(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
    const found = await violations(['server/__cycle_probe__']);
    expect(found).toEqual(
      expect.arrayContaining([expect.stringMatching(/^no-circular: server\/__cycle_probe__\/a.ts -> /)]),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the rule catches a cycle between folders of server/ even where the files form none', async () => {
  const up = join(ROOT, 'server', '__folder_probe_up__');
  const down = join(ROOT, 'server', '__folder_probe_down__');
  mkdirSync(up, { recursive: true });
  mkdirSync(down, { recursive: true });
  try {
    writeFileSync(join(up, 'rule.ts'), 'export const rule = 1;\n');
    writeFileSync(
      join(down, 'uses-up.ts'),
      "import { rule } from '../__folder_probe_up__/rule';\nexport const d = rule;\n",
    );
    writeFileSync(
      join(up, 'action.ts'),
      "import { d } from '../__folder_probe_down__/uses-up';\nexport const a = d;\n",
    );
    const found = await violations(['server/__folder_probe_up__', 'server/__folder_probe_down__']);
    expect(found).toEqual(
      expect.arrayContaining([
        'no-folder-cycles: server/__folder_probe_up__ -> server/__folder_probe_down__',
        'no-folder-cycles: server/__folder_probe_down__ -> server/__folder_probe_up__',
      ]),
    );
    expect(found.filter((v) => v.startsWith('no-circular'))).toEqual([]);
  } finally {
    rmSync(up, { recursive: true, force: true });
    rmSync(down, { recursive: true, force: true });
  }
});
