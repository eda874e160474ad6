import { parseArgs } from 'node:util';

/**
 * `npm run invoke -- <fn> --openid o_demo --data '{"action":"login"}'`: calls a function on the
 * running emulator as a Mini Program user would (wx.cloud.callFunction), and prints the answer.
 * The emulator is `--url`, else EMULATOR_URL, else http://127.0.0.1:$PORT (3900 when PORT is unset),
 * the same PORT `npm start` listens on.
 */
function emulatorUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = flag || env.EMULATOR_URL || `http://127.0.0.1:${env.PORT || 3900}`;
  return url.replace(/\/+$/, '');
}

async function post(url: string, body: unknown): Promise<Response> {
  try {
    const headers = { 'content-type': 'application/json' };
    return await fetch(url, { method: 'POST', headers, body: JSON.stringify(body) });
  } catch (e) {
    const cause = (e as Error & { cause?: { code?: string; message?: string } }).cause;
    throw new Error(
      `could not reach the emulator at ${url} (${cause?.code ?? cause?.message ?? (e as Error).message}): ` +
        'start it with `npm start`, or point at the one running with PORT=<port> or --url <url>',
      { cause: e },
    );
  }
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      openid: { type: 'string', default: 'o_demo_user' },
      unionid: { type: 'string' },
      data: { type: 'string', default: '{}' },
      url: { type: 'string' },
    },
  });
  const fn = positionals[0];
  if (!fn) throw new Error('usage: npm run invoke -- <function> --openid <openid> --data \'{"action":"login"}\'');
  let data: unknown;
  try {
    data = JSON.parse(values.data);
  } catch {
    throw new Error(`--data is not JSON: ${values.data}`);
  }
  const url = `${emulatorUrl(values.url, process.env)}/invoke/${encodeURIComponent(fn)}`;
  const res = await post(url, { openid: values.openid, unionid: values.unionid, data });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    const what = `${url} answered ${res.status} with something that is not JSON (is it the emulator?)`;
    throw new Error(`${what}: ${text.slice(0, 200)}`);
  }
  console.log(JSON.stringify(body, null, 2));
  if (!res.ok) process.exitCode = 1;
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
