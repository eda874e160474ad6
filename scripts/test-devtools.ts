import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import automator from 'miniprogram-automator';
import { ROOT } from './build-functions';
import { buildMiniprogram } from './build-miniprogram';

/**
 * `npm run test:devtools`: the automator tests of test/e2e/miniprogram against WeChat DevTools
 * instead of the browser preview. Builds the Mini Program into dist/devtools/miniprogram with a
 * cloud shim (every `wx.cloud.callFunction` goes to the local emulator as the test's persona), opens
 * it with `cli auto --auto-port`, and runs jest with AUTOMATOR_WS so that `startPreviewHarness`
 * drives DevTools; each test file starts its own emulator on EMULATOR_PORT, where the shim points.
 * Never part of `npm test`: without DevTools it says so and exits 1.
 *
 * Environment: WECHAT_DEVTOOLS_CLI (the `cli` of the install), AUTO_PORT (9420), EMULATOR_PORT
 * (3910), WECHAT_APPID (a test AppID; 'touristappid' otherwise). Extra arguments go to jest.
 */

const DEFAULT_CLI: Partial<Record<NodeJS.Platform, string[]>> = {
  darwin: ['/Applications/wechatwebdevtools.app/Contents/MacOS/cli'],
  win32: [
    'C:\\Program Files (x86)\\Tencent\\微信web开发者工具\\cli.bat',
    'C:\\Program Files\\Tencent\\微信web开发者工具\\cli.bat',
  ],
};

/** The DevTools CLI: WECHAT_DEVTOOLS_CLI, else the default install path of this platform; null when there is none. */
export function findCli(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  exists: (p: string) => boolean = existsSync,
): string | null {
  if (env.WECHAT_DEVTOOLS_CLI) return exists(env.WECHAT_DEVTOOLS_CLI) ? env.WECHAT_DEVTOOLS_CLI : null;
  return (DEFAULT_CLI[platform] ?? []).find(exists) ?? null;
}

/**
 * Prepended to the built app.js (this build only, never shipped): cloud calls become `wx.request`s
 * to the emulator's `/invoke/<fn>` with the OpenID the harness keeps in storage, answered in the
 * platform's shape (`{ result }`, or a failure with errCode/errMsg).
 */
export function cloudShim(emulatorUrl: string, openidKey = '__emulator_openid'): string {
  return `/* test:devtools — cloud calls go to the local emulator (scripts/test-devtools.ts) */
(function () {
  var url = ${JSON.stringify(emulatorUrl)};
  function callFunction(o) {
    return new Promise(function (resolve, reject) {
      function fail(err) { if (o.fail) o.fail(err); if (o.complete) o.complete(err); reject(err); }
      wx.request({
        url: url + '/invoke/' + o.name, method: 'POST',
        data: { data: o.data || {}, openid: wx.getStorageSync(${JSON.stringify(openidKey)}) || 'o_preview_visitor' },
        success: function (r) {
          var body = r.data || {};
          if (body.errCode !== undefined) return fail({ errCode: body.errCode, errMsg: 'cloud.callFunction:fail ' + body.errMsg });
          var res = { result: body.result, errMsg: 'cloud.callFunction:ok' };
          if (o.success) o.success(res); if (o.complete) o.complete(res); resolve(res);
        },
        fail: function (e) { fail({ errCode: -1, errMsg: 'cloud.callFunction:fail network ' + (e && e.errMsg) }); },
      });
    });
  }
  var shim = { init: function () {}, callFunction: callFunction };
  try { wx.cloud.init = shim.init; wx.cloud.callFunction = callFunction; }
  catch (e) { Object.defineProperty(wx, 'cloud', { value: shim, configurable: true }); }
})();
`;
}

/** The project file DevTools opens: the built folder is the Mini Program root; local HTTP allowed for the shim. */
export function projectConfig(appid: string): Record<string, unknown> {
  return {
    compileType: 'miniprogram',
    miniprogramRoot: './',
    projectname: 'member-centre-devtools-tests',
    appid,
    libVersion: '3.5.0',
    setting: { es6: true, enhance: true, postcss: true, minified: false, urlCheck: false },
  };
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once('error', () => resolve(false))
      .once('listening', () => server.close(() => resolve(true)));
    server.listen(port, '127.0.0.1');
  });
}

async function waitForAutomation(wsEndpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      (await automator.connect({ wsEndpoint })).disconnect();
      return;
    } catch (e) {
      if (Date.now() > deadline)
        throw new Error(`DevTools did not open the automation port ${wsEndpoint}: ${(e as Error).message}`, {
          cause: e,
        });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}

async function main(): Promise<void> {
  const cli = findCli();
  if (!cli) {
    console.error(`WeChat DevTools not found.
  Install it (macOS or Windows), log in, enable Settings → Security → Service port, then either
  leave it at its default path or set WECHAT_DEVTOOLS_CLI to its cli, e.g.
    WECHAT_DEVTOOLS_CLI=/Applications/wechatwebdevtools.app/Contents/MacOS/cli npm run test:devtools
  The same tests run in the browser preview with \`npx jest --selectProjects e2e\` (part of npm test).`);
    process.exit(1);
  }
  const autoPort = Number(process.env.AUTO_PORT ?? 9420);
  const emulatorPort = Number(process.env.EMULATOR_PORT ?? 3910);
  for (const [name, port] of [
    ['AUTO_PORT', autoPort],
    ['EMULATOR_PORT', emulatorPort],
  ] as const) {
    if (!(await portFree(port))) throw new Error(`port ${port} (${name}) is in use: free it or set ${name}`);
  }

  const { outDir } = buildMiniprogram({ outDir: join(ROOT, 'dist', 'devtools', 'miniprogram') });
  const appJs = join(outDir, 'app.js');
  writeFileSync(appJs, cloudShim(`http://127.0.0.1:${emulatorPort}`) + readFileSync(appJs, 'utf8'));
  writeFileSync(
    join(outDir, 'project.config.json'),
    JSON.stringify(projectConfig(process.env.WECHAT_APPID ?? 'touristappid'), null, 2),
  );
  console.log(`mini program built for DevTools: ${outDir}`);

  const wsEndpoint = `ws://127.0.0.1:${autoPort}`;
  const devtools: ChildProcess = spawn(
    cli,
    ['auto', '--project', outDir, '--auto-port', String(autoPort), '--trust-project'],
    { stdio: 'inherit', shell: process.platform === 'win32' },
  );
  await waitForAutomation(wsEndpoint, 90_000);
  console.log(`DevTools automation on ${wsEndpoint}; tests' emulators on http://127.0.0.1:${emulatorPort}`);

  const extra = process.argv.slice(2);
  const jest = spawnSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
      '--selectProjects',
      'e2e',
      '--runInBand',
      '--',
      ...(extra.length ? extra : ['test/e2e/miniprogram']),
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: {
        ...process.env,
        AUTOMATOR_WS: wsEndpoint,
        EMULATOR_PORT: String(emulatorPort),
        DEVTOOLS_CLI: cli,
        DEVTOOLS_PROJECT: outDir,
      },
    },
  );
  devtools.kill();
  process.exit(jest.status ?? 1);
}

if (/test-devtools(\.[jt]s)?$/.test(process.argv[1] ?? '')) {
  main().catch((e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
