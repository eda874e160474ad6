import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { buildFixtureFunctions } from '../../support/fixtures';
import { as } from '../../support/client';
import { rawAdmin } from '../../support/sdk';

/**
 * The latency model (docs/benchmarks.md "Latency model"): off by default, a delay per database call
 * and per invocation when given; and the call figures the cost model reads (docs/cost.md).
 */
let dir: string;
let slow: Emulator;
let plain: Emulator;
const DB_MS = 60;
const INVOKE_MS = 80;

beforeAll(async () => {
  dir = buildFixtureFunctions();
  const collections = [{ name: 'probe_log' }];
  const latency = { databaseMs: DB_MS, invocationMs: INVOKE_MS };
  slow = await startEmulator({ functionsDir: dir, collections, latency });
  plain = await startEmulator({ functionsDir: dir, collections });
});
afterAll(async () => {
  await Promise.all([slow.close(), plain.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const count = { action: 'database.calculateDocument', collectionName: 'probe_log', query: '{}', queryType: 'WHERE' };

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return performance.now() - t;
}

test('each database call waits the configured delay before it is answered, and is answered as without it', async () => {
  let answer: Record<string, unknown> = {};
  const ms = await elapsed(async () => (answer = await rawAdmin(slow, count)));
  expect(ms).toBeGreaterThanOrEqual(DB_MS - 1);
  expect(answer).toMatchObject({ data: { total: 0 } });
  expect(await rawAdmin(plain, count)).toMatchObject({ data: { total: 0 } });
});

test('each invocation waits the configured delay before its instance runs it', async () => {
  await as(slow, 'o_lat').raw('probe', { probe: 'sleep', ms: 1 }); // the instance starts outside the timed call
  const ms = await elapsed(() => as(slow, 'o_lat').raw('probe', { probe: 'sleep', ms: 1 }));
  expect(ms).toBeGreaterThanOrEqual(INVOKE_MS - 1);
  const [inv] = slow.runtime.invocations(1, 'probe');
  expect(inv?.durationMs).toBeGreaterThanOrEqual(INVOKE_MS - 1);
});

test("the invocation log counts a function's database writes and reads apart (docs/cost.md)", async () => {
  await as(plain, 'o_cost').raw('probe', { probe: 'write', tag: 'cost' });
  const [inv] = plain.runtime.invocations(1, 'probe');
  expect(inv).toMatchObject({ ok: true, dbCalls: 1, dbWrites: 1, dbReads: 0 });
});
