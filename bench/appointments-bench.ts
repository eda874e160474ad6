import { loadavg } from 'node:os';
import { startEmulator } from '../emulator/emulator';
import { seedDocuments } from '../emulator/seed';
import { buildFunctions, FUNCTIONS_DIR } from '../scripts/build-functions';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { as } from '../test/support/client';
import { STORE, T0, seedBrand, seedMembers, sh } from '../test/integration/appointments/fixtures';
import { atLeast, atMost, info, latencies, percentile, pool, type BenchResult } from './harness';
import { processTreeCpu } from './process-cpu';

/** The command line of the booking function's instances (the emulator starts one process per instance). */
const BOOKING_INSTANCES = 'cloudfunctions/appointments/';

/**
 * Issue 7: booking throughput through the built `appointments` function (8 instances, the real
 * SDK) on one hot slot and spread over many slots, and the cost of a month of availability.
 * APPOINTMENTS_BENCH_N sets the bookings per run (default 200).
 */
export async function appointmentsBench(
  n = Math.min(1000, Number(process.env.APPOINTMENTS_BENCH_N ?? 200)),
): Promise<BenchResult[]> {
  buildFunctions();
  const emu = await startEmulator({
    functionsDir: FUNCTIONS_DIR,
    collections,
    httpRoutes,
    maxInstancesPerFunction: 8,
    startAt: T0,
  });
  const results: BenchResult[] = [];
  try {
    seedBrand(emu);
    // a slot big enough that every booking succeeds: all of them queue on one counter document
    seedDocuments(emu, {
      services: [
        {
          _id: 'svc_bench_hot',
          storeIds: [STORE],
          name: { zh: '压测' },
          durationMinutes: 60,
          capacityPerSlot: 1000,
          bookingWindowDays: 60,
        },
      ],
    });
    const hot = seedMembers(
      emu,
      Array.from({ length: n }, (_, i) => `o_bench_hot_${i}`),
    ).map((_, i) => `o_bench_hot_${i}`);
    const spread = seedMembers(
      emu,
      Array.from({ length: n }, (_, i) => `o_bench_many_${i}`),
    ).map((_, i) => `o_bench_many_${i}`);
    emu.runtime.warm(8);
    // cold starts (loading the SDK) are not what is measured: let every instance start first
    await pool(8, 8, () =>
      as(emu, 'o_bench_hot_0')
        .call('appointments', 'catalogue', {})
        .catch(() => undefined),
    );

    let failed = 0;
    const codes = new Set<string>();
    const hotStart = sh('2026-12-10', '15:00');
    const hotMs = await pool(n, 16, async (i) => {
      const r = await as(emu, hot[i]!).call('appointments', 'book', {
        storeId: STORE,
        serviceId: 'svc_bench_hot',
        start: hotStart,
      });
      if (!r.ok) {
        failed++;
        codes.add(`${r.error.code} ${r.error.message}`);
      }
    });
    results.push(
      atLeast('appointments: bookings of one hot slot (16 in flight)', (n / hotMs) * 1000, 'bookings/s', 10),
    );

    // member i books day i % 20, hour 10 + (i / 20) % 12: distinct slots of the fitting service (capacity 2)
    const emuCpu0 = process.cpuUsage();
    const cpu0 = processTreeCpu(process.pid);
    const own0 = processTreeCpu(process.pid, BOOKING_INSTANCES);
    const manyMs = await pool(n, 16, async (i) => {
      const day = String(2 + (i % 20)).padStart(2, '0');
      const hour = String(10 + (Math.floor(i / 20) % 12)).padStart(2, '0');
      const r = await as(emu, spread[i]!).call('appointments', 'book', {
        storeId: STORE,
        serviceId: 'svc_fit',
        start: sh(`2026-12-${day}`, `${hour}:00`),
      });
      if (!r.ok) {
        failed++;
        codes.add(`${r.error.code} ${r.error.message}`);
      }
    });
    const emuCpu = process.cpuUsage(emuCpu0);
    const cpu1 = processTreeCpu(process.pid);
    const own1 = processTreeCpu(process.pid, BOOKING_INSTANCES);
    results.push(
      atLeast('appointments: bookings spread over many slots (16 in flight)', (n / manyMs) * 1000, 'bookings/s', 200),
    );
    const perBooking = emu.runtime.invocations(n, 'appointments');
    const callsEach = perBooking.reduce((s, x) => s + x.dbCalls, 0) / Math.max(1, perBooking.length);
    results.push(info('appointments:   database calls per booking', callsEach, 'calls'));
    results.push(
      info('appointments:   CPU per booking in the emulator', (emuCpu.user + emuCpu.system) / 1000 / n, 'ms'),
    );
    results.push(
      info('appointments:   CPU per booking in the instances', (cpu1.descendants - cpu0.descendants) / n, 'ms'),
    );
    results.push(
      info(
        'appointments:   of which in the appointments instances (the others idle or run timers)',
        (own1.descendants - own0.descendants) / n,
        'ms',
      ),
    );
    results.push(info('appointments:   load average (1 min) at the end of the run', loadavg()[0]!, ''));
    if (codes.size) console.warn(`refused: ${[...codes].join(', ')}`);
    results.push(atMost('appointments: bookings refused in the throughput runs', failed, 'bookings', 0));

    const month = await latencies(20, () =>
      as(emu, 'o_bench_hot_0').ok('appointments', 'availability', {
        storeId: STORE,
        serviceId: 'svc_fit',
        from: '2026-12-01',
        days: 31,
      }),
    );
    const calls = emu.runtime.invocations(1, 'appointments')[0]?.dbCalls ?? Infinity;
    results.push(atMost("appointments: database calls for a store's month of availability", calls, 'calls', 2));
    results.push(info('appointments: month of availability p50', percentile(month, 50), 'ms'));
  } finally {
    await emu.close();
  }
  return results;
}

if (process.argv.slice(1, 3).some((a) => a.endsWith('appointments-bench.ts'))) {
  appointmentsBench().then(
    (r) => {
      console.table(r);
      process.exit(0);
    },
    (e) => {
      console.error(e);
      process.exit(1);
    },
  );
}
