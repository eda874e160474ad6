import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Emulator } from '../../../emulator/emulator';
import { publication, SEED_JOURNEYS, type JourneyInput } from '../../../core/journeys';
import { FUNCTIONS_DIR, ROOT } from '../../../scripts/build-functions';
import type { z } from 'zod';
import type { campaignMessage } from '../../../core/contracts/messaging';
import type { as } from '../../support/client';
import { testEmulator } from '../../support/emulator';
import { connectSdk, type Sdk } from '../../support/sdk';

/** 10:00 in Shanghai: outside the default quiet hours (22:00–08:00). */
export const MORNING = new Date('2026-05-04T02:00:00Z');

export interface ConfigOverride {
  timeout?: number;
  envVariables?: Record<string, string>;
  /** keep only these timer triggers (by name) */
  triggers?: string[];
}

/**
 * An emulator for one messaging test file, starting at `startAt`, with a copy of the built
 * messaging function alone (other features' timers stay out of these clock-driven tests).
 * `config` overrides its config.json: a shorter timeout to kill it mid-batch, SMTP_URL for email,
 * fewer triggers where a test moves the clock by days.
 */
export async function messagingEmulator(opts: { startAt?: Date; config?: ConfigOverride } = {}) {
  const functionsDir = mkdtempSync(join(tmpdir(), 'messaging-fn-'));
  cpSync(join(FUNCTIONS_DIR, 'messaging'), join(functionsDir, 'messaging'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(functionsDir, 'node_modules')); // the platform installs wx-server-sdk beside the function
  const file = join(functionsDir, 'messaging', 'config.json');
  const cfg = JSON.parse(readFileSync(file, 'utf8'));
  const { triggers, ...rest } = opts.config ?? {};
  const kept = triggers ? cfg.triggers.filter((t: { name: string }) => triggers.includes(t.name)) : cfg.triggers;
  writeFileSync(file, JSON.stringify({ ...cfg, ...rest, triggers: kept }));
  const emu = await testEmulator({ functionsDir, startAt: opts.startAt ?? MORNING });
  const { db, _ } = connectSdk(emu);
  return { emu, db, _ };
}

type Db = Sdk['db'];

/** The seed journeys published as version 1, through the same publication the authoring action writes. */
export async function seedJourneys(db: Db, ids?: string[]): Promise<void> {
  for (const j of SEED_JOURNEYS.filter((x) => !ids || ids.includes(x.id))) {
    const { doc, version } = publication(j, 0, MORNING, 'seed');
    const { _id, ...v } = version;
    await db.collection('journeys').doc(j.id).set({ data: doc });
    await db.collection('journey_versions').doc(_id).set({ data: v });
  }
}

/** A member document (and its Mini Program identity) with the given fields. */
export async function addMember(
  db: Db,
  fields: Record<string, unknown> = {},
): Promise<{ memberId: string; openid: string }> {
  const id = `m_${randomBytes(6).toString('hex')}`;
  const openid = (fields['openid'] as string) ?? `o_${id}`;
  // tags are given as ids and stored as the portrait keeps them
  const tags = Array.isArray(fields['tags'])
    ? (fields['tags'] as string[]).map((tagId) => ({ tagId, source: 'manual', at: MORNING }))
    : undefined;
  await db
    .collection('members')
    .doc(id)
    .set({
      data: {
        state: 'member',
        openid,
        firstSeenAt: MORNING,
        lastSeenAt: MORNING,
        createdAt: MORNING,
        ...fields,
        ...(tags ? { tags } : {}),
      },
    });
  await db
    .collection('identities')
    .doc(`mp_openid:${openid}`)
    .set({ data: { type: 'mp_openid', value: openid, memberId: id, linkedAt: MORNING } });
  return { memberId: id, openid };
}

export async function now(emu: Emulator): Promise<Date> {
  const r = (await (await fetch(`${emu.url}/clock`)).json()) as { now: string };
  return new Date(r.now);
}

/** Another feature's event, written the way they write it: `{ _id, type, memberId, at, data }`, at the emulator's now. */
export async function emit(
  emu: Emulator,
  db: Db,
  type: string,
  memberId: string,
  data: Record<string, unknown> = {},
): Promise<string> {
  const _id = `ev_${randomBytes(10).toString('hex')}`;
  await db.collection('events').add({ data: { _id, type, memberId, at: await now(emu), data } });
  return _id;
}

export async function advance(
  emu: Emulator,
  by: string,
): Promise<{ fn: string; trigger: string; ok: boolean; error?: string }[]> {
  const r = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ advance: by }) });
  const body = (await r.json()) as { fired: { fn: string; trigger: string; ok: boolean; error?: string }[] };
  const failed = body.fired.filter((f) => !f.ok);
  if (failed.length) throw new Error(`timers failed: ${JSON.stringify(failed.slice(0, 3))}`);
  return body.fired;
}

/** Moves the clock forward to `at`, firing the timers due on the way. */
export async function advanceTo(emu: Emulator, at: Date): Promise<void> {
  const r = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify({ set: at.toISOString() }) });
  const body = (await r.json()) as { fired: { ok: boolean }[] };
  if (body.fired.some((f) => !f.ok)) throw new Error('timers failed');
}

export interface Call {
  seq: number;
  at: string;
  apiName: string;
  openid: string;
  params: Record<string, unknown>;
  outcome: { errcode?: number };
}

export async function calls(emu: Emulator, apiName: string, touser?: string): Promise<Call[]> {
  const q = new URLSearchParams({ apiName, ...(touser ? { touser } : {}) });
  return ((await (await fetch(`${emu.url}/openapi/calls?${q}`)).json()) as { calls: Call[] }).calls;
}

export async function fault(emu: Emulator, f: Record<string, unknown>): Promise<void> {
  const r = await fetch(`${emu.url}/openapi/faults`, { method: 'POST', body: JSON.stringify(f) });
  if (!r.ok) throw new Error(await r.text());
}

/** The outbox key a subscription message carried in its page (`mk=`). */
export const keyOf = (c: Call): string =>
  decodeURIComponent(/[?&]mk=([^&]+)/.exec(String(c.params['page'] ?? ''))?.[1] ?? '');

export async function outboxOf(db: Db, where: Record<string, unknown>): Promise<Record<string, unknown>[]> {
  return (await db.collection('outbox').where(where).limit(1000).get()).data;
}

export async function runsOf(db: Db, memberId: string): Promise<Record<string, unknown>[]> {
  return (await db.collection('journey_runs').where({ memberId }).limit(100).get()).data;
}

/** Staff OpenID of the demo brand admin, as scripts/seed/demo-brand.ts seeds it. */
export async function addStaff(db: Db): Promise<string> {
  await db
    .collection('staff')
    .doc('staff_admin')
    .set({ data: { openid: 'o_demo_admin', name: '品牌管理员', role: 'brand_admin', storeIds: [] } });
  return 'o_demo_admin';
}

/** Staff save a segment of the members tagged `tag` and send it a campaign (`campaignId`, by default the tag). */
export async function campaignToTag(
  admin: ReturnType<typeof as>,
  tag: string,
  message: z.input<typeof campaignMessage>,
  campaignId = tag,
): Promise<void> {
  await admin.ok('messaging', 'segments.save', {
    id: tag,
    name: tag,
    rule: { field: 'tags', op: 'hasAny', values: [tag] },
  });
  await admin.ok('messaging', 'campaigns.send', { id: campaignId, name: tag, segmentId: tag, message });
}

/** An enabled journey as staff author it: triggered by `event`, entered once per member unless `entry` says more. */
export const journeyInput = (
  id: string,
  name: string,
  event: JourneyInput['trigger']['event'],
  steps: JourneyInput['steps'],
  more: Partial<JourneyInput> = {},
): JourneyInput => ({ id, name, enabled: true, trigger: { event }, entry: 'once', steps, ...more });
