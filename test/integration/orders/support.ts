import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { signedHeaders } from '../../../core/signing';
import { devSecret, syncSecretName } from '../../../server/http/secrets';
import type { Emulator } from '../../../emulator/emulator';
import { FUNCTIONS_DIR, ROOT } from '../../../scripts/build-functions';
import { collections } from '../../../server/db/schema';
import { httpRoutes } from '../../../server/db/routes';
import { spawnEmulator } from '../../support/emulator-process';

export const SYNC_PATH = '/http/orders/sync';

export async function emulatorNow(emu: Emulator): Promise<Date> {
  const r = (await (await fetch(`${emu.url}/clock`)).json()) as { now: string };
  return new Date(r.now);
}

export async function setClock(
  emu: Emulator,
  body: { set: string } | { advance: string },
): Promise<{ fn: string; trigger: string; ok: boolean; error?: string }[]> {
  const r = (await (await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify(body) })).json()) as {
    fired: { fn: string; trigger: string; ok: boolean; error?: string }[];
  };
  const failed = r.fired.filter((f) => !f.ok);
  if (failed.length) throw new Error(`timers failed: ${JSON.stringify(failed.slice(0, 3))}`);
  return r.fired;
}

export interface SignOptions {
  at?: Date;
  nonce?: string;
  secret?: string;
  path?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the answer's fields of its own case
type Answer = any;

/** A signed POST as a brand system sends it (server/http/signed.ts); the dev secret of the source unless told. */
export async function signedPost(
  emu: Emulator,
  source: string,
  body: unknown,
  o: SignOptions = {},
): Promise<{ status: number; json: Answer }> {
  const path = o.path ?? SYNC_PATH;
  const text = JSON.stringify(body);
  const at = o.at ?? (await emulatorNow(emu));
  const headers = signedHeaders(o.secret ?? devSecret(syncSecretName(source)), source, {
    method: 'POST',
    path,
    nonce: o.nonce ?? randomBytes(12).toString('hex'),
    body: text,
    at,
  });
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: text,
  });
  return { status: res.status, json: await res.json() };
}

export const syncOrders = (emu: Emulator, source: string, orders: unknown[], o?: SignOptions) =>
  signedPost(emu, source, { orders }, o);

export interface OrderInput {
  source?: string;
  orderNo: string;
  customer?: { type: string; value: string }[];
  totalFen?: number;
  status?: string;
  refunds?: { refundNo: string; amountFen: number }[];
  createdAt: Date;
  paidAt?: Date;
  updatedAt?: Date;
  category?: string;
  currency?: string;
}

/** An order update as a source sends it (ISO instants on the wire). */
export function order(i: OrderInput): Record<string, unknown> {
  const total = i.totalFen ?? 10_000;
  return {
    source: i.source ?? 'pos',
    orderNo: i.orderNo,
    customer: i.customer ?? [],
    ...(i.currency ? { currency: i.currency } : {}),
    amounts: { totalFen: total },
    items: [{ sku: 'sku-1', name: '旗袍', category: i.category ?? 'qipao', qty: 1, priceFen: total }],
    status: i.status ?? 'paid',
    refunds: i.refunds ?? [],
    createdAt: i.createdAt.toISOString(),
    ...(i.paidAt ? { paidAt: i.paidAt.toISOString() } : {}),
    updatedAt: (i.updatedAt ?? i.paidAt ?? i.createdAt).toISOString(),
  };
}

/**
 * A functions folder with only the named functions, and for `orders` only the named timers: the
 * clock can then jump months without firing hundreds of unrelated timers. `envVariables` go to
 * every function (BRAND_CONFIG for a brand configuration of the test's own).
 */
type Env = Record<string, string>;

export function functionsDirWith(fns: string[], ordersTimers?: string[], envVariables: Env = {}): string {
  // under the repository, so the copied bundle still finds wx-server-sdk in node_modules
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  const dir = mkdtempSync(join(ROOT, 'test-artifacts', 'fns-'));
  for (const fn of fns) {
    mkdirSync(join(dir, fn));
    cpSync(join(FUNCTIONS_DIR, fn, 'index.js'), join(dir, fn, 'index.js'));
    const cfg = JSON.parse(readFileSync(join(FUNCTIONS_DIR, fn, 'config.json'), 'utf8')) as {
      triggers?: { name: string }[];
    };
    if (fn === 'orders' && ordersTimers)
      cfg.triggers = (cfg.triggers ?? []).filter((t) => ordersTimers.includes(t.name));
    const env = { ...((cfg as { envVariables?: Record<string, string> }).envVariables ?? {}), ...envVariables };
    writeFileSync(join(dir, fn, 'config.json'), JSON.stringify({ ...cfg, envVariables: env }));
  }
  return dir;
}

/**
 * The emulator in a process of its own, with the product's schema and routes. The in-jest emulator
 * loses Date types on transactional updates (structuredClone in emulator/db/engine.ts gives Dates of
 * Node's realm, which the values.ts replacer, inside jest's vm realm, does not recognise), and the
 * order and lifecycle paths update dated documents in transactions.
 */
export async function separateEmulator(functionsDir: string): Promise<Emulator> {
  const { child, url } = await spawnEmulator({ functionsDir, collections, httpRoutes });
  const fake = {
    url,
    serviceUrl: `${url}/admin`,
    options: { envId: 'local-env' },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  return fake as unknown as Emulator;
}
