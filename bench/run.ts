import { appointmentsBench } from './appointments-bench';
import { emulatorBench } from './emulator-bench';
import { report, type BenchResult } from './harness';
import { memberBench } from './member-bench';
import { messagingBench } from './messaging-bench';
import { ordersBench } from './orders-bench';
import { claimsBench } from './value-ledger-bench';

/**
 * `npm run bench`: every speed and memory target of the product, measured side by side in one run.
 * BENCH_LARGE sets the size of the large collections (default 1,000,000); BENCH_ONLY=a,b runs some suites.
 */
const suites: Record<string, (large: number) => Promise<BenchResult[]>> = {
  emulator: (large) => emulatorBench({ large }),
  member: (large) => memberBench({ members: large }),
  ledger: () => claimsBench(),
  orders: (large) => ordersBench({ members: Math.min(large, 100_000) }),
  appointments: () => appointmentsBench(),
  messaging: (large) => messagingBench({ large }),
};

async function main(): Promise<void> {
  const large = Number(process.env.BENCH_LARGE ?? 1_000_000);
  const only = process.env.BENCH_ONLY?.split(',').filter(Boolean);
  const results: BenchResult[] = [];
  for (const [name, run] of Object.entries(suites)) {
    if (only && !only.includes(name)) continue;
    console.log(`— ${name}`);
    results.push(...(await run(large)));
  }
  report(results);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
