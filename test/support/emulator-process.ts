import { startEmulator } from '../../emulator/emulator';

/** An emulator in its own process (for tests that kill it): node scripts/run-ts.js test/support/emulator-process.ts <dataDir> */
async function main() {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: emulator-process <dataDir>');
  const emu = await startEmulator({ dataDir, functionsDir: '/nonexistent', collections: [{ name: 'ledger' }, { name: 'accounts' }] });
  process.stdout.write(`READY ${emu.url}\n`);
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
