import { join } from 'node:path';
import { startPreview } from '../preview/server';
import { PERSONAS } from '../preview/personas';
import { ROOT, buildFunctions } from './build-functions';
import { buildMiniprogram } from './build-miniprogram';
import { closeOnSignal, startLocalCloud } from './local-cloud';

/**
 * `npm run preview`: builds the functions and the Mini Program, starts the emulator (in memory
 * unless DATA_DIR is set) with the demo brand, whose story makes the member persona (by the
 * product's own actions), and serves the Mini Program in the browser. PORT (default 3901) and
 * EMULATOR_PORT (default 0: any free port) are read.
 */
async function main(): Promise<void> {
  buildFunctions();
  const { outDir, main: size } = buildMiniprogram({ outDir: join(ROOT, 'dist', 'preview', 'miniprogram') });
  const { emu } = await startLocalCloud({ port: Number(process.env.EMULATOR_PORT ?? 0), dataDir: process.env.DATA_DIR ?? null });
  const preview = await startPreview({ appDir: outDir, emulatorUrl: emu.url, port: Number(process.env.PORT ?? 3901) });
  console.log(`
  会员中心 · Mini Program preview
  preview      ${preview.url}/            (main package ${(size.bytes / 1024).toFixed(1)} KB)
  personas     ${PERSONAS.map((p) => `${preview.url}/?persona=${p.id}`).join('\n               ')}
  emulator     ${emu.url}/
  automator    ${preview.wsEndpoint}   (only while a test has attached Chromium)
`);
  closeOnSignal(async () => {
    await preview.close();
    await emu.close();
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
