import { startEmulator, type EmulatorOptions } from '../emulator/emulator';

/**
 * An emulator in a process of its own, for tests that kill it and benchmarks that keep the load
 * generator apart: node scripts/run-ts.js scripts/emulator-process.ts '<EmulatorOptions JSON>'
 * Prints `READY <url>` once listening.
 */
async function main() {
  const options = JSON.parse(process.argv[2] ?? '{}') as Partial<EmulatorOptions>;
  const emu = await startEmulator(options);
  process.stdout.write(`READY ${emu.url}\n`);
  const stop = () => emu.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
