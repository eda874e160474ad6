import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUNCTIONS_DIR, ROOT } from '../../../scripts/build-functions';
import { testEmulator } from '../../support/emulator';
import { connectSdk } from '../../support/sdk';
import { devSecret, OA_TOKEN } from '../../../server/http/secrets';
import { oaSignature } from '../../../core/identity/oa';
import type { Emulator } from '../../../emulator/emulator';

/**
 * An emulator with the built functions a follower's survey crosses: `oa` (callbacks), `messaging`
 * with its 5-minute journeys timer only (the flows move the clock by a day: per-minute dispatch
 * timers would take minutes of real time), `member` without timers and `admin`.
 */
export async function surveyEmulator(startAt: Date) {
  const dir = mkdtempSync(join(tmpdir(), 'survey-fn-'));
  for (const fn of ['oa', 'messaging', 'member', 'admin']) {
    cpSync(join(FUNCTIONS_DIR, fn), join(dir, fn), { recursive: true });
    const file = join(dir, fn, 'config.json');
    const cfg = JSON.parse(readFileSync(file, 'utf8'));
    const triggers = (cfg.triggers ?? []).filter((t: { name: string }) => fn === 'messaging' && t.name === 'journeys');
    writeFileSync(file, JSON.stringify({ ...cfg, triggers }));
  }
  // the platform installs wx-server-sdk beside the function
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  const emu = await testEmulator({ functionsDir: dir, startAt });
  return { emu, ...connectSdk(emu) };
}

/** The Official Account's POST to the callback URL, signed with the token as WeChat signs it. */
export async function oaPost(emu: Emulator, xml: string): Promise<{ status: number; body: string }> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const nonce = Math.random().toString(36).slice(2, 10);
  const q = new URLSearchParams({ signature: oaSignature(devSecret(OA_TOKEN), timestamp, nonce), timestamp, nonce });
  const init = { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xml };
  const res = await fetch(`${emu.url}/http/oa/callback?${q}`, init);
  return { status: res.status, body: await res.text() };
}

const head = (from: string, at: Date, type: string) =>
  `<ToUserName><![CDATA[gh_brand]]></ToUserName><FromUserName><![CDATA[${from}]]></FromUserName>` +
  `<CreateTime>${Math.floor(at.getTime() / 1000)}</CreateTime><MsgType><![CDATA[${type}]]></MsgType>`;

export const eventXml = (from: string, at: Date, event: string, key?: string) => {
  const eventKey = key ? `<EventKey><![CDATA[${key}]]></EventKey>` : '';
  return `<xml>${head(from, at, 'event')}<Event><![CDATA[${event}]]></Event>${eventKey}</xml>`;
};

export const textXml = (from: string, at: Date, content: string, msgId: string) =>
  `<xml>${head(from, at, 'text')}<Content><![CDATA[${content}]]></Content><MsgId>${msgId}</MsgId></xml>`;

/** A follower known to WeChat's user/info (the callback asks it for the UnionID). */
export const registerFollower = (emu: Emulator, oaOpenid: string, unionid: string) =>
  fetch(`${emu.url}/openapi/oa-users`, {
    method: 'POST',
    body: JSON.stringify({ oaOpenid, unionid, subscribed: true }),
  });
