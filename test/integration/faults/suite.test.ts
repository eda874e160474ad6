import { rmSync } from 'node:fs';
import { FLOWS, clearFaults, clock, faultEmulator, post, violations, type Suite } from './support';

/**
 * The product's flows (claim, order sync with points, booking, message dispatch, journey tick)
 * under each fault production has, then the invariants: balance equals the ledger, stock never
 * oversold, a slot never over its capacity, no outbox key delivered twice, nothing pending forever.
 * Clients retry what failed, as they do in the field (same requestId, same order batch).
 */
let s: Suite;

beforeAll(async () => {
  s = await faultEmulator();
});
afterAll(async () => {
  await s?.emu.close();
  if (s) rmSync(s.dir, { recursive: true, force: true });
});

/** After the fault: time passes (every timer runs, one run at a time), then the invariants are read. */
async function settle(): Promise<void> {
  await clearFaults(s.emu);
  for (let i = 0; i < 4; i++) await clock(s.emu, { advance: '5m' });
}

async function runFlows(round: string, timers: () => Promise<void>): Promise<void> {
  for (const f of FLOWS) await f.run(s, `${round}${FLOWS.indexOf(f)}`);
  await timers();
}

const FAULTS: { name: string; inject: () => Promise<void>; timers?: () => Promise<void> }[] = [
  {
    name: 'a database commit whose answer is lost after it committed',
    inject: async () => {
      await post(s.emu, '/functions/faults', { kind: 'lostAnswer', action: 'database.commitTransaction', times: 6 });
      await post(s.emu, '/functions/faults', {
        kind: 'lostAnswer',
        action: 'database.modifyDocument',
        collection: 'outbox',
        times: 2,
      });
    },
  },
  {
    name: 'an instance killed mid-invocation',
    inject: async () => {
      for (const fn of ['coupons', 'orders', 'appointments', 'member'])
        await post(s.emu, '/functions/faults', { kind: 'kill', fn, afterMs: 40, times: 1 });
      await post(s.emu, '/functions/faults', { kind: 'kill', fn: 'messaging', afterMs: 300, times: 2 });
    },
  },
  {
    name: 'timer runs that overlap the previous one',
    inject: async () => {
      await post(s.emu, '/openapi/faults', { apiName: 'subscribeMessage.send', delayMs: 1_500, times: 6 });
    },
    timers: async () => {
      await clock(s.emu, { advance: '6m', overlap: true });
    },
  },
  {
    name: 'WeChat answering slowly for minutes',
    inject: async () => {
      await post(s.emu, '/openapi/faults', { apiName: 'subscribeMessage.send', delayMs: 16_000, forMs: 3 * 60_000 });
    },
  },
];

const runs: string[] = [];

describe.each(FAULTS.map((f, i) => [f.name, f, i] as const))('faults: %s', (_name, fault, i) => {
  test(`claim, order sync with points, booking, message dispatch, journey tick: every invariant holds`, async () => {
    await fault.inject();
    await runFlows(`r${i}`, fault.timers ?? (async () => void (await clock(s.emu, { advance: '6m' }))));
    // every kill and lost answer injected was taken by a call of the flows
    expect(((await (await fetch(`${s.emu.url}/functions/faults`)).json()) as { faults: unknown[] }).faults).toEqual([]);
    await settle();
    runs.push(...FLOWS.map((f) => `${f.name} × ${fault.name}`));
    expect(await violations(s)).toEqual([]);
  });
});

test('the suite ran every flow under every fault', () => {
  expect(runs).toHaveLength(FLOWS.length * FAULTS.length);
});
