import { join } from 'node:path';
import { startEmulator } from '../emulator/emulator';
import { seedDocuments } from '../emulator/seed';
import { collections } from '../server/db/schema';
import { httpRoutes } from '../server/db/routes';
import { demoBrand } from './seed/demo-brand';

/**
 * `npm start`: the local CloudBase with every built function, the demo brand, and the console.
 * PORT (default 3900) and DATA_DIR (default .data/) are read from the environment.
 */
async function main(): Promise<void> {
  const root = process.cwd();
  const emu = await startEmulator({
    port: Number(process.env.PORT ?? 3900),
    dataDir: process.env.DATA_DIR ?? join(root, '.data'),
    functionsDir: join(root, 'cloudfunctions'),
    collections,
    httpRoutes,
  });
  const seeded = seedDocuments(emu, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);
  emu.runtime.warm(1);
  const fns = [...emu.runtime.functions.keys()];
  console.log(`
  会员中心 · local CloudBase emulator
  console      ${emu.url}/
  serviceUrl   ${emu.serviceUrl}   (cloud.init({ env: '${emu.options.envId}', serviceUrl, secretId: 'x', secretKey: 'y' }))
  invoke       POST ${emu.url}/invoke/<fn>  {"openid":"o_demo","data":{"action":"login"}}
  clock        POST ${emu.url}/clock  {"advance":"47h"}
  functions    ${fns.join(', ') || '(none built: run npm run build)'}
  demo brand   ${seeded} documents (Taste of Su 苏韵旗袍)
  data         ${emu.options.dataDir}
`);
  const stop = async () => {
    await emu.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
