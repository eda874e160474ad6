import { join } from 'node:path';
import { openPreviewPage } from '../preview/browser';
import { startPreview } from '../preview/server';
import { PERSONAS } from '../preview/personas';
import { ROOT, buildFunctions } from './build-functions';
import { buildMiniprogram } from './build-miniprogram';
import { closeOnSignal, startLocalCloud } from './local-cloud';

/**
 * `npm run preview`: builds the functions and the Mini Program, starts the emulator (in memory
 * unless DATA_DIR is set) with the demo brand, whose story makes the member persona (by the
 * product's own actions), and serves the Mini Program in the browser. PORT (default 3901) and
 * EMULATOR_PORT (default 0: any free port) are read; an automator client that connects drives a
 * Chromium opened as PERSONA (CHROMIUM names the binary).
 */
async function main(): Promise<void> {
  buildFunctions();
  const { outDir, main: size } = buildMiniprogram({ outDir: join(ROOT, 'dist', 'preview', 'miniprogram') });
  const { emu } = await startLocalCloud({
    port: Number(process.env.EMULATOR_PORT ?? 0),
    dataDir: process.env.DATA_DIR ?? null,
  });
  const openBrowser = async (url: string) => {
    const { browser, page } = await openPreviewPage(url, process.env.PERSONA ?? 'visitor');
    return { page, close: () => browser.close() };
  };
  const port = Number(process.env.PORT ?? 3901);
  const preview = await startPreview({ appDir: outDir, emulatorUrl: emu.url, port, openBrowser });
  console.log(`
  会员中心 · Mini Program preview
  preview      ${preview.url}/            (main package ${(size.bytes / 1024).toFixed(1)} KB)
  personas     ${PERSONAS.map((p) => `${preview.url}/?persona=${p.id}`).join('\n               ')}
  emulator     ${emu.url}/
  automator    ${preview.wsEndpoint}   (automator.connect: opens Chromium as PERSONA, visitor by default)
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
