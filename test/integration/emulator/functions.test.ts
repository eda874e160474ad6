import { rmSync } from 'node:fs';
import type { Emulator } from '../../../emulator/emulator';
import { startEmulator } from '../../../emulator/emulator';
import { buildFixtureFunctions } from '../../support/fixtures';
import { as } from '../../support/client';
import { connectSdk, type Sdk } from '../../support/sdk';

/** The function runtime: per-invocation context, errors, timeouts from config.json, callFunction, timers on the emulator clock. */
let emu: Emulator;
let dir: string;
let db: Sdk['db'];

beforeAll(async () => {
  dir = buildFixtureFunctions();
  emu = await startEmulator({ functionsDir: dir, collections: [{ name: 'probe_log' }] });
  ({ db } = connectSdk(emu));
});
afterAll(async () => {
  await emu.close();
  rmSync(dir, { recursive: true, force: true });
});

test('each invocation sees its own OPENID, UNIONID, APPID and SOURCE, even when run concurrently', async () => {
  const users = Array.from({ length: 12 }, (_v, i) => `o_user_${i}`);
  const answers = await Promise.all(
    users.map((u) => as(emu, u, { unionid: `u_${u}` }).raw('probe', { probe: 'context' })),
  );
  answers.forEach((a, i) => {
    const r = a.result as { ctx: Record<string, unknown>; event: Record<string, unknown> };
    expect(r.ctx).toMatchObject({
      OPENID: users[i],
      UNIONID: `u_${users[i]}`,
      APPID: emu.options.appid,
      SOURCE: 'wx_client',
      ENV: emu.options.envId,
    });
    expect(r.ctx).not.toHaveProperty('API_TOKEN');
    expect(r.event.userInfo).toEqual({ appId: emu.options.appid, openId: users[i] });
  });
});

test('a thrown error comes back in the platform shape and is logged', async () => {
  const r = await as(emu, 'o_x').raw('probe', { probe: 'throw' });
  expect(r.errCode).toBe(-404011);
  expect(r.errMsg).toContain('boom from probe');
  const [inv] = emu.runtime.invocations(1, 'probe');
  expect(inv).toMatchObject({ ok: false, error: { message: 'boom from probe' } });
});

test('the timeout from config.json ends a slow invocation with an error naming the limit; the next call works', async () => {
  const r = await as(emu, 'o_x').raw('probe', { probe: 'sleep', ms: 3000 });
  expect(r.errCode).toBe(-504003);
  expect(r.errMsg).toMatch(/timed out after 1 seconds/);
  expect((await as(emu, 'o_x').raw('probe', { probe: 'sleep', ms: 10 })).result).toEqual({ slept: 10 });
});

test('unknown functions and malformed invoke bodies get clear errors', async () => {
  expect((await as(emu, 'o_x').raw('nope', {})).errCode).toBe(-501000);
  const res = await fetch(`${emu.url}/invoke/probe`, { method: 'POST', body: '{"data": [1,2' });
  expect(await res.json()).toMatchObject({ errCode: -501007 });
});

test('cloud.callFunction between functions passes the caller through', async () => {
  const r = (await as(emu, 'o_caller').raw('probe', { probe: 'call' })).result as { ctx: Record<string, unknown> };
  expect(r.ctx).toMatchObject({ OPENID: 'o_caller', SOURCE: 'wx_function' });
});

test('provisioned instances (warmInstancesPerFunction) start with the emulator, before any call', async () => {
  const warm = await startEmulator({
    functionsDir: dir,
    collections: [{ name: 'probe_log' }],
    warmInstancesPerFunction: 2,
  });
  try {
    expect(warm.runtime.instanceCount('probe')).toBe(2);
    expect(emu.runtime.instanceCount('nothing-here')).toBe(0);
    expect((await as(warm, 'o_warm').raw('probe', { probe: 'context' })).result).toMatchObject({
      ctx: { OPENID: 'o_warm' },
    });
    expect(warm.runtime.instanceCount('probe')).toBe(2);
  } finally {
    await warm.close();
  }
});

test('database calls are counted per invocation', async () => {
  await as(emu, 'o_x').raw('probe', { probe: 'write', tag: 'count-me' });
  const [inv] = emu.runtime.invocations(1, 'probe');
  expect(inv?.dbCalls).toBe(1);
});

test('moving the clock fires due timer triggers in order, with the clock at each firing', async () => {
  await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ set: '2026-07-01T00:10:00+08:00' }) });
  const res = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: '2h' }) });
  const { fired } = (await res.json()) as { fired: { at: string; ok: boolean }[] };
  expect(fired.map((f) => f.at)).toEqual([
    '2026-06-30T16:30:00.000Z',
    '2026-06-30T17:00:00.000Z',
    '2026-06-30T17:30:00.000Z',
    '2026-06-30T18:00:00.000Z',
  ]);
  expect(fired.every((f) => f.ok)).toBe(true);
  const logged = (await db.collection('probe_log').where({ trigger: 'every-30-min' }).orderBy('at', 'asc').get()).data;
  expect(logged.map((d: { at: Date }) => d.at.toISOString().slice(0, 16))).toEqual([
    '2026-06-30T16:30',
    '2026-06-30T17:00',
    '2026-06-30T17:30',
    '2026-06-30T18:00',
  ]);
});

test('a function sees the emulator clock as its clock offset', async () => {
  const r = (await as(emu, 'o_x').raw('probe', { probe: 'context' })).result as { clockOffset: string };
  expect(Math.abs(Number(r.clockOffset) - emu.clock.offset)).toBeLessThan(5);
});

test('a bad clock request is refused and the clock does not move', async () => {
  const before = emu.clock.now().getTime();
  const res = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: 'soon' }) });
  expect(res.status).toBe(400);
  expect(Math.abs(emu.clock.now().getTime() - before)).toBeLessThan(1000);
});

test('the real-time timer check (npm start) fires a trigger whose time came while the clock ran on its own', async () => {
  const live = await startEmulator({ functionsDir: dir, collections: [{ name: 'probe_log' }] });
  try {
    // just before a half hour, Beijing time; then real time runs over it and the check (what the ticker calls) fires it once
    live.clock.set(new Date('2026-07-01T10:29:59.600+08:00'));
    await live.moveClock(live.clock.now());
    await new Promise((r) => setTimeout(r, 1000));
    const fired = await live.moveClock(null);
    expect(fired).toEqual([
      expect.objectContaining({ fn: 'probe', trigger: 'every-30-min', at: '2026-07-01T02:30:00.000Z', ok: true }),
    ]);
    expect(await live.moveClock(null)).toEqual([]);
  } finally {
    await live.close();
  }
});

test('timers can be chosen one by one (`function:trigger`), so a clock-driven test runs only what it studies', async () => {
  const pick = async (only: string[]) => {
    const e = await startEmulator({ functionsDir: dir, collections: [{ name: 'probe_log' }], timerFunctions: only });
    try {
      e.clock.set(new Date('2026-07-01T10:00:00+08:00'));
      return (await e.moveClock(new Date('2026-07-01T11:00:00+08:00'))).map((f) => `${f.fn}:${f.trigger}`);
    } finally {
      await e.close();
    }
  };
  expect(await pick(['probe:every-30-min'])).toEqual(['probe:every-30-min', 'probe:every-30-min']);
  expect(await pick(['probe:nightly'])).toEqual([]);
  expect(await pick(['probe'])).toHaveLength(2);
});
