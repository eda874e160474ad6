import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator, EmulatorOptions } from '../../../emulator/emulator';
import { FUNCTIONS_DIR } from '../../../scripts/build-functions';
import { collections } from '../../../server/db/schema';
import { httpRoutes } from '../../../server/db/routes';
import { spawnEmulator } from '../../support/emulator-process';
import { registeredMembers } from '../../support/members';
import { connectSdk, type Sdk } from '../../support/sdk';
import { checkLedger, type LedgerRow, type Lot } from '../../../core/ledger';
import { demoBrand } from '../../../scripts/seed/demo-brand';
import { as } from '../../support/client';

/** Shared set-up of the value-ledger suites: demo staff and templates, members made directly in the store. */
type Db = Sdk['db'];

/**
 * An emulator running only the value functions, in a process of its own. Own functions: other
 * functions' five-minute timers would make clock jumps of a year fire tens of thousands of
 * unrelated invocations. Own process: inside jest's sandbox, Dates the emulator copies with
 * structuredClone come from another realm and are stored as strings after a transactional update
 * (emulator/db/values.ts tests `instanceof Date`), which breaks date queries such as expiry.
 */
export async function valueEmulator(options: Partial<EmulatorOptions> = {}): Promise<ValueEmulator> {
  const dir = mkdtempSync(join(tmpdir(), 'value-fns-'));
  for (const fn of ['points', 'coupons']) {
    // real folders holding links to the built files: Node resolves wx-server-sdk from the link's target
    mkdirSync(join(dir, fn));
    for (const file of ['index.js', 'config.json', 'package.json'])
      symlinkSync(join(FUNCTIONS_DIR, fn, file), join(dir, fn, file));
  }
  const { child, url } = await spawnEmulator({
    functionsDir: dir,
    collections,
    ...options,
    httpRoutes: [...httpRoutes, ...(options.httpRoutes ?? [])],
  });
  const handle = {
    url,
    serviceUrl: `${url}/admin`,
    options: { envId: options.envId ?? 'local-env' },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
  return handle as unknown as ValueEmulator;
}

/** What the value suites use of an emulator: its URLs (for the client and the SDK) and close. */
export type ValueEmulator = Emulator;

export const STAFF = { admin: 'o_demo_admin', manager: 'o_demo_manager', advisor: 'o_demo_advisor' } as const;
export const STORE_SH = 'store_sh_xintiandi';

const put = async (emu: Emulator, coll: string, docs: readonly Record<string, unknown>[]) => {
  const { db } = connectSdk(emu, { throwOnNotFound: false });
  for (let i = 0; i < docs.length; i += 200)
    await db.collection(coll).add({ data: docs.slice(i, i + 200).map((d) => ({ ...d })) });
};

export async function seedBrand(emu: Emulator): Promise<void> {
  await put(emu, 'staff', demoBrand.staff);
  await put(emu, 'stores', demoBrand.stores);
  await put(emu, 'coupon_templates', demoBrand.coupon_templates);
  await put(emu, 'coupon_stock', demoBrand.coupon_stock);
}

/** A value emulator at 2026-05-01T02:00Z (brand time 10:00) with the demo brand seeded, and an SDK on it. */
export async function seededValueEmulator(options: Partial<EmulatorOptions> = {}): Promise<{ emu: Emulator; db: Db }> {
  const emu = await valueEmulator(options);
  await setClock(emu, { set: '2026-05-01T02:00:00Z' });
  const { db } = connectSdk(emu, { throwOnNotFound: false });
  await seedBrand(emu);
  return { emu, db };
}

export const templateDoc = async (db: Db, id: string): Promise<Db> =>
  (await db.collection('coupon_templates').doc(id).get()).data;

/** A template stored as before stock shards (its own `issued` counter only): the server makes its shards on first use. */
export const seedTemplate = (
  emu: Emulator,
  template: Record<string, unknown> & { templateId: string },
): Promise<void> => put(emu, 'coupon_templates', [{ _id: template.templateId, issued: 0, ...template }]);

/** A claim-centre coupon's terms: 10 yuan off, valid 7 days after the claim, one per member; tests add the rest. */
export const claimCentreTerms = <T extends Record<string, unknown>>(terms: T) => ({
  benefit: { kind: 'amountOff', amountFen: 1000 },
  validity: { kind: 'daysAfterClaim', days: 7 },
  perMemberLimit: 1,
  channels: ['claimCentre'],
  ...terms,
});

/** Registered members with a Mini Program identity, written straight through the SDK (fast, for bulk set-up). */
export async function seedMembers(
  emu: Emulator,
  openids: string[],
  at = new Date('2026-01-01T00:00:00Z'),
): Promise<string[]> {
  const { ids, members, identities } = registeredMembers(openids, at);
  await put(emu, 'members', members);
  await put(emu, 'identities', identities);
  return ids;
}

export async function setClock(
  emu: Emulator,
  body: { set: string } | { advance: string },
): Promise<{ now: string; fired: { fn: string; trigger: string; ok: boolean; error?: string }[] }> {
  const res = await fetch(`${emu.url}/clock`, { method: 'POST', body: JSON.stringify(body) });
  if (res.status !== 200) throw new Error(`clock: ${res.status} ${await res.text()}`);
  return (await res.json()) as { now: string; fired: { fn: string; trigger: string; ok: boolean; error?: string }[] };
}

/** Fires a timer trigger by hand, as the platform would (for "runs twice"). */
export async function fireTimer(emu: Emulator, fn: string, trigger: string): Promise<unknown> {
  const r = await as(emu, 'o_timer').raw(fn, { Type: 'Timer', TriggerName: trigger, Time: new Date().toISOString() });
  if (r.errCode !== undefined) throw new Error(`${fn}/${trigger}: ${r.errCode} ${r.errMsg}`);
  return r.result;
}

export const earn = (emu: Emulator, memberId: string, orderId: string, amountFen: number) =>
  as(emu, STAFF.manager).ok('points', 'earnOrder', { memberId, orderId, amountFen });

/** Everything stored about one member's points, and the core's verdict on it (empty = healthy). */
export async function ledgerOf(db: Db, memberId: string) {
  const rows = (await db.collection('points_ledger').where({ memberId }).orderBy('at', 'asc').limit(1000).get())
    .data as (LedgerRow & { _id: string })[];
  const lotDocs = (await db.collection('points_lots').where({ memberId }).limit(1000).get()).data as (Lot & {
    _id: string;
  })[];
  const lots: Lot[] = lotDocs.map((l) => ({
    ...l,
    lotId: l._id,
    earnedAt: new Date(l.earnedAt),
    expiresAt: new Date(l.expiresAt),
  }));
  const member = (await db.collection('members').doc(memberId).get()).data as { points?: number; openLots?: string[] };
  const balance = member.points ?? 0;
  const problems = checkLedger(
    rows.map((r) => ({ ...r, at: new Date(r.at) })),
    lots,
    balance,
  );
  const open = lots
    .filter((l) => l.remaining > 0)
    .map((l) => l.lotId)
    .sort();
  if (JSON.stringify(open) !== JSON.stringify([...(member.openLots ?? [])].sort()))
    problems.push(`openLots ${JSON.stringify(member.openLots)} != lots with points ${JSON.stringify(open)}`);
  return { rows, lots, balance, problems };
}

/** A claim-centre template with limited stock, as a brand admin creates it (`coupons.templates.create`). */
export const limitedTemplateDraft = (templateId: string, totalStock: number, patch: Record<string, unknown> = {}) => ({
  templateId,
  name: { zh: '限量券' },
  benefit: { kind: 'amountOff' as const, amountFen: 500 },
  validity: { kind: 'daysAfterClaim' as const, days: 7 },
  totalStock,
  perMemberLimit: 1,
  channels: ['claimCentre' as const],
  requestId: `create-${templateId}`,
  ...patch,
});

/** The last invocation of a function the emulator recorded: its database calls show what a call read and wrote. */
export async function lastInvocation(emu: Emulator, fn = 'coupons'): Promise<{ dbCalls: number }> {
  const log = (await (await fetch(`${emu.url}/api/invocations?fn=${fn}&limit=1`)).json()) as {
    invocations: { dbCalls: number }[];
  };
  return log.invocations[0]!;
}
