import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import type { z } from 'zod';
import type { Emulator } from '../../../emulator/emulator';
import { contracts } from '../../../core/contracts';
import { linkRequest } from '../../../core/contracts/member';
import { webTrackRequest } from '../../../core/contracts/behaviour';
import { productSyncRequest } from '../../../core/contracts/catalogue';
import { incomingOrderSchema } from '../../../core/orders/schema';
import { oaSignature } from '../../../core/identity/oa';
import { signedHeaders } from '../../../core/signing/hmac';
import { devSecret, OA_TOKEN, syncSecretName } from '../../../server/http/secrets';
import { posAdjustRequest, posRedeemRequest } from '../../../server/coupons/pos-endpoint';
import { httpRoutes } from '../../../server/db/routes';
import { eventText } from '../../../emulator/functions/event-text';
import { testEmulator } from '../../support/emulator';
import { as } from '../../support/client';
import { oaEventXml, seedDemo } from '../member/helpers';
import { STAFF } from '../admin/support';
import { arbitraryOfContract } from './support/schema-arbitrary';
import { canSelfNest, mutate, mutationArb, type Mutation } from './support/mutations';
import { markStore, writesBetween, type Written } from './support/store-diff';
import { isStableCode } from './support/codes';

/**
 * Property-based fuzzing of every action of every function and every HTTP route: inputs drawn
 * from each contract (z.toJSONSchema → fast-check), then mutated. Every answer carries a stable
 * code, no refused call writes anything (every collection compared; a refusal's own audit row
 * aside), and no call runs into the function's timeout. Fixed seed and count.
 */
const SEED = 20261207;
const RUNS_PER_ACTION = 20;
const RUNS_PER_ROUTE = 40;

let emu: Emulator;
const figures = { payloads: 0, refusals: 0, refusedWrites: 0, accepted: 0, slowestMs: 0 };

beforeAll(async () => {
  const startAt = new Date('2026-03-10T02:00:00Z');
  emu = await testEmulator({ timerFunctions: [], warmInstancesPerFunction: 1, startAt });
  seedDemo(emu); // the demo brand: staff of each role, stores, coupon templates, journeys
  await as(emu, 'o_fuzz_member').ok('member', 'login', {});
});
afterAll(async () => {
  // the figures the report quotes
  console.log(`fuzz figures: ${JSON.stringify(figures)}`);
  await emu?.close();
});

const timeoutMsOf = (fn: string) => (emu.runtime.functions.get(fn)?.config.timeout ?? 3) * 1000;
const lastDurationMs = (fn: string) => emu.runtime.invocations(1, fn)[0]?.durationMs ?? 0;
/** A refused call may leave exactly one thing: its own `refused:` audit row (server/staff/refusals.ts). */
const forbiddenWrites = (ws: Written[], allowed: (w: Written) => boolean) => ws.filter((w) => !allowed(w));

function refusalAuditRow(w: Written): boolean {
  if (w.coll !== 'audit_log' || w.change !== 'inserted') return false;
  const doc = emu.db.store.get('audit_log', w.id)?.doc as { action?: string } | undefined;
  return typeof doc?.action === 'string' && doc.action.startsWith('refused:');
}

/** JSON text of any depth (JSON.stringify recurses; a hostile payload may be deeper than its stack). */
const jsonText = eventText;

/** One payload: what must hold of its answer, as a list of problems (empty = fine). */
type InvokeAnswer = { result?: { ok: boolean; error?: { code: string } }; errCode?: number; errMsg?: string };

async function callAction(fn: string, action: string, input: Record<string, unknown>, openid: string) {
  const before = markStore(emu);
  const body = jsonText({ openid, data: { ...input, action } });
  const res = await fetch(`${emu.url}/invoke/${fn}`, { method: 'POST', body });
  const answer = (await res.json()) as InvokeAnswer;
  const ms = lastDurationMs(fn);
  figures.payloads++;
  figures.slowestMs = Math.max(figures.slowestMs, ms);
  const problems: string[] = [];
  if (ms >= timeoutMsOf(fn)) problems.push(`took ${ms} ms`);
  const r = answer.result;
  if (!r || typeof r !== 'object') {
    return [...problems, `no envelope: ${res.status} ${answer.errCode} ${answer.errMsg?.slice(0, 200)}`];
  }
  if (r.ok) {
    figures.accepted++;
    return problems;
  }
  figures.refusals++;
  if (!isStableCode(r.error?.code) || r.error?.code === 'INTERNAL') problems.push(`code ${r.error?.code}`);
  const writes = forbiddenWrites(writesBetween(before, markStore(emu)), refusalAuditRow);
  figures.refusedWrites += writes.length;
  if (writes.length) problems.push(`refused (${r.error?.code}) but wrote ${JSON.stringify(writes.slice(0, 3))}`);
  return problems;
}

const shortened = (_k: string, v: unknown) =>
  typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}…(${v.length})` : v;
const asObject = (v: unknown): Record<string, unknown> =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const describeInput = (input: unknown) => JSON.stringify(input, shortened)?.slice(0, 300);

const ACTIONS = Object.entries(contracts).flatMap(([fn, acts]) =>
  Object.entries(acts as Record<string, { input: z.ZodType }>).map(
    ([action, c]) => [`${fn}.${action}`, fn, action, c.input] as const,
  ),
);

test.each(ACTIONS)(
  'fuzz %s: stable codes, refusals write nothing, within the timeout',
  async (_name, fn, action, input) => {
    const values = fc.sample(arbitraryOfContract(input), { seed: SEED, numRuns: RUNS_PER_ACTION });
    const failures: string[] = [];
    for (const [i, value] of values.entries()) {
      const [m] = fc.sample(mutationArb(i), { seed: SEED + i, numRuns: 1 }) as [Mutation];
      // self-nesting takes the first sample with structure to nest (a rule with and/or/not), when there is one
      const base = m.kind === 'selfNesting' ? (values.slice(i).concat(values).find(canSelfNest) ?? value) : value;
      const payload = mutate(asObject(base), m);
      const openid = i % 2 === 0 ? 'o_fuzz_member' : STAFF.brand_admin;
      for (const p of await callAction(fn, action, payload, openid)) {
        failures.push(`${m.kind} as ${openid}: ${p} ← ${describeInput(payload)}`);
      }
    }
    expect(failures).toEqual([]);
  },
);

// ---- HTTP access routes -------------------------------------------------------------------------

const SIGNED_BODIES: Record<string, fc.Arbitrary<unknown>> = {
  '/http/member/link': arbitraryOfContract(linkRequest, 'input'),
  '/http/member/track': arbitraryOfContract(webTrackRequest, 'input'),
  '/http/orders/products': arbitraryOfContract(productSyncRequest, 'input'),
  '/http/orders/sync': fc
    .array(arbitraryOfContract(incomingOrderSchema, 'input'), { minLength: 1, maxLength: 3 })
    .map((orders) => ({ orders })),
  '/http/pos/points/adjust': arbitraryOfContract(posAdjustRequest, 'input'),
  '/http/pos/coupons/redeem': arbitraryOfContract(posRedeemRequest, 'input'),
};

type HttpAnswer = { ok?: boolean; error?: { code?: string }; data?: { accepted?: number } };
function jsonOf(text: string): HttpAnswer | null {
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' ? (v as HttpAnswer) : null;
  } catch {
    return null;
  }
}

const emulatorNow = async () => new Date(((await (await fetch(`${emu.url}/clock`)).json()) as { now: string }).now);

/** How a hostile request reaches a route: signed with a mutated body, unsigned, or signed with a broken signature. */
const delivery = fc.constantFrom('signed', 'signed', 'signed', 'unsigned', 'badSignature', 'getMethod');

async function sendSigned(path: string, body: string, how: string): Promise<Response> {
  const nonce = randomBytes(8).toString('hex');
  const at = await emulatorNow();
  const headers = signedHeaders(devSecret(syncSecretName('pos')), 'pos', { method: 'POST', path, nonce, body, at });
  if (how === 'badSignature') headers['x-signature'] = 'f'.repeat(64);
  if (how === 'getMethod') return fetch(`${emu.url}${path}?x=1`, { method: 'GET', headers });
  const sent = how === 'unsigned' ? {} : { ...headers, 'content-type': 'application/json' };
  return fetch(`${emu.url}${path}`, { method: 'POST', headers: sent, body });
}

/** The replay guard records a nonce once the signature holds, before the body is read: its only write on a refusal. */
const nonceOrAudit = (w: Written) => (w.coll === 'nonces' && w.change === 'inserted') || refusalAuditRow(w);

const SIGNED_PATHS = Object.keys(SIGNED_BODIES);

test.each(SIGNED_PATHS)('fuzz HTTP %s: stable codes, no 5xx, refusals write a nonce only', async (path) => {
  const samples = fc.sample(fc.tuple(SIGNED_BODIES[path]!, delivery), { seed: SEED, numRuns: RUNS_PER_ROUTE });
  const failures: string[] = [];
  for (const [i, [value, how]] of samples.entries()) {
    const [m] = fc.sample(mutationArb(i), { seed: SEED + i, numRuns: 1 }) as [Mutation];
    const payload = mutate(value as Record<string, unknown>, m);
    const before = markStore(emu);
    const res = await sendSigned(path, jsonText(payload), how);
    const text = await res.text();
    figures.payloads++;
    const body = jsonOf(text);
    const noneAccepted = path === '/http/orders/sync' && body?.data?.accepted === 0;
    const refused = res.status >= 400 || body?.ok === false || noneAccepted;
    const label = `${how}/${m.kind} → ${res.status} ${text.slice(0, 120)}`;
    if (res.status >= 500) failures.push(`server error: ${label}`);
    if (res.status >= 400 && !isStableCode(body?.error?.code)) failures.push(`no stable code: ${label}`);
    if (!refused) {
      figures.accepted++;
      continue;
    }
    figures.refusals++;
    const writes = forbiddenWrites(writesBetween(before, markStore(emu)), nonceOrAudit);
    figures.refusedWrites += writes.length;
    if (writes.length) failures.push(`refused but wrote ${JSON.stringify(writes.slice(0, 3))}: ${label}`);
  }
  expect(failures).toEqual([]);
});

test('fuzz HTTP /http/member/email/confirm: any token is refused with a page, writes nothing', async () => {
  const token = fc.oneof(
    fc.string({ maxLength: 200 }),
    fc.base64String({ maxLength: 120 }).map((b) => `${b}.${b.slice(0, 43)}`),
  );
  const failures: string[] = [];
  for (const t of fc.sample(token, { seed: SEED, numRuns: RUNS_PER_ROUTE })) {
    const before = markStore(emu);
    const res = await fetch(`${emu.url}/http/member/email/confirm?${new URLSearchParams({ t })}`);
    figures.payloads++;
    figures.refusals++;
    if (res.status !== 400) failures.push(`${res.status} ← ${t.slice(0, 80)}`);
    const writes = forbiddenWrites(writesBetween(before, markStore(emu)), () => false);
    if (writes.length) failures.push(`wrote ${JSON.stringify(writes.slice(0, 3))} ← ${t.slice(0, 80)}`);
  }
  expect(failures).toEqual([]);
});

const xmlPiece = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '<xml></xml>',
    '<xml><MsgType>event</MsgType></xml>',
    '<!DOCTYPE x [<!ENTITY a "b">]><xml>&a;</xml>',
    '<xml><Encrypt><![CDATA[AAAA]]></Encrypt></xml>',
  ),
  fc.nat({ max: 3000 }).map((n) => `<xml>${'<a>'.repeat(n)}${'</a>'.repeat(n)}</xml>`),
  fc.constantFrom(10_000, 200_000).map((n) => `<xml><Content><![CDATA[${'x'.repeat(n)}]]></Content></xml>`),
  fc
    .record({
      from: fc.string({ minLength: 1, maxLength: 30 }),
      event: fc.constantFrom('subscribe', 'unsubscribe', 'SCAN', 'CLICK', 'VIEW', 'LOCATION', '$gt'),
    })
    .map((e) => oaEventXml({ from: e.from, event: e.event, at: 1777600000 })),
);

test('fuzz HTTP /http/oa/callback: signed or not, any body: no server error, a refusal writes nothing', async () => {
  const unsigned = ['/http/oa/callback', '/http/member/email/confirm'];
  expect(httpRoutes.map((r) => r.path).sort()).toEqual([...Object.keys(SIGNED_BODIES), ...unsigned].sort());
  const arb = fc.tuple(xmlPiece, fc.boolean(), fc.constantFrom('', 'aes', 'raw', '$gt'));
  const samples = fc.sample(arb, { seed: SEED, numRuns: RUNS_PER_ROUTE * 2 });
  const failures: string[] = [];
  for (const [body, signed, encryptType] of samples) {
    const timestamp = '1777600000';
    const nonce = randomBytes(4).toString('hex');
    const signature = signed ? oaSignature(devSecret(OA_TOKEN), timestamp, nonce) : 'bad';
    const mode: Record<string, string> = encryptType ? { encrypt_type: encryptType } : {};
    const query = new URLSearchParams({ signature, timestamp, nonce, ...mode });
    const before = markStore(emu);
    const res = await fetch(`${emu.url}/http/oa/callback?${query}`, { method: 'POST', body });
    const text = await res.text();
    figures.payloads++;
    const how = `${signed ? 'signed' : 'unsigned'} ${encryptType || 'plain'}`;
    const label = `${how} → ${res.status} ${text.slice(0, 80)} ← ${body.slice(0, 80)}`;
    if (res.status >= 500 && encryptType !== 'aes') failures.push(`server error: ${label}`);
    if (res.status === 200 && text === 'success' && signed && (encryptType === '' || encryptType === 'raw')) {
      figures.accepted++;
      continue;
    }
    figures.refusals++;
    const writes = forbiddenWrites(writesBetween(before, markStore(emu)), () => false);
    figures.refusedWrites += writes.length;
    if (writes.length) failures.push(`refused but wrote ${JSON.stringify(writes.slice(0, 3))}: ${label}`);
  }
  expect(failures).toEqual([]);
});
