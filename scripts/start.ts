import { join } from 'node:path';
import { closeOnSignal, startLocalCloud } from './local-cloud';

/**
 * `npm start`: the local CloudBase with every built function, the demo brand, and the console.
 * PORT (default 3900) and DATA_DIR (default .data/) are read from the environment.
 */
async function main(): Promise<void> {
  const root = process.cwd();
  const dataDir = process.env.DATA_DIR ?? join(root, '.data');
  const { emu, seeded, story } = await startLocalCloud({ port: Number(process.env.PORT ?? 3900), dataDir, root });
  emu.runtime.warm(1);
  const fns = [...emu.runtime.functions.keys()];
  // the commands as a person types them: invoke finds the emulator by the same PORT
  const host = emu.url.replace(/^http:\/\//, '');
  const portEnv = emu.url.endsWith(':3900') ? '' : `PORT=${new URL(emu.url).port} `;
  const login = story ? JSON.stringify({ action: 'login', scene: story.scene }) : '';
  const member = story ? `; member o_preview_member, card ${story.cardNo}` : '';
  const invoke = `${portEnv}npm run invoke -- member --openid o_nancy --data '${login}'`;
  const replay = story ? `  seed 003     scan the advisor's code: ${invoke}\n` : '';
  console.log(`
  会员中心 · local CloudBase emulator
  console      ${emu.url}/
  serviceUrl   ${emu.serviceUrl}   (cloud.init({ env: '${emu.options.envId}', serviceUrl, secretId: 'x', secretKey: 'y' }))
  invoke       ${portEnv}npm run invoke -- member --openid o_demo --data '{"action":"login"}'
  clock        curl -X POST ${host}/clock -d '{"advance":"47h"}'
  functions    ${fns.join(', ') || '(none built: run npm run build)'}
  demo brand   ${seeded} documents (Taste of Su 苏韵旗袍)${member}
${replay}  data         ${emu.options.dataDir}
`);
  closeOnSignal(() => emu.close());
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
