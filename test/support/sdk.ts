import type { Emulator } from '../../emulator/emulator';

/**
 * The real wx-server-sdk, pointed at the emulator exactly as a developer would
 * (docs/emulator-wire.md#connecting: dummy secrets are required; TENCENTCLOUD=true skips the metadata probe).
 */
export function connectSdk(emu: Emulator, opts: { throwOnNotFound?: boolean } = {}) {
  process.env.TENCENTCLOUD = 'true';
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded when called, after the emulator's address is in the environment
  const cloud = require('wx-server-sdk') as typeof import('wx-server-sdk');
  cloud.init({
    env: emu.options.envId,
    serviceUrl: emu.serviceUrl,
    secretId: 'x',
    secretKey: 'y',
    ...opts,
  } as Parameters<typeof cloud.init>[0]);
  // the SDK's typings are loose; tests use it as JavaScript would
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the SDK's typings lack throwOnNotFound and type get() as a union
  const db = cloud.database(opts as any) as any;
  return { cloud, db, _: db.command, $: db.command.aggregate };
}

/** The handles `connectSdk` returns, untyped as the SDK leaves them: `Sdk['db']`, `Sdk['_']`, `Sdk['$']`. */
export type Sdk = ReturnType<typeof connectSdk>;

/** Posts a raw JSON body to the emulator's SDK endpoint (for malformed-input tests). */
export async function rawAdmin(emu: Emulator, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(emu.serviceUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return (await res.json()) as Record<string, unknown>;
}

/** Empties `coll` and adds `data` again, so that every test of a suite starts from the same documents. */
export async function refill(db: Sdk['db'], coll: string, data: object[]): Promise<void> {
  await db
    .collection(coll)
    .where({ _id: db.command.exists(true) })
    .remove();
  await db.collection(coll).add({ data });
}
