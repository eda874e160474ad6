import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/emulator';
import { seedDocuments } from '../emulator/seed';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { ROOT } from './build-functions';
import { demoBrand } from './seed/demo-brand';

/** The emulator with the product's functions, schema, HTTP routes and the demo brand: what `npm start` and `npm run preview` run. */
export async function startLocalCloud(opts: { port: number; dataDir: string | null; root?: string }): Promise<{ emu: Emulator; seeded: number }> {
  // `npm start` runs a bundle from dist/, so it passes the project root it was started in
  const emu = await startEmulator({ port: opts.port, dataDir: opts.dataDir, functionsDir: join(opts.root ?? ROOT, 'cloudfunctions'), collections, httpRoutes, realTimeTimersMs: 15_000 });
  const seeded = seedDocuments(emu, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  return { emu, seeded };
}

/** Runs until SIGINT/SIGTERM, then closes what was started. */
export function closeOnSignal(close: () => Promise<void>): void {
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
