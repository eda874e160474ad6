import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Emulator } from '../../emulator/emulator';
import { testEmulator } from '../support/emulator';

/** The commands a developer types beside the emulator: `npm run invoke` and the banner of `npm start`. */

jest.setTimeout(120_000);

const ROOT = join(__dirname, '..', '..');
const run = promisify(execFile);

function invoke(args: string[], env: NodeJS.ProcessEnv) {
  const options = { cwd: ROOT, env: { ...process.env, PORT: '', EMULATOR_URL: '', ...env } };
  return run(process.execPath, ['scripts/run-ts.js', 'scripts/invoke.ts', ...args], options);
}

/** A port nothing listens on: taken from the system, then let go. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm run invoke', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await testEmulator();
  });
  afterAll(() => emu?.close());

  test('calls the emulator on the PORT it runs on, as the given user', async () => {
    const port = new URL(emu.url).port;
    const args = ['member', '--openid', 'o_invoke_port', '--data', '{"action":"login"}'];
    const { stdout } = await invoke(args, { PORT: port });
    const answer = JSON.parse(stdout) as { result: { ok: boolean } };
    expect(answer.result.ok).toBe(true);
    const [call] = emu.runtime.invocations(1);
    expect([call?.fn, call?.openid, call?.source]).toEqual(['member', 'o_invoke_port', 'wx_client']);
  });

  test('names the URL it could not reach instead of a bare "fetch failed"', async () => {
    const port = await closedPort();
    const failed = await invoke(['member', '--data', '{"action":"login"}'], { PORT: String(port) }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    const url = `http://127.0.0.1:${port}/invoke/member`;
    expect(failed?.stderr).toContain(`could not reach the emulator at ${url} (ECONNREFUSED)`);
  });
});

describe('npm start', () => {
  let child: ChildProcess | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'start-banner-'));
  afterAll(() => {
    child?.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('prints the invoke and clock commands the README gives, and both work as printed', async () => {
    const port = await closedPort();
    const env = { ...process.env, PORT: String(port), DATA_DIR: dataDir };
    child = spawn(process.execPath, ['scripts/run-ts.js', 'scripts/start.ts'], { cwd: ROOT, env });
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        if (/\n\s+data\s+\S.*\n/.test(out)) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`npm start ended (${code}) before its banner: ${out}`)));
    });
    const line = (name: string) =>
      out
        .split('\n')
        .find((l) => l.trim().startsWith(name))
        ?.trim()
        .slice(name.length)
        .trim();
    const invokeLine = line('invoke');
    const clockLine = line('clock');
    expect(invokeLine).toBe(`PORT=${port} npm run invoke -- member --openid o_demo --data '{"action":"login"}'`);
    expect(clockLine).toBe(`curl -X POST 127.0.0.1:${port}/clock -d '{"advance":"47h"}'`);

    // npm's own lines ("> member-centre@… invoke") kept out of stdout, so what remains is the answer
    const shell = { cwd: ROOT, env: { ...process.env, PORT: '', npm_config_loglevel: 'silent' } };
    const invoked = await run('sh', ['-c', invokeLine!], shell);
    expect((JSON.parse(invoked.stdout) as { result: { ok: boolean } }).result.ok).toBe(true);
    const before = (await (await fetch(`http://127.0.0.1:${port}/clock`)).json()) as { now: string };
    await run('sh', ['-c', `${clockLine!} --silent`], shell);
    const after = (await (await fetch(`http://127.0.0.1:${port}/clock`)).json()) as { now: string };
    expect(Date.parse(after.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(47 * 3_600_000);
  });
});
