import { join } from 'node:path';
import { startEmulator, type Emulator } from '../emulator/emulator';
import { seedDocuments } from '../emulator/seed';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { ROOT } from './build-functions';
import { demoBrand } from './seed/demo-brand';
import { playDemoStory, type DemoStory } from './seed/demo-story';

/**
 * The emulator with the product's functions, schema, HTTP routes and the demo brand: what `npm start`
 * and `npm run preview` run. The brand's set-up (stores, staff, templates) is loaded as documents;
 * its members' story is played through the product (scripts/seed/demo-story.ts) once functions are built,
 * then the nightly statistics timer runs once, so a fresh dashboard charts yesterday instead of nothing.
 */
export async function startLocalCloud(opts: {
  port: number;
  dataDir: string | null;
  root?: string;
}): Promise<{ emu: Emulator; seeded: number; story: DemoStory | null }> {
  // `npm start` runs a bundle from dist/, so it passes the project root it was started in
  const functionsDir = join(opts.root ?? ROOT, 'cloudfunctions');
  const { port, dataDir } = opts;
  const emu = await startEmulator({ port, dataDir, functionsDir, collections, httpRoutes, realTimeTimersMs: 15_000 });
  const seeded = seedDocuments(emu, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  const story = emu.runtime.functions.size > 0 ? await playDemoStory(emu) : null;
  if (story) await runStatsTimer(emu);
  return { emu, seeded, story };
}

/**
 * Fires the statistics timers (`orders:dailyStats`, then `orders:insightStats`, which reads its rows) now,
 * as the platform does just after midnight, so the dashboard and the insight reports have a day to show.
 */
export async function runStatsTimer(emu: Emulator): Promise<void> {
  for (const trigger of ['dailyStats', 'insightStats']) {
    const event = { Type: 'Timer', TriggerName: trigger, Time: emu.clock.now().toISOString(), Message: '' };
    const inv = await emu.runtime.invoke('orders', event, { source: 'timer', trigger: 'timer' });
    if (!inv.ok) throw new Error(`statistics on start failed (${trigger}): ${inv.error?.message ?? 'unknown error'}`);
  }
}

/** Runs until SIGINT/SIGTERM, then closes what was started. */
export function closeOnSignal(close: () => Promise<void>): void {
  const stop = () => close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
