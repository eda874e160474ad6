import { emulatorBench } from './emulator-bench';
import { memberBench } from './member-bench';
import { report, type BenchResult } from './harness';

/**
 * `npm run bench`: every speed and memory target of the product, measured side by side in one run.
 * BENCH_LARGE sets the size of the large collections (default 1,000,000).
 */
async function main(): Promise<void> {
  const large = Number(process.env.BENCH_LARGE ?? 1_000_000);
  const results: BenchResult[] = [];
  results.push(...(await emulatorBench({ large })));
  results.push(...(await memberBench({ members: large })));
  report(results);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
