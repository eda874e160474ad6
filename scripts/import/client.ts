import { randomBytes } from 'node:crypto';
import { init } from '@cloudbase/node-sdk';
import { signedHeaders, SIGNING_HEADERS } from '../../core/signing';
import { IMPORT_SECRET_ENV, IMPORT_SOURCE, importPath } from '../../server/imports/signed-batch';

export interface Target {
  /** The CloudBase environment id (`--env`, else CLOUDBASE_ENV). */
  env: string;
  /** The emulator's serviceUrl, or none for the real environment. */
  serviceUrl?: string;
  secretId: string;
  secretKey: string;
  /** The brand's import secret, the same the `admin` function has in its environment. */
  importSecret: string;
}

export function targetFromEnv(args: { env?: string; serviceUrl?: string }): Target {
  const need = (name: string): string => {
    const v = process.env[name];
    if (!v) throw new Error(`${name} is not set`);
    return v;
  };
  return {
    env: args.env ?? need('CLOUDBASE_ENV'),
    serviceUrl: args.serviceUrl,
    secretId: need('TENCENTCLOUD_SECRETID'),
    secretKey: need('TENCENTCLOUD_SECRETKEY'),
    importSecret: need(IMPORT_SECRET_ENV),
  };
}

/**
 * @cloudbase/node-sdk 3.18.3 asks Tencent Cloud's metadata address whether it runs inside Tencent
 * Cloud twice on every call, and keeps the answer only when the address answered: on a brand's machine
 * every call makes two more HTTP requests, and where the name does not resolve their look-ups queue in
 * libuv's pool (delaying the file reads too) and hold memory that grows with the calls made. The first
 * answer is kept instead, whatever it was, as the SDK means to ("only the first call asks").
 */
let probeKept = false;
export function probeCloudOnce(): void {
  if (probeKept) return;
  probeKept = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the SDK's own module, reached by its path
  const metadata = require('@cloudbase/node-sdk/dist/utils/metadata') as { lookupAppId: () => Promise<string> };
  const ask = metadata.lookupAppId;
  let answer: Promise<string> | undefined;
  metadata.lookupAppId = () => (answer ??= ask());
}

export type Batch = { source: string; dryRun: boolean; rows: { line: number; row: unknown }[] };
export type SendBatch = (kind: 'members' | 'orders', batch: Batch) => Promise<unknown>;

/** Sends signed batches to the environment's `admin` function through @cloudbase/node-sdk (made for outside WeChat). */
export function batchSender(t: Target): SendBatch {
  const where = t.serviceUrl ? { serviceUrl: t.serviceUrl } : {};
  probeCloudOnce();
  const app = init({ env: t.env, secretId: t.secretId, secretKey: t.secretKey, ...where, timeout: 60_000 });
  return async (kind, batch) => {
    const nonce = randomBytes(12).toString('hex');
    const parts = { method: 'POST', path: importPath(kind), nonce, body: JSON.stringify(batch), at: new Date() };
    const h = signedHeaders(t.importSecret, IMPORT_SOURCE, parts);
    const signed = { timestamp: h[SIGNING_HEADERS.timestamp]!, nonce, signature: h[SIGNING_HEADERS.signature]! };
    const res = await app.callFunction({ name: 'admin', data: { action: `import.${kind}`, signed, batch } });
    return (res as { result?: unknown }).result;
  };
}
