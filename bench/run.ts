import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { report, type BenchResult } from './harness';
import { suites } from './suites';

/**
 * `npm run bench`: every speed and memory target of the product, each suite in its own process,
 * one after another in one run. BENCH_LARGE sets the size of the large collections (default
 * 1,000,000); BENCH_ONLY=a,b runs some suites. A suite that fails is reported as a miss.
 */
function main(): void {
  const large = Number(process.env.BENCH_LARGE ?? 1_000_000);
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  const root = join(__dirname, '..');
  const results: BenchResult[] = [];
  for (const name of Object.keys(suites)) {
    if (only && !only.includes(name)) continue;
    console.log(`— ${name}`);
    const run = spawnSync(
      process.execPath,
      [join(root, 'scripts', 'run-ts.js'), 'bench/suites.ts', name, String(large)],
      { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 * 1024 * 1024 },
    );
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULTS '));
    const rows: BenchResult[] = line
      ? (JSON.parse(line.slice('RESULTS '.length)) as BenchResult[])
      : [{ name: `${name} suite ran to the end`, value: 0, unit: 'bool', target: '>= 1', ok: false }];
    for (const r of rows) console.log(`  ${r.ok ? 'ok  ' : 'MISS'}  ${r.name}: ${r.value} ${r.unit} (${r.target})`);
    results.push(...rows);
  }
  report(results);
}

main();
