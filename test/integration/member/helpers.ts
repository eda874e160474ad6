import { randomBytes } from 'node:crypto';
import type { Emulator, EmulatorOptions } from '../../../emulator/emulator';
import { seedDocuments } from '../../../emulator/seed';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { signedHeaders } from '../../../core/signing/hmac';
import { oaSignature } from '../../../core/identity/oa';
import { devSecret, syncSecretName, OA_TOKEN } from '../../../server/http/secrets';
import { testEmulator } from '../../support/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';

/** The demo brand's stores and staff, as `npm start` loads them. */
export const seedDemo = (emu: Emulator) =>
  seedDocuments(emu, demoBrand as unknown as Parameters<typeof seedDocuments>[1]);

/** An emulator with the demo brand loaded, and the SDK's database connected to it. */
export async function demoEmulator(options: Partial<EmulatorOptions> = {}): Promise<{ emu: Emulator; db: Sdk['db'] }> {
  const emu = await testEmulator(options);
  seedDemo(emu);
  return { emu, db: connectSdk(emu).db };
}

export async function emulatorNow(emu: Emulator): Promise<Date> {
  const r = (await (await fetch(`${emu.url}/clock`)).json()) as { now: string };
  return new Date(r.now);
}

export const setClock = (emu: Emulator, body: { set: string } | { advance: string }) =>
  fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify(body) });

/** A POST signed as an external system would sign it (the emulator runs with the development secrets). */
export async function signedPost(
  emu: Emulator,
  path: string,
  payload: unknown,
  opts: { source?: string; secret?: string; nonce?: string; at?: Date } = {},
) {
  const source = opts.source ?? 'pos';
  const body = JSON.stringify(payload);
  const headers = signedHeaders(opts.secret ?? devSecret(syncSecretName(source)), source, {
    method: 'POST',
    path,
    nonce: opts.nonce ?? randomBytes(8).toString('hex'),
    body,
    at: opts.at ?? (await emulatorNow(emu)),
  });
  const res = await fetch(`${emu.url}${path}`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body,
  });
  return {
    status: res.status,
    json: (await res.json().catch(() => null)) as {
      ok: boolean;
      data?: { memberId: string; created: boolean; merged: string[] };
      error?: { code: string };
    } | null,
  };
}

export function oaQuery(token = devSecret(OA_TOKEN), extra: Record<string, string> = {}): string {
  const timestamp = '1777600000';
  const nonce = randomBytes(4).toString('hex');
  return new URLSearchParams({
    signature: oaSignature(token, timestamp, nonce),
    timestamp,
    nonce,
    ...extra,
  }).toString();
}

export function oaEventXml(e: { from: string; event: string; key?: string; unionid?: string; at?: number }): string {
  return `<xml><ToUserName><![CDATA[gh_brand]]></ToUserName><FromUserName><![CDATA[${e.from}]]></FromUserName><CreateTime>${e.at ?? 1777600000}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[${e.event}]]></Event>${e.key !== undefined ? `<EventKey><![CDATA[${e.key}]]></EventKey>` : ''}${e.unionid ? `<UnionId><![CDATA[${e.unionid}]]></UnionId>` : ''}</xml>`;
}

/** Counts of every collection this area writes, to prove a refused request wrote nothing. */
export async function counts(db: {
  collection(n: string): { count(): Promise<{ total: number }> };
}): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const c of ['members', 'identities', 'events', 'nonces', 'merges', 'qrcodes'])
    out[c] = (await db.collection(c).count()).total;
  return out;
}
