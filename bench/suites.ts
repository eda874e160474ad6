import { adminBench } from './admin-bench';
import { appointmentsBench } from './appointments-bench';
import { behaviourBench } from './behaviour-bench';
import { emulatorBench } from './emulator-bench';
import { flowsBench } from './flows-bench';
import type { BenchResult } from './harness';
import { importBench } from './import-bench';
import { knownOrdersBench } from './known-orders-bench';
import { memberBench } from './member-bench';
import { messagingBench } from './messaging-bench';
import { ordersBench } from './orders-bench';
import { segmentsBench } from './segments-bench';
import { bulkTagBench } from './bulk-tag-bench';
import { rebuildBench } from './rebuild-bench';
import { timersBench } from './timers-bench';
import { claimsBench } from './value-ledger-bench';

/** Every benchmark suite by name; `large` is the size of the large collections. */
export const suites: Record<string, (large: number) => Promise<BenchResult[]>> = {
  emulator: (large) => emulatorBench({ large }),
  member: (large) => memberBench({ members: large }),
  ledger: () => claimsBench(),
  orders: (large) => ordersBench({ members: large }),
  rebuild: (large) => rebuildBench(large),
  appointments: () => appointmentsBench(),
  messaging: (large) => messagingBench({ large }),
  admin: (large) => adminBench({ members: large }),
  segments: (large) => segmentsBench({ large }),
  // a saved segment of BENCH_BULK_TAG_MEMBERS (100,000) tagged, the instance killed part-way
  'segments-bulk': () => bulkTagBench(),
  behaviour: (large) => behaviourBench({ members: large }),
  import: (large) => importBench(large),
  // the same flows without and with 10 ms per database call and per invocation, side by side
  flows: () => flowsBench(0),
  'flows-10ms': () => flowsBench(10),
  // known members' order sync alone, without and with 10 ms per call: BENCH_ONLY=known-orders,known-orders-10ms
  'known-orders': () => knownOrdersBench(0),
  'known-orders-10ms': () => knownOrdersBench(10),
  // every timer's longest run under mixed load, without and with 10 ms per call
  timers: () => timersBench(0),
  'timers-10ms': () => timersBench(10),
};

/**
 * Runs one suite in this process and prints its results as one JSON line: each suite gets a
 * process of its own, since wx-server-sdk is a per-process singleton bound to one emulator.
 */
if (process.argv[1] === __filename) {
  const [name, large] = process.argv.slice(2);
  const run = suites[name ?? ''];
  if (!run) throw new Error(`unknown suite ${name}; one of ${Object.keys(suites).join(', ')}`);
  run(Number(large)).then(
    (results) => {
      process.stdout.write(`RESULTS ${JSON.stringify(results)}\n`);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
