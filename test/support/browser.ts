import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium: the browser the console tests run in (`.ci/run` installs it). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Makes sure Debian's chromium is installed, installing it with apt-get when we are root.
 * Slow the first time (a minute or more): call it from a `beforeAll` with a generous timeout.
 * The dpkg lock timeout lets a second installer wait for one already running instead of failing.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let why = 'not root, so it cannot be installed from here';
  if (isRoot) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    const lock = ['-o', 'DPkg::Lock::Timeout=600'];
    try {
      execFileSync('apt-get', [...lock, 'update'], { env, stdio: 'pipe', timeout: 600_000 });
      execFileSync('apt-get', [...lock, 'install', '-y', 'chromium'], { env, stdio: 'pipe', timeout: 600_000 });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      why = `apt-get failed: ${err.stderr?.toString().trim().split('\n').slice(-5).join(' | ') || err.message}`;
    }
  }
  if (!existsSync(CHROMIUM))
    throw new Error(
      `Chromium is required for the console tests but ${CHROMIUM} is missing (${why}). Install it with: apt-get install -y chromium`,
    );
  return CHROMIUM;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: ensureChromium(), args: CHROMIUM_ARGS });
}
