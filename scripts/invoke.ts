import { parseArgs } from 'node:util';

/**
 * `npm run invoke -- <fn> --openid o_demo --data '{"action":"login"}'`: calls a function on the
 * running emulator as a Mini Program user would (wx.cloud.callFunction), and prints the answer.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      openid: { type: 'string', default: 'o_demo_user' },
      unionid: { type: 'string' },
      data: { type: 'string', default: '{}' },
      url: { type: 'string', default: `http://127.0.0.1:${process.env.PORT ?? 3900}` },
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
  const res = await fetch(`${values.url}/invoke/${encodeURIComponent(fn)}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ openid: values.openid, unionid: values.unionid, data }),
  });
  console.log(JSON.stringify(await res.json(), null, 2));
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
