import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { verifyRequest } from '../../../core/signing';
import type { Emulator } from '../../../emulator/emulator';
import { FUNCTIONS_DIR, ROOT } from '../../../scripts/build-functions';
import { testEmulator } from '../../support/emulator';

export const SECRET_ENV = 'CRM_WEBHOOK_SECRET';
export const SECRET = 'crm-test-secret-0123456789';
/** The brand's import secret: the admin function has it, the import CLI signs batches with it. */
export const IMPORT_SECRET = 'import-test-secret-0123456789';

/**
 * Runs the import CLI (`scripts/import/cli.ts`) on `file` with `mapping` against the emulator, as the brand's
 * operator would with the brand's import secret; the CLI writes its report to `report`.
 */
export async function runImportCli(
  emu: Emulator,
  o: { file: string; mapping: string; report: string; secret?: string; args?: string[] },
): Promise<void> {
  const env = {
    ...process.env,
    TENCENTCLOUD_SECRETID: 'local',
    TENCENTCLOUD_SECRETKEY: 'local',
    IMPORT_SECRET: o.secret ?? IMPORT_SECRET,
    CLOUDBASE_ENV: 'local-env',
  };
  const cli = ['scripts/run-ts.js', 'scripts/import/cli.ts', o.file, '--mapping', o.mapping];
  const args = [...cli, '--service-url', emu.serviceUrl, '--report', o.report, ...(o.args ?? [])];
  await promisify(execFile)(process.execPath, args, { cwd: ROOT, env, maxBuffer: 1 << 24 });
}

/**
 * An emulator running the built member, points and admin functions, with the admin function's
 * environment holding the webhook and import secrets (the brand's set-up), and only the admin timers firing.
 */
export async function crmEmulator(startAt: Date): Promise<Emulator> {
  const functionsDir = mkdtempSync(join(tmpdir(), 'crm-fn-'));
  for (const fn of ['member', 'points', 'admin'])
    cpSync(join(FUNCTIONS_DIR, fn), join(functionsDir, fn), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(functionsDir, 'node_modules'));
  const file = join(functionsDir, 'admin', 'config.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  writeFileSync(
    file,
    JSON.stringify({ ...cfg, envVariables: { ...(cfg.envVariables ?? {}), [SECRET_ENV]: SECRET, IMPORT_SECRET } }),
  );
  return testEmulator({ functionsDir, startAt, timerFunctions: ['admin'] });
}

export interface Received {
  deliveryId: string;
  id: string;
  type: string;
  at: string;
  memberId: string | null;
  data: Record<string, unknown>;
  path: string;
  headers: IncomingHttpHeaders;
  signatureOk: boolean;
}

/**
 * A brand system's receiver on 127.0.0.1: it checks each request's signature as the brand would
 * (HMAC over method, path, timestamp, nonce and body, within the window of the emulator's clock),
 * keeps what it accepted, and answers with `status()` (a test turns it into an outage).
 */
export class Receiver {
  readonly accepted: Received[] = [];
  readonly refused: Received[] = [];
  status: (r: Received) => number = () => 200;
  private server!: Server;
  url = '';

  constructor(private readonly clock: () => Promise<Date>) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        const body = Buffer.concat(chunks);
        const h = req.headers;
        const check = verifyRequest(
          SECRET,
          {
            method: req.method ?? '',
            path: req.url ?? '',
            timestamp: String(h['x-mc-timestamp']),
            nonce: String(h['x-mc-nonce']),
            body,
          },
          h['x-mc-signature'] as string | undefined,
          await this.clock(),
        );
        const r: Received = {
          ...JSON.parse(body.toString('utf8')),
          path: req.url ?? '',
          headers: h,
          signatureOk: check.ok,
        };
        const code = check.ok ? this.status(r) : 401;
        (code >= 200 && code < 300 ? this.accepted : this.refused).push(r);
        res.statusCode = code;
        res.end();
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(r));
  }

  /** Each subscription (path) got every member's events in event time order. */
  inOrderPerMember(): boolean {
    const last = new Map<string, number>();
    for (const r of this.accepted) {
      const t = Date.parse(r.at);
      const k = `${r.path} ${r.memberId}`;
      if ((last.get(k) ?? 0) > t) return false;
      last.set(k, t);
    }
    return true;
  }
}

export async function clockOf(emu: Emulator): Promise<Date> {
  return new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now);
}

export async function advance(
  emu: Emulator,
  by: string,
): Promise<{ fn: string; trigger: string; ok: boolean; result?: unknown; error?: string }[]> {
  const r = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: by }) });
  const fired = ((await r.json()) as { fired: { fn: string; trigger: string; ok: boolean; error?: string }[] }).fired;
  const failed = fired.filter((f) => !f.ok);
  if (failed.length) throw new Error(`timers failed: ${JSON.stringify(failed.slice(0, 3))}`);
  return fired;
}
