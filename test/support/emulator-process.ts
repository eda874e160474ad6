import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { EmulatorOptions } from '../../emulator/emulator';

const ROOT = join(__dirname, '..', '..');

/** EMULATOR_CPU_PROF_DIR=<dir>: the emulator process (and its instances) write V8 CPU profiles there as they end. */
export const profileArgs = (): string[] => {
  const dir = process.env.EMULATOR_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
};

/** Starts scripts/emulator-process.ts and resolves with its URL once it listens. */
export function spawnEmulator(options: Partial<EmulatorOptions>): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...profileArgs(), join(ROOT, 'scripts', 'run-ts.js'), 'scripts/emulator-process.ts', JSON.stringify(options)],
      { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = out.match(/READY (\S+)/);
      if (m) resolve({ child, url: m[1] as string });
    });
    child.on('exit', (code) => reject(new Error(`emulator exited early (${code})`)));
  });
}
